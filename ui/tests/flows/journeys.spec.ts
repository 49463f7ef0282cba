// Every journey of docs/journeys.md, walked as the manual describes it, with the real Rust
// rules (loopback bridge) and, for an online hall, a real platformd: SMS codes are read from
// the platform's outbox as the visitor reads them on the phone; nothing is typed that a
// visitor could not know. Each registration ends with the application accepted by the platform
// and its fields checked there.
import { type Page } from '@playwright/test'
import { expect, test } from './bridge'
import { ipcCalls } from './ipc-mock'
import {
  choose,
  date,
  deliver,
  field,
  fill,
  fillAndLeave,
  idPhotos,
  longTerm,
  next,
  nextTo,
  pickDivision,
  scanOf,
  signIn,
  startFlow,
  submit,
  upload,
  verifySms,
  writtenPath,
  writtenText,
} from './flow-steps'
import { documentFile } from './images'
import { password, qianWei, sunMin, uscc, wangWu, zhangSan } from './people'

// A journey is a few minutes at a real counter; here it is a few seconds per step of Rust.
test.describe.configure({ timeout: 120_000 })

/** Inside Tianjin's population database hours: 10:00 in China. */
const tianjinMorning = '2026-12-04 02:00:00'
/** 19:00 in China: the population database is closed. */
const tianjinEvening = '2026-12-04 11:00:00'

test.describe('Tianjin natural person, online', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin', at: tianjinMorning } })

  test('inside the population database hours: SMS verified, real name verified live, accepted by the platform', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await expect(page.getByTestId('wizard-platform')).toContainText('天津')
    await fill(page, 'account.accountName', 'zhangsan01')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await fill(page, 'person.document.number', zhangSan.id)
    await date(page, 'person.document.validity.from', '2015-03-01')
    await longTerm(page, 'person.document.validity')
    await fill(page, 'person.mobile', zhangSan.mobile)
    await verifySms(page, bridge, 'account.smsCode', zhangSan.mobile)
    await nextTo(page, 'summary')
    await expect(page.getByTestId('note-REAL_NAME_VERIFIED')).toContainText('已通过平台实名核验')
    await expect(page.getByTestId('summary-person.document.number')).toHaveText('110***********002X')
    await expect(page.getByTestId('summary-person.document.validity')).toHaveText('2015-03-01 至 长期')
    await expect(page.getByTestId('summary-account.smsCode')).toHaveText('已验证')
    await expect(page.getByTestId('summary-account.password')).toHaveText('••••••••')
    await expect(page.getByTestId('summary-person.mobile')).toHaveText('138****5678')
    await expect(page.getByTestId('summary-person.document.docType')).toHaveText('居民身份证')
    const { id } = await submit(page)
    await expect(page.getByTestId('receipt-printed')).toBeVisible()
    const calls = await ipcCalls(page)
    expect(calls.find((c) => c.cmd === 'flow_form')?.args).toEqual({ profile: 'tianjin', kind: 'natural-person' })
    expect(calls.find((c) => c.cmd === 'receipt_pdf')?.args).toEqual({ applicationId: id, paper: '80mm' })
    const receipt = calls.find((c) => c.cmd === 'receipt_pdf')?.result as { path: string }
    expect(calls.find((c) => c.cmd === 'print_document')?.args).toEqual({ path: receipt.path, printer: null })
    // The next visitor: the session's data is gone, a new flow starts at the consent again.
    await page.getByTestId('done-home').click()
    await expect(page.getByTestId('tiles')).toBeVisible()
    await page.goto('/#/register/natural-person')
    await expect(page.getByTestId('consent')).toBeVisible()
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', mobileUnverified: false, manualReview: false })
    expect(received.payload).toMatchObject({
      profile: 'tianjin',
      kind: 'natural-person',
      account: { accountName: 'zhangsan01' },
      person: {
        name: zhangSan.name,
        mobile: zhangSan.mobile,
        document: { docType: 'resident-id', number: zhangSan.id, validity: { from: '2015-03-01', until: 'long-term' } },
      },
      realNameCheck: { outcome: 'verified' },
    })
    expect(received.payload, 'the used code is not handed in, its proof is').not.toHaveProperty('account.smsCode')
  })
})

test.describe('Tianjin natural person at 19:00', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin', at: tianjinEvening } })

  test('outside the hours: said in plain words, document photos, manual review at the platform', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await fill(page, 'account.accountName', 'zhangsan02')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await choose(page, 'person.document.docType', '居民身份证')
    await fill(page, 'person.document.number', zhangSan.id)
    await date(page, 'person.document.validity.from', '2015-03-01')
    await longTerm(page, 'person.document.validity')
    await fill(page, 'person.mobile', zhangSan.mobile)
    await verifySms(page, bridge, 'account.smsCode', zhangSan.mobile)
    await nextTo(page, 'capture')
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('08:00-18:00')
    await expect(page.getByTestId('manual-review-note')).toBeVisible()
    await idPhotos(page)
    await nextTo(page, 'summary')
    await expect(page.getByTestId('summary-slot-id-front')).toHaveText('1 个文件')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', mobileUnverified: false })
    expect(received.attachments.map((a) => a.slot).sort()).toEqual(['id-back', 'id-front'])
    expect(received.payload).toMatchObject({ realNameCheck: { outcome: 'manual-review', reason: 'out-of-hours' } })
  })
})

test.describe('Tianjin natural person with a foreign passport', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin', at: tianjinMorning } })

  test('the passport number is checked as a foreign one and the real name goes to manual review', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await fill(page, 'account.accountName', 'johnsmith')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.name', 'JOHN SMITH')
    await choose(page, 'person.document.docType', '普通护照')
    await fill(page, 'person.document.country', 'USA')
    await fillAndLeave(page, 'person.document.number', '561234567')
    const checked = async () =>
      (await ipcCalls(page)).filter((c) => c.cmd === 'wizard_check_field' && c.args.path === 'person.document.number' && c.result)
    await expect.poll(async () => (await checked()).length).toBe(1)
    expect((await checked())[0].result, 'a foreign passport number by the foreign format').toEqual([])
    await expect(page.getByTestId('field-error-person.document.number')).toHaveCount(0)
    await fill(page, 'person.mobile', qianWei.mobile)
    await verifySms(page, bridge, 'account.smsCode', qianWei.mobile)
    await nextTo(page, 'capture')
    // The platform is asked (Tianjin verifies passports too) and cannot verify this one.
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('人工审核')
  })
})

test.describe('Tianjin legal entity', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin', at: tianjinMorning } })

  test('unit completion, printed risk letter signed and scanned back, attachments, accepted with the draft number', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'legal-entity')
    await fill(page, 'account.accountName', 'heping_tech')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'unit')
    await choose(page, 'unit.entityType', '企业（法人）')
    await fill(page, 'unit.name', '天津市和平区示例科技有限公司')
    await fill(page, 'unit.uscc', '91120101MA05L7Q86N')
    await nextTo(page, 'unit-details')
    await choose(page, 'unit.nature', '民营企业')
    await fill(page, 'unit.contactName', '孙敏')
    await fill(page, 'unit.contactMobile', '13612345672')
    await fill(page, 'unit.email', 'office@heping-tech.cn')
    await choose(page, 'unit.supervisingDepartment', '天津市和平区科学技术局')
    await pickDivision(page, 'unit.registeredAddress', ['天津市', '天津市', '和平区'])
    await fill(page, 'unit.registeredAddress.detail', '南京路 100 号')
    await pickDivision(page, 'unit.locatedAddress', ['天津市', '天津市', '河东区'])
    await fill(page, 'unit.locatedAddress.detail', '六纬路 8 号 3 楼')
    await nextTo(page, 'bank')
    await fill(page, 'unit.bankAccount.holder', '天津市和平区示例科技有限公司')
    await fill(page, 'unit.bankAccount.bank', '中国银行天津和平支行')
    await fill(page, 'unit.bankAccount.number', '6217000012345678')
    await nextTo(page, 'legal-representative')
    await fill(page, 'legalRepresentative.name', zhangSan.name)
    await fill(page, 'legalRepresentative.document.number', zhangSan.id)
    await date(page, 'legalRepresentative.document.validity.from', '2010-06-01')
    await longTerm(page, 'legalRepresentative.document.validity')
    await fill(page, 'legalRepresentative.mobile', zhangSan.mobile)
    await nextTo(page, 'risk-letter')
    await expect(page.getByTestId('note-REAL_NAME_VERIFIED')).toBeVisible()
    const draft = await page.getByTestId('draft-number').innerText()
    await page.getByTestId('print-risk-letter').click()
    await expect(page.getByTestId('risk-letter-printed')).toBeVisible()
    // The letter is signed and stamped, then scanned back in as its attachment.
    const letter = scanOf(await writtenPath(page, 'risk_letter_pdf'), 'risk-letter-signed.png')
    await nextTo(page, 'capture')
    await upload(page, 'business-licence', documentFile('business-licence.png', 1))
    await upload(page, 'risk-commitment', letter)
    await upload(page, 'bank-account-permit', documentFile('bank-permit.png', 2))
    await nextTo(page, 'summary')
    await expect(page.getByTestId('summary-unit.registeredAddress')).toHaveText('天津市 和平区 南京路 100 号')
    await expect(page.getByTestId('summary-unit.bankAccount.number')).toHaveText('621*********5678')
    await expect(page.getByTestId('summary-slot-risk-commitment')).toHaveText('1 个文件')
    const { id } = await submit(page)
    expect(id, 'the number printed on the risk letter stays the application number').toBe(draft)
    const calls = await ipcCalls(page)
    expect(calls.find((c) => c.cmd === 'draft_save')?.args.draft).toMatchObject({
      profile: 'tianjin',
      kind: 'legal-entity',
      application: { unit: { uscc: '91120101MA05L7Q86N' } },
    })
    expect(calls.find((c) => c.cmd === 'risk_letter_pdf')?.args).toEqual({ draftId: draft })
    // Files go as the raw request body, slot and name as headers (see commands.captureUpload).
    const uploads = calls.filter((c) => c.cmd === 'capture_upload')
    expect(uploads[0].args, 'a PNG file as the raw body').toMatchObject({ head: [0x89, 0x50, 0x4e, 0x47] })
    expect(uploads[0].options?.headers, 'the slot and the flow whose rules it takes').toEqual({
      slot: 'business-licence',
      'file-name': 'business-licence.png',
      profile: 'tianjin',
      kind: 'legal-entity',
    })
    expect(calls.find((c) => c.cmd === 'submit_application')?.args).toMatchObject({
      profile: 'tianjin',
      draftId: draft,
      captureIds: uploads.map((u) => (u.result as { id: string }).id),
    })
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', manualReview: false })
    expect(received.attachments.map((a) => a.slot).sort()).toEqual(['bank-account-permit', 'business-licence', 'risk-commitment'])
    expect(received.payload).toMatchObject({
      kind: 'legal-entity',
      unit: {
        name: '天津市和平区示例科技有限公司',
        uscc: '91120101MA05L7Q86N',
        registeredAddress: { divisionCode: '120101', detail: '南京路 100 号' },
        locatedAddress: { divisionCode: '120102', detail: '六纬路 8 号 3 楼' },
        bankAccount: { holder: '天津市和平区示例科技有限公司', bank: '中国银行天津和平支行', number: '6217000012345678' },
      },
      legalRepresentative: { name: zhangSan.name, document: { docType: 'resident-id', number: zhangSan.id } },
      realNameCheck: { outcome: 'verified' },
    })
  })
})

test.describe('Zhengzhou', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'zhengzhou' } })

  test('natural person: the mobile is the login, SMS verified, the real-name step may be skipped', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await fill(page, 'account.accountName', 'zhangsanzz')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await choose(page, 'person.sex', zhangSan.sex)
    await choose(page, 'person.ethnicity', '汉族')
    await fill(page, 'person.document.number', zhangSan.id)
    await fillAndLeave(page, 'person.mobile', zhangSan.mobile)
    await expect(page.getByTestId('field-note-person.mobile'), 'the login mobile is free on the platform').toBeVisible()
    await verifySms(page, bridge, 'account.smsCode', zhangSan.mobile)
    await fill(page, 'unitName', '郑州市金水区示例科技有限公司')
    // Asked on the person's step, where the real name would be checked.
    await field(page, 'skipRealName').click()
    await nextTo(page, 'summary')
    await expect(page.getByTestId('summary-skipRealName')).toHaveText('是')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', mobileUnverified: false })
    expect(received.payload).toMatchObject({
      profile: 'zhengzhou',
      kind: 'natural-person',
      skipRealName: true,
      person: { name: zhangSan.name, sex: 'female', ethnicity: '01', mobile: zhangSan.mobile, document: { number: zhangSan.id } },
      unitName: '郑州市金水区示例科技有限公司',
    })
  })

  test('legal entity: unit information, legal representative verified, primary agent receives the code', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'legal-entity')
    await fill(page, 'account.accountName', 'jinshuitech')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'unit')
    await fill(page, 'unit.name', '郑州市金水区示例科技有限公司')
    await choose(page, 'unit.entityType', '企业（法人）')
    await fill(page, 'unit.uscc', uscc.zhengzhou)
    await nextTo(page, 'unit-details')
    await fill(page, 'unit.contactName', sunMin.name)
    await fill(page, 'unit.contactMobile', sunMin.mobile)
    await fill(page, 'unit.email', 'office@jinshui-tech.cn')
    await pickDivision(page, 'unit.registeredAddress', ['河南省', '郑州市', '金水区'])
    await fill(page, 'unit.registeredAddress.detail', '花园路 18 号')
    await nextTo(page, 'legal-representative')
    await fill(page, 'legalRepresentative.name', zhangSan.name)
    await fill(page, 'legalRepresentative.document.number', zhangSan.id)
    await fill(page, 'legalRepresentative.mobile', zhangSan.mobile)
    // The code goes to the unit's primary agent, so it is asked on the agent's step.
    await expect(page.getByTestId('sms-send-account.smsCode')).toBeHidden()
    await nextTo(page, 'primary-agent')
    await expect(page.getByTestId('note-REAL_NAME_VERIFIED')).toBeVisible()
    await fill(page, 'primaryAgent.name', sunMin.name)
    await fill(page, 'primaryAgent.document.number', sunMin.id)
    await fill(page, 'primaryAgent.mobile', sunMin.mobile)
    await verifySms(page, bridge, 'account.smsCode', sunMin.mobile)
    await fill(page, 'primaryAgent.email', 'sunmin@jinshui-tech.cn')
    await nextTo(page, 'summary')
    await expect(page.getByTestId('summary-unit.uscc')).toHaveText(uscc.zhengzhou)
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', manualReview: false, mobileUnverified: false })
    expect(received.payload).toMatchObject({
      kind: 'legal-entity',
      unit: { name: '郑州市金水区示例科技有限公司', uscc: uscc.zhengzhou, registeredAddress: { divisionCode: '410105' } },
      legalRepresentative: { name: zhangSan.name, mobile: zhangSan.mobile },
      primaryAgent: { name: sunMin.name, mobile: sunMin.mobile, document: { number: sunMin.id } },
      realNameCheck: { outcome: 'verified' },
    })
  })

  test('review expert: person verified, SMS verified, work information', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'expert')
    await fill(page, 'account.accountName', 'expertzhang')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await choose(page, 'person.sex', zhangSan.sex)
    await fill(page, 'person.document.number', zhangSan.id)
    await fill(page, 'person.mobile', zhangSan.mobile)
    await verifySms(page, bridge, 'account.smsCode', zhangSan.mobile)
    await fill(page, 'person.email', 'zhangsan@example.edu.cn')
    await nextTo(page, 'work')
    await expect(page.getByTestId('note-REAL_NAME_VERIFIED')).toBeVisible()
    await fill(page, 'workUnit', '郑州大学')
    await fill(page, 'professionalTitle', '教授')
    await fill(page, 'specialty', '材料科学')
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', mobileUnverified: false })
    expect(received.payload).toMatchObject({
      kind: 'expert',
      person: { name: zhangSan.name, sex: 'female' },
      workUnit: '郑州大学',
      professionalTitle: '教授',
      realNameCheck: { outcome: 'verified' },
    })
  })

  test('old account binding: an applicant who also has an expert account binds the expert first', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'legacy-binding')
    await expect(page.getByTestId('expert-first')).toContainText('先绑定专家账号')
    await choose(page, 'userType', '申报个人用户')
    await fill(page, 'mobile', zhangSan.mobile)
    await field(page, 'hasUnboundExpertAccount').click()
    await verifySms(page, bridge, 'smsCode', zhangSan.mobile)
    await next(page)
    await expect(page.getByTestId('field-error-userType')).toContainText('专家')
    await choose(page, 'userType', '评审专家用户')
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', kind: 'legacy-binding', mobileUnverified: false })
    expect(received.payload).toMatchObject({ userType: 'expert', mobile: zhangSan.mobile })
  })

  test('real-name verification of a person', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'real-name')
    await choose(page, 'subject', '个人用户')
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await fill(page, 'person.document.number', zhangSan.id)
    await choose(page, 'person.sex', zhangSan.sex)
    await choose(page, 'person.ethnicity', '汉族')
    // A person has no unit step.
    await nextTo(page, 'summary')
    await expect(page.getByTestId('note-REAL_NAME_VERIFIED')).toContainText('已通过平台实名核验')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', kind: 'real-name', manualReview: false })
    expect(received.payload).toMatchObject({ subject: 'natural-person', person: { name: zhangSan.name }, realNameCheck: { outcome: 'verified' } })
  })

  test('real-name verification of a legal representative, with the unit', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'real-name')
    await choose(page, 'subject', '法人用户')
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await fill(page, 'person.document.number', zhangSan.id)
    await choose(page, 'person.sex', zhangSan.sex)
    await choose(page, 'person.ethnicity', '汉族')
    await nextTo(page, 'unit')
    await fill(page, 'unit.name', '郑州市金水区示例科技有限公司')
    await choose(page, 'unit.entityType', '企业（法人）')
    await fill(page, 'unit.uscc', uscc.zhengzhou)
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received.payload).toMatchObject({
      subject: 'legal-entity',
      unit: { name: '郑州市金水区示例科技有限公司', uscc: uscc.zhengzhou },
      realNameCheck: { outcome: 'verified' },
    })
  })
})

test.describe('Shandong (the hall serves every platform)', () => {
  test.use({ bridgeOptions: { platform: true } })

  test('natural person with a medium-level real name: verified live', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person', 'shandong')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await fill(page, 'person.document.number', zhangSan.id)
    await fill(page, 'person.mobile', zhangSan.mobile)
    await verifySms(page, bridge, 'account.smsCode', zhangSan.mobile)
    await fill(page, 'person.email', 'zhangsan@example.cn')
    await nextTo(page, 'summary')
    await expect(page.getByTestId('note-REAL_NAME_VERIFIED')).toBeVisible()
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', profile: 'shandong', mobileUnverified: false, manualReview: false })
    expect(received.payload).toMatchObject({ person: { name: zhangSan.name, document: { number: zhangSan.id } }, realNameCheck: { outcome: 'verified' } })
  })

  test('the legal representative registers and binds the unit', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'legal-entity', 'shandong')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'unit')
    await fill(page, 'unit.name', '济南市历下区示例科技有限公司')
    await choose(page, 'unit.entityType', '企业（法人）')
    await fill(page, 'unit.uscc', uscc.shandong)
    await nextTo(page, 'legal-representative')
    await fill(page, 'legalRepresentative.name', zhangSan.name)
    await fill(page, 'legalRepresentative.document.number', zhangSan.id)
    await fill(page, 'legalRepresentative.mobile', zhangSan.mobile)
    await verifySms(page, bridge, 'account.smsCode', zhangSan.mobile)
    await nextTo(page, 'summary')
    await expect(page.getByTestId('note-REAL_NAME_VERIFIED')).toBeVisible()
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', kind: 'legal-entity', mobileUnverified: false })
    expect(received.payload).toMatchObject({
      unit: { name: '济南市历下区示例科技有限公司', uscc: uscc.shandong },
      legalRepresentative: { name: zhangSan.name, mobile: zhangSan.mobile },
      realNameCheck: { outcome: 'verified' },
    })
  })

  test('old account binding with the old password, which is never shown', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'legacy-binding', 'shandong')
    await choose(page, 'userType', '申报单位用户')
    await fill(page, 'legacyAccountName', 'sdkj_old01')
    await fill(page, 'legacyPassword', 'Old-secret-1')
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await fill(page, 'person.document.number', zhangSan.id)
    await nextTo(page, 'summary')
    await expect(page.getByTestId('summary-legacyPassword')).toHaveText('••••••••')
    await expect(page.getByTestId('step-summary')).not.toContainText('Old-secret-1')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', kind: 'legacy-binding' })
    // The platform keeps the old password only sealed to its key; a reviewer's key opens it.
    expect(received.payload).toMatchObject({
      userType: 'applicant-unit',
      legacyAccountName: 'sdkj_old01',
      legacyPassword: { sealed: expect.any(String), opened: 'Old-secret-1' },
    })
  })

  test('real name with a passport: the paper change form, document copies, manual review', async ({ page, bridge }) => {
    // Q14: an old cloud-platform user registered with the number of a Chinese passport.
    await signIn(page, bridge)
    await startFlow(page, 'real-name', 'shandong')
    await choose(page, 'subject', '个人用户')
    await nextTo(page, 'person')
    await fill(page, 'person.name', qianWei.name)
    await choose(page, 'person.document.docType', '普通护照')
    await fill(page, 'person.document.number', 'E12345678')
    await fill(page, 'person.document.country', 'CHN')
    await fill(page, 'person.mobile', qianWei.mobile)
    await nextTo(page, 'capture')
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('该证件不能在线核验实名')
    await upload(page, 'change-form', documentFile('change-form.png', 3))
    await upload(page, 'identity-copies', documentFile('passport-copy.png', 4))
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', kind: 'real-name', manualReview: true })
    expect(received.attachments.map((a) => a.slot).sort()).toEqual(['change-form', 'identity-copies'])
    expect(received.payload).toMatchObject({
      person: { name: qianWei.name, document: { docType: 'passport', number: 'E12345678', country: 'CHN' } },
      realNameCheck: { outcome: 'manual-review', reason: 'document-type' },
    })
  })
})

test.describe('MOST', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'most' } })

  test('natural person: mainland, Hong Kong/Macao/Taiwan and foreign documents ask for what they need', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await fill(page, 'account.accountName', 'zhangsan_most')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    // A foreign permanent resident gives the country; a Hong Kong/Macao permit its validity.
    await choose(page, 'person.document.docType', '外国人永久居留身份证')
    await expect(field(page, 'person.document.country')).toBeVisible()
    await choose(page, 'person.document.docType', '港澳居民来往内地通行证')
    await expect(field(page, 'person.document.country')).toHaveCount(0)
    await expect(field(page, 'person.document.validity.from')).toBeVisible()
    await choose(page, 'person.document.docType', '居民身份证')
    await fill(page, 'person.name', zhangSan.name)
    await choose(page, 'person.sex', zhangSan.sex)
    await choose(page, 'person.ethnicity', '汉族')
    await date(page, 'person.birthDate', '1949-12-31')
    await fill(page, 'person.email', 'zhangsan@example.cn')
    await fill(page, 'person.mobile', zhangSan.mobile)
    await verifySms(page, bridge, 'account.smsCode', zhangSan.mobile)
    await fill(page, 'person.document.number', zhangSan.id)
    await date(page, 'person.document.validity.from', '2015-03-01')
    await longTerm(page, 'person.document.validity')
    await fill(page, 'position', '工程师')
    await nextTo(page, 'summary')
    await expect(page.getByTestId('note-REAL_NAME_VERIFIED')).toBeVisible()
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', profile: 'most', mobileUnverified: false })
    expect(received.payload).toMatchObject({
      account: { accountName: 'zhangsan_most' },
      person: { name: zhangSan.name, birthDate: '1949-12-31', document: { docType: 'resident-id', number: zhangSan.id } },
      position: '工程师',
      realNameCheck: { outcome: 'verified' },
    })
  })

  test('legal entity registered abroad: home registration number, legal representative, primary agent receives the code', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'legal-entity')
    await fill(page, 'account.accountName', 'overseas_lab')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'unit')
    await fill(page, 'unit.name', 'Example Research Laboratory Ltd')
    await choose(page, 'unit.region', '境外单位')
    await choose(page, 'unit.entityType', '企业（法人）')
    await expect(field(page, 'unit.uscc'), 'a unit registered abroad has no credit code').toHaveCount(0)
    await fill(page, 'unit.registrationNumber', 'HRB 123456')
    await nextTo(page, 'legal-representative')
    await fill(page, 'legalRepresentative.name', zhangSan.name)
    await fill(page, 'legalRepresentative.mobile', zhangSan.mobile)
    await fill(page, 'legalRepresentative.document.number', zhangSan.id)
    await date(page, 'legalRepresentative.document.validity.from', '2015-03-01')
    await longTerm(page, 'legalRepresentative.document.validity')
    await expect(page.getByTestId('sms-send-account.smsCode'), 'the code goes to the agent').toBeHidden()
    await nextTo(page, 'primary-agent')
    await fill(page, 'primaryAgent.name', sunMin.name)
    await fill(page, 'primaryAgent.mobile', sunMin.mobile)
    await verifySms(page, bridge, 'account.smsCode', sunMin.mobile)
    await fill(page, 'primaryAgent.document.number', sunMin.id)
    await date(page, 'primaryAgent.document.validity.from', '2018-01-01')
    await date(page, 'primaryAgent.document.validity.until', '2038-01-01')
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', mobileUnverified: false })
    expect(received.payload).toMatchObject({
      unit: { region: 'overseas', registrationNumber: 'HRB 123456' },
      primaryAgent: { name: sunMin.name, mobile: sunMin.mobile },
    })
  })

  test('real name of a person the platform cannot verify: manual review with signed ID photos', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'real-name')
    await choose(page, 'subject', '个人用户')
    await nextTo(page, 'person')
    await fill(page, 'person.name', wangWu.name)
    await choose(page, 'person.sex', wangWu.sex)
    await fill(page, 'person.mobile', wangWu.mobile)
    await fill(page, 'person.document.number', wangWu.id)
    await date(page, 'person.document.validity.from', '2016-08-01')
    await date(page, 'person.document.validity.until', '2036-08-01')
    await nextTo(page, 'capture')
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('平台未能自动核验')
    await expect(page.getByTestId('manual-review-note')).toBeVisible()
    await idPhotos(page)
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', manualReview: true })
    expect(received.attachments.map((a) => a.slot).sort()).toEqual(['id-back', 'id-front'])
    expect(received.payload).toMatchObject({ person: { name: wangWu.name }, realNameCheck: { outcome: 'manual-review', reason: 'not-found' } })
  })

  test('Torch Centre account transfer: the old login name and the mobile', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'legacy-binding')
    await choose(page, 'userType', '申报单位用户')
    await fill(page, 'legacyAccountName', uscc.most)
    await fill(page, 'mobile', sunMin.mobile)
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', kind: 'legacy-binding', profile: 'most' })
    expect(received.payload).toMatchObject({ userType: 'applicant-unit', legacyAccountName: uscc.most, mobile: sunMin.mobile })
  })

  test('password-reset appeal of a person: resident ID with its validity, code to the reserved mobile, both sides photographed', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'password-reset-appeal')
    await choose(page, 'subject', '个人用户')
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await fill(page, 'person.mobile', zhangSan.mobile)
    await verifySms(page, bridge, 'smsCode', zhangSan.mobile)
    await fill(page, 'person.document.number', zhangSan.id)
    await date(page, 'person.document.validity.from', '2015-03-01')
    await longTerm(page, 'person.document.validity')
    // A person has no unit step.
    await nextTo(page, 'capture')
    await idPhotos(page)
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', kind: 'password-reset-appeal', mobileUnverified: false })
    expect(received.attachments.map((a) => a.slot).sort()).toEqual(['id-back', 'id-front'])
    expect(received.payload).toMatchObject({ subject: 'natural-person', person: { document: { validity: { from: '2015-03-01', until: 'long-term' } } } })
  })

  test('password-reset appeal of a legal entity: the unit and its credit code', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'password-reset-appeal')
    await choose(page, 'subject', '法人用户')
    await nextTo(page, 'person')
    await fill(page, 'person.name', sunMin.name)
    await fill(page, 'person.mobile', sunMin.mobile)
    await verifySms(page, bridge, 'smsCode', sunMin.mobile)
    await fill(page, 'person.document.number', sunMin.id)
    await date(page, 'person.document.validity.from', '2016-05-20')
    await date(page, 'person.document.validity.until', '2036-05-20')
    await nextTo(page, 'unit')
    await fill(page, 'unit.name', '北京示例科技有限公司')
    await choose(page, 'unit.entityType', '企业（法人）')
    await fill(page, 'unit.uscc', uscc.most)
    await nextTo(page, 'capture')
    await idPhotos(page)
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', kind: 'password-reset-appeal', mobileUnverified: false })
    expect(received.payload).toMatchObject({ subject: 'legal-entity', unit: { name: '北京示例科技有限公司', uscc: uscc.most } })
  })
})

test.describe('status lookup', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin' } })

  test('by receipt code, by the QR text, by ID number and mobile; the mobile the platform could not verify is verified here', async ({ page, bridge }) => {
    // An application handed in at another counter; its mobile was not verified there, so the
    // platform texts a code when it arrives (陈静, 120116199001082840, 13920200004).
    const receipt = await bridge.submitFixture('tianjin-natural-person')
    const arrived = await deliver(bridge, receipt.id)
    expect(arrived.mobileUnverified).toBe(true)
    await signIn(page, bridge)
    await page.getByTestId('tile-status').click()
    await page.getByTestId('status-code').fill(receipt.receiptCode)
    await page.getByTestId('status-last4').fill('2841')
    await page.getByTestId('status-submit').click()
    await expect(page.getByTestId('status-problem')).toContainText('没有找到')
    await page.getByTestId('status-last4').fill('2840')
    await page.getByTestId('status-submit').click()
    await expect(page.getByTestId('status-state')).toHaveText('平台已受理')
    await expect(page.getByTestId('status-receipt-code')).toHaveText(receipt.receiptCode)
    await expect(page.getByTestId('status-verify-mobile')).toBeVisible()
    await page.getByTestId('status-sms-code').fill(await bridge.smsCode('13920200004'))
    await page.getByTestId('status-sms-verify').click()
    await expect(page.getByTestId('status-mobile-verified')).toBeVisible()
    expect((await bridge.submission(receipt.id)).mobileUnverified, 'verified at the platform').toBe(false)

    // The receipt's QR code, as a scanner gun types it.
    await page.getByTestId('status-code').fill(`TONGBAN:${receipt.id}`)
    await page.getByTestId('status-submit').click()
    await expect(page.getByTestId('status-receipt-code')).toHaveText(receipt.receiptCode)

    // No receipt at hand: the ID number and the mobile.
    await page.getByTestId('status-by-identity').click()
    await page.getByTestId('status-id-number').fill('120116199001082840')
    await page.getByTestId('status-mobile').fill('13920200004')
    await page.getByTestId('status-submit').click()
    await expect(page.getByTestId('status-receipt-code')).toHaveText(receipt.receiptCode)
    await expect(page.getByTestId('status-verify-mobile')).toHaveCount(0)
  })
})

test.describe('error paths', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin', at: tianjinMorning } })

  /** The Tianjin natural person up to the SMS code: account, then the person and mobile. */
  async function upToTheCode(page: Page, accountName: string) {
    await startFlow(page, 'natural-person')
    await fill(page, 'account.accountName', accountName)
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await fill(page, 'person.document.number', zhangSan.id)
    await date(page, 'person.document.validity.from', '2015-03-01')
    await longTerm(page, 'person.document.validity')
    await fill(page, 'person.mobile', zhangSan.mobile)
  }

  /** The problem code Rust answered the last `sms_verify` with. */
  async function lastVerifyError(page: Page) {
    return (await ipcCalls(page)).filter((c) => c.cmd === 'sms_verify').pop()?.error?.code
  }

  test('a wrong SMS code is refused at the code; a code already used for another application is refused too', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await upToTheCode(page, 'zhangsan11')
    await page.getByTestId('sms-send-account.smsCode').click()
    await expect(page.getByTestId('sms-sent-account.smsCode')).toBeVisible()
    const code = await bridge.smsCode(zhangSan.mobile)
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    await fill(page, 'account.smsCode', wrong)
    await page.getByTestId('sms-verify-account.smsCode').click()
    await expect(page.getByTestId('field-error-account.smsCode')).toBeVisible()
    expect(await lastVerifyError(page)).toBe('SMS_CODE_WRONG')
    await expect(page.getByTestId('sms-verified-account.smsCode')).toHaveCount(0)
    await next(page)
    await expect(page.getByTestId('step-person'), 'an unverified code keeps the step').toBeVisible()
    await fill(page, 'account.smsCode', code)
    await page.getByTestId('sms-verify-account.smsCode').click()
    await expect(page.getByTestId('sms-verified-account.smsCode')).toBeVisible()
    // The visitor gives up and starts again; the code of the first message is used up.
    await page.getByTestId('wizard-cancel').click()
    await upToTheCode(page, 'zhangsan12')
    await fill(page, 'account.smsCode', code)
    await page.getByTestId('sms-verify-account.smsCode').click()
    await expect(page.getByTestId('field-error-account.smsCode')).toBeVisible()
    expect(await lastVerifyError(page)).toBe('SMS_CODE_USED')
  })

  test('a code typed after five minutes has expired', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await upToTheCode(page, 'zhangsan13')
    await page.getByTestId('sms-send-account.smsCode').click()
    await expect(page.getByTestId('sms-sent-account.smsCode')).toBeVisible()
    const code = await bridge.smsCode(zhangSan.mobile)
    // 299 s on the platform (its request-signing window is 300 s) and a little real time.
    await bridge.advancePlatform(299)
    await page.waitForTimeout(1500)
    await fill(page, 'account.smsCode', code)
    await page.getByTestId('sms-verify-account.smsCode').click()
    await expect(page.getByTestId('field-error-account.smsCode')).toBeVisible()
    expect(await lastVerifyError(page)).toBe('SMS_CODE_EXPIRED')
    await expect(page.getByTestId('sms-verified-account.smsCode')).toHaveCount(0)
  })

  test('an ID number registered meanwhile is refused when the step finishes and when the field is left', async ({ page, bridge }) => {
    // 陈静 registered at another counter a moment ago; her application has not reached the
    // platform yet.
    const first = await bridge.submitFixture('tianjin-natural-person')
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await fill(page, 'account.accountName', 'chenjing2')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.name', '陈静')
    await fillAndLeave(page, 'person.document.number', '120116199001082840')
    await expect(page.getByTestId('field-note-person.document.number'), 'still free on the platform').toBeVisible()
    await date(page, 'person.document.validity.from', '2016-05-20')
    await date(page, 'person.document.validity.until', '2036-05-20')
    await fill(page, 'person.mobile', '13920200005')
    await verifySms(page, bridge, 'account.smsCode', '13920200005')
    await deliver(bridge, first.id)
    await next(page)
    await expect(page.getByTestId('field-error-person.document.number')).toContainText('该证件号码已注册过账号')
    const finished = (await ipcCalls(page)).filter((c) => c.cmd === 'finish_step').pop()
    expect((finished?.result as { problems: { code: string; field: string }[] }).problems).toContainEqual(
      expect.objectContaining({ code: 'ID_NUMBER_REGISTERED', field: 'person.document.number' }),
    )
    await expect(page.getByTestId('step-person')).toBeVisible()
    await expect(page.getByTestId('wizard-next')).toBeDisabled()
    // Leaving the field asks again: the same answer.
    const asked = async () => (await ipcCalls(page)).filter((c) => c.cmd === 'registered_check')
    const before = (await asked()).length
    await fillAndLeave(page, 'person.document.number', '120116199001082840')
    await expect.poll(async () => (await asked()).filter((c) => c.result).length).toBe(before + 1)
    expect((await asked()).pop()?.result).toMatchObject({ availability: 'taken', problem: { code: 'ID_NUMBER_REGISTERED' } })
    await expect(page.getByTestId('field-error-person.document.number')).toContainText('该证件号码已注册过账号')
  })
})

test.describe('the platform does not answer', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin', at: tianjinMorning } })

  test('every check gives up after its time limit: nothing is claimed, the mobile is verified later, manual review', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    // The line stays up, but the platform answers nothing (a congested or half-dead line).
    await bridge.platformSilent()
    await fill(page, 'account.accountName', 'slowline01')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await expect(page.getByTestId('field-note-account.accountName'), 'no answer: nothing said to be free').toHaveCount(0)
    await fill(page, 'person.name', zhangSan.name)
    await fill(page, 'person.document.number', zhangSan.id)
    await date(page, 'person.document.validity.from', '2015-03-01')
    await longTerm(page, 'person.document.validity')
    await fill(page, 'person.mobile', zhangSan.mobile)
    const asked = Date.now()
    await page.getByTestId('sms-send-account.smsCode').click()
    await expect(page.getByTestId('field-error-account.smsCode')).toContainText('连不上平台')
    expect(Date.now() - asked, 'the send gives up within its time limit').toBeLessThan(6_000)
    const sent = (await ipcCalls(page)).filter((c) => c.cmd === 'sms_send').pop()
    expect(sent?.error?.code).toBe('SMS_OFFLINE')
    await page.getByTestId('sms-later-account.smsCode').click()
    await expect(page.getByTestId('sms-deferred-account.smsCode')).toBeVisible()
    const finishing = Date.now()
    await nextTo(page, 'capture')
    expect(Date.now() - finishing, 'registered values and the real name: each gives up after 2 s').toBeLessThan(10_000)
    await expect(page.getByTestId('note-REGISTERED_NOT_CHECKED')).toBeVisible()
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('连不上平台')
    await idPhotos(page)
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    // The line answers again: the application arrives flagged for manual review.
    await bridge.platformUp()
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', manualReview: true, mobileUnverified: true })
    expect(received.payload).toMatchObject({ realNameCheck: { outcome: 'manual-review', reason: 'offline' } })
  })
})

test.describe('the platform goes down', () => {
  test.use({ bridgeOptions: { platform: true } })

  test('the platform goes down mid-journey: verify the mobile later, manual review, queued, delivered once it is back', async ({ page, bridge }) => {
    // A legal representative registers a Shandong unit; the line drops after the unit step.
    await signIn(page, bridge)
    await startFlow(page, 'legal-entity', 'shandong')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'unit')
    await fill(page, 'unit.name', '济南市历下区示例科技有限公司')
    await choose(page, 'unit.entityType', '企业（法人）')
    await fillAndLeave(page, 'unit.uscc', uscc.shandong)
    await expect(page.getByTestId('field-note-unit.uscc'), 'asked online while the line is up').toBeVisible()
    await nextTo(page, 'legal-representative')
    await bridge.platformDown()
    await fill(page, 'legalRepresentative.name', zhangSan.name)
    await fill(page, 'legalRepresentative.document.number', zhangSan.id)
    await fill(page, 'legalRepresentative.mobile', zhangSan.mobile)
    await expect(page.getByTestId('sms-later-account.smsCode'), 'no way around the code while nobody asked the platform').toHaveCount(0)
    await page.getByTestId('sms-send-account.smsCode').click()
    await expect(page.getByTestId('field-error-account.smsCode')).toContainText('连不上平台')
    const sent = (await ipcCalls(page)).filter((c) => c.cmd === 'sms_send').pop()
    expect(sent?.error?.code).toBe('SMS_OFFLINE')
    await page.getByTestId('sms-later-account.smsCode').click()
    await expect(page.getByTestId('sms-deferred-account.smsCode')).toBeVisible()
    await nextTo(page, 'capture')
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('连不上平台')
    await idPhotos(page)
    await nextTo(page, 'summary')
    await expect(page.getByTestId('summary-account.smsCode')).toHaveText('稍后由平台发送验证码验证')
    const { id, receiptCode } = await submit(page)
    // The receipt says it waits on this kiosk.
    await expect(page.getByTestId('receipt-printed')).toBeVisible()
    expect(await writtenText(page, 'receipt_pdf')).toContain('已在本机登记，联网后自动报送')
    expect(await writtenText(page, 'receipt_pdf')).toContain(receiptCode)
    await page.getByTestId('done-home').click()
    await page.getByTestId('tile-queue').click()
    await expect(page.getByTestId('queue-table')).toContainText('已提交')
    const report = await bridge.sync()
    expect(report.delivered, 'nothing gets through while the line is down').toBe(0)
    // The line is back; the clerk does not wait for the next attempt: retry, sync now.
    await bridge.platformUp()
    await page.getByTestId(`queue-retry-${id}`).click()
    await page.getByTestId('sync-now').click()
    await expect(page.getByTestId('queue-table')).toContainText('平台已受理')
    // The application arrived; the platform texts the mobile a code to verify it later.
    const received = await bridge.submission(id)
    expect(received).toMatchObject({ state: 'accepted', mobileUnverified: true })
    expect(received.payload).toMatchObject({
      account: { smsDeferred: true },
      realNameCheck: { outcome: 'manual-review', reason: 'offline' },
    })
    expect(await bridge.smsCode(zhangSan.mobile), 'the verify-later code').toMatch(/^\d{6}$/)
  })
})

test.describe('Tianjin natural person at an offline hall', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin', at: tianjinMorning } })

  test('no line to the platform: the mobile is verified later, manual review with ID photos, queued, synced once the line is back', async ({ page, bridge }) => {
    // The hall's line is down before the visitor comes.
    await bridge.platformDown()
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await fill(page, 'account.accountName', 'liuyang08')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.name', sunMin.name)
    await fill(page, 'person.document.number', sunMin.id)
    await date(page, 'person.document.validity.from', '2016-05-20')
    await date(page, 'person.document.validity.until', '2036-05-20')
    await fill(page, 'person.mobile', sunMin.mobile)
    await expect(page.getByTestId('sms-later-account.smsCode'), 'offered only once Rust found the platform unreachable').toHaveCount(0)
    await page.getByTestId('sms-send-account.smsCode').click()
    await expect(page.getByTestId('field-error-account.smsCode')).toContainText('连不上平台')
    await page.getByTestId('sms-later-account.smsCode').click()
    await expect(page.getByTestId('sms-deferred-account.smsCode')).toBeVisible()
    await nextTo(page, 'capture')
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('连不上平台')
    await idPhotos(page)
    await nextTo(page, 'summary')
    await expect(page.getByTestId('summary-account.smsCode')).toHaveText('稍后由平台发送验证码验证')
    const { id, receiptCode } = await submit(page)
    await expect(page.getByTestId('receipt-printed')).toBeVisible()
    expect(await writtenText(page, 'receipt_pdf')).toContain('已在本机登记，联网后自动报送')
    expect(await writtenText(page, 'receipt_pdf')).toContain(receiptCode)
    expect((await bridge.sync()).delivered, 'queued while the line is down').toBe(0)
    // The line is back; the clerk retries it now rather than wait for the next attempt.
    await bridge.platformUp()
    await bridge.invoke('queue_retry', { id })
    const received = await deliver(bridge, id)
    expect(received).toMatchObject({ state: 'accepted', profile: 'tianjin', mobileUnverified: true })
    expect(received.attachments.map((a) => a.slot).sort()).toEqual(['id-back', 'id-front'])
    expect(received.payload).toMatchObject({
      account: { accountName: 'liuyang08', smsDeferred: true },
      person: { name: sunMin.name, mobile: sunMin.mobile, document: { number: sunMin.id, validity: { from: '2016-05-20', until: '2036-05-20' } } },
      realNameCheck: { outcome: 'manual-review', reason: 'offline' },
    })
    expect(await bridge.smsCode(sunMin.mobile), 'the platform texts the verify-later code on arrival').toMatch(/^\d{6}$/)
  })
})

test.describe('real-name mismatch', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'zhengzhou' } })

  test('a name that does not match the number is said at the name; confirmed as typed, it goes to manual review', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'real-name')
    await choose(page, 'subject', '个人用户')
    await nextTo(page, 'person')
    await fill(page, 'person.name', '张四')
    await fill(page, 'person.document.number', zhangSan.id)
    await choose(page, 'person.sex', zhangSan.sex)
    await choose(page, 'person.ethnicity', '汉族')
    await next(page)
    await expect(page.getByTestId('field-error-person.name')).toContainText('姓名与证件号码不一致')
    await expect(page.getByTestId('step-person')).toBeVisible()
    await page.getByTestId('confirm-manual').click()
    // A person has no unit step: on to the document photos for the manual review.
    await expect(page.getByTestId('step-capture')).toBeVisible()
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('您确认姓名与证件号码填写无误')
    await idPhotos(page)
    await nextTo(page, 'summary')
    const { id } = await submit(page)
    const received = await deliver(bridge, id)
    expect(received.payload).toMatchObject({ person: { name: '张四', document: { number: zhangSan.id } }, realNameCheck: { outcome: 'manual-review', reason: 'mismatch' } })
    expect(received).toMatchObject({ state: 'accepted', manualReview: true })
  })
})
