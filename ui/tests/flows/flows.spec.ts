// Every visitor flow besides the natural person: legal entity (draft → risk letter → captures),
// real-name verification, old-account binding, password-reset appeal, status lookup.
import { test, expect } from '@playwright/test'
import { ipcCalls, receipt, signIn } from './fixtures'
import { captured, draftId, flowAnswers, found } from './flow-fixtures'
import { choose, file, fill, fillTianjinEntity, next, nextTo, start, upload } from './flow-steps'
import type { Problem } from '../../src/bindings/Problem'

test('legal entity (Tianjin): form → draft → printed risk letter → captures → summary → submit with the draft number', async ({ page }) => {
  await start(page, 'legal-entity', 'tianjin')
  await fillTianjinEntity(page)
  await next(page)
  await expect(page.getByTestId('step-risk-letter')).toBeVisible()
  await expect(page.getByTestId('draft-number')).toHaveText(draftId)
  await page.getByTestId('print-risk-letter').click()
  await expect(page.getByTestId('risk-letter-printed')).toBeVisible()
  await next(page)
  await expect(page.getByTestId('step-capture')).toBeVisible()
  await upload(page, 'business-licence', file('licence.jpg'))
  await upload(page, 'risk-commitment', file('letter.jpg'))
  await upload(page, 'bank-account-permit', file('permit.jpg'))
  await expect(page.getByTestId('slot-bank-account-permit').getByTestId('captured-item')).toHaveCount(1)
  await next(page)
  await expect(page.getByTestId('summary-unit.registeredAddress')).toHaveText('天津市 / 天津市 / 和平区 南京路 100 号')
  await expect(page.getByTestId('summary-unit.bankAccount.number')).toHaveText('621*********5678')
  await expect(page.getByTestId('summary-slot-risk-commitment')).toHaveText('1 个文件')
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('done')).toBeVisible()
  const calls = await ipcCalls(page)
  const saved = calls.find((c) => c.cmd === 'draft_save')?.args.draft as Record<string, unknown>
  expect(saved).toMatchObject({ profile: 'tianjin', kind: 'legal-entity', application: { unit: { uscc: '91120101MA05XXXX1Q' } } })
  expect(calls.find((c) => c.cmd === 'risk_letter_pdf')?.args).toEqual({ draftId })
  // The file goes as the raw request body, slot and name as headers (see commands.captureUpload).
  const uploadCall = calls.find((c) => c.cmd === 'capture_upload') as
    | { args: Record<string, number>; options?: { headers?: Record<string, string> } }
    | undefined
  expect(Object.values(uploadCall?.args ?? {})).toEqual([0xff, 0xd8, 0xff, 0xd9])
  expect(uploadCall?.options?.headers).toEqual({ slot: 'business-licence', 'file-name': 'licence.jpg' })
  expect(calls.find((c) => c.cmd === 'submit_application')?.args).toMatchObject({
    profile: 'tianjin',
    draftId,
    captureIds: [captured('business-licence', 1).id, captured('risk-commitment', 1).id, captured('bank-account-permit', 1).id],
    application: {
      kind: 'legal-entity',
      unit: {
        registeredAddress: { divisionCode: '120101', detail: '南京路 100 号' },
        locatedAddress: { divisionCode: '120102', detail: '六纬路 8 号 3 楼' },
        bankAccount: { holder: '天津市和平区示例科技有限公司', bank: '中国银行天津分行', number: '6217000012345678' },
      },
      legalRepresentative: { name: '钱伟', document: { docType: 'resident-id', number: '120101198001011234' } },
    },
  })
})

test('legal entity: a printer failure says what to do and the letter can be printed again', async ({ page }) => {
  const noPaper: Problem = { code: 'PRINT_FAILED', zh: '打印机缺纸，请补纸后点“再打印”。', en: 'The printer is out of paper; refill it and print again.' }
  await start(page, 'legal-entity', 'tianjin', flowAnswers({ print_document: { sequence: [{ error: noPaper }, { printer: 'hall', jobId: 2 }] } }))
  await fillTianjinEntity(page)
  await next(page)
  await page.getByTestId('print-risk-letter').click()
  await expect(page.getByTestId('risk-letter-problem')).toContainText('缺纸')
  await page.getByTestId('print-risk-letter').click()
  await expect(page.getByTestId('risk-letter-printed')).toBeVisible()
})

test('legal entity: a missing attachment refused by Rust leads back to the captures', async ({ page }) => {
  const missing: Problem = { code: 'ATTACHMENT_REQUIRED', zh: '缺少必需的材料，请拍摄或扫描后上传。', en: 'A required attachment is missing.', field: 'attachments.risk-commitment' }
  await start(page, 'legal-entity', 'tianjin', flowAnswers({ submit_application: { error: missing } }))
  await fillTianjinEntity(page)
  await nextTo(page, 'risk-letter')
  await nextTo(page, 'capture')
  await nextTo(page, 'summary')
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('step-capture')).toBeVisible()
  await expect(page.getByTestId('register-problem')).toContainText('缺少必需的材料')
})

test('real-name verification without the platform goes to manual review with ID photos', async ({ page }) => {
  await start(page, 'real-name', 'most', flowAnswers({ capture_upload: { sequence: [captured('id-front', 1), captured('id-back', 1)] } }))
  await expect(page.getByTestId('real-name-mode')).toContainText('人工审核')
  await next(page)
  await choose(page, 'subject', '个人用户')
  await next(page)
  await fill(page, 'person.name', '赵丽华')
  await choose(page, 'person.ethnicity', '汉族')
  await fill(page, 'person.mobile', '13812345678')
  await fill(page, 'person.document.number', '11010519491231002X')
  let guard = 0
  while (!(await page.getByTestId('step-capture').isVisible()) && guard++ < 5) await next(page)
  await upload(page, 'id-front', file('front.jpg'))
  await upload(page, 'id-back', file('back.jpg'))
  await expect(page.getByTestId('slot-id-back').getByTestId('captured-item')).toHaveCount(1)
  await next(page)
  await expect(page.getByTestId('summary-manualFallback')).toHaveText('是')
  await expect(page.getByTestId('summary-person.ethnicity')).toContainText('汉族')
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('done')).toBeVisible()
  const submit = (await ipcCalls(page)).find((c) => c.cmd === 'submit_application')?.args
  expect(submit).toMatchObject({
    profile: 'most',
    captureIds: ['cap-id-front-1', 'cap-id-back-1'],
    application: { kind: 'real-name', subject: 'natural-person', manualFallback: true, person: { ethnicity: '01' } },
  })
})

test('old-account binding (Zhengzhou): the expert account comes first; mobile and SMS code', async ({ page }) => {
  await start(page, 'legacy-binding', 'zhengzhou')
  await next(page)
  await expect(page.getByTestId('expert-first')).toContainText('先绑定专家账号')
  await choose(page, 'userType', '申报个人用户')
  await fill(page, 'mobile', '13812345678')
  await fill(page, 'smsCode', '654321')
  await page.getByTestId('field-hasUnboundExpertAccount').click()
  await next(page)
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('done')).toBeVisible()
  expect((await ipcCalls(page)).find((c) => c.cmd === 'submit_application')?.args).toMatchObject({
    profile: 'zhengzhou',
    application: { kind: 'legacy-binding', userType: 'applicant-person', mobile: '13812345678', smsCode: '654321', hasUnboundExpertAccount: true },
  })
})

test('old-account binding (Shandong) asks for the old password and never shows it', async ({ page }) => {
  await start(page, 'legacy-binding', 'shandong')
  await next(page)
  await choose(page, 'userType', '申报单位用户')
  await fill(page, 'legacyAccountName', 'sdkj_old')
  await fill(page, 'legacyPassword', 'old-secret-1')
  await next(page)
  await fill(page, 'person.name', '赵丽华')
  await fill(page, 'person.document.number', '11010519491231002X')
  await next(page)
  await expect(page.getByTestId('summary-legacyPassword')).toHaveText('••••••••')
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('done')).toBeVisible()
})

test('password-reset appeal for a legal entity (MOST) with both sides of the ID', async ({ page }) => {
  await start(page, 'password-reset-appeal', 'most', flowAnswers({ capture_upload: { sequence: [captured('id-front', 1), captured('id-back', 1)] } }))
  await next(page)
  await choose(page, 'subject', '法人用户')
  let guard = 0
  const person: [string, string][] = [
    ['person.name', '孙敏'],
    ['person.mobile', '13912345678'],
    ['person.document.number', '11010519491231002X'],
    ['smsCode', '112233'],
    ['unit.name', '郑州市金水区示例科技有限公司'],
    ['unit.uscc', '91410105MA44XXXX1Q'],
  ]
  while (!(await page.getByTestId('step-capture').isVisible()) && guard++ < 6) {
    for (const [path, value] of person) {
      const input = page.getByTestId(`field-${path}`)
      if (await input.isVisible()) await input.fill(value)
    }
    await next(page)
  }
  await upload(page, 'id-front', file('front.jpg'))
  await upload(page, 'id-back', file('back.jpg'))
  await next(page)
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('application-number')).toHaveText(receipt.id)
  expect((await ipcCalls(page)).find((c) => c.cmd === 'submit_application')?.args).toMatchObject({
    profile: 'most',
    captureIds: ['cap-id-front-1', 'cap-id-back-1'],
    application: { kind: 'password-reset-appeal', subject: 'legal-entity', unit: { uscc: '91410105MA44XXXX1Q' } },
  })
})

test('status lookup by application number and the last 4 of the ID; a wrong pair says what to check', async ({ page }) => {
  const notFound: Problem = {
    code: 'STATUS_NOT_FOUND',
    zh: '没有找到这份申请。请核对回执上的申请编号和身份证号码后四位后重试，或请工作人员协助。',
    en: 'No application matches. Check the number on the receipt and the last four characters of the ID number, or ask the staff.',
  }
  await signIn(page, flowAnswers({ status_lookup: { sequence: [{ error: notFound }, found] } }))
  await page.getByTestId('tile-status').click()
  await page.getByTestId('status-number').fill(receipt.id)
  await expect(page.getByTestId('status-submit')).toBeDisabled()
  await page.getByTestId('status-last4').fill('0021')
  await page.getByTestId('status-submit').click()
  await expect(page.getByTestId('status-problem')).toContainText('没有找到这份申请')
  await page.getByTestId('status-last4').fill('002X')
  await page.getByTestId('status-submit').click()
  await expect(page.getByTestId('status-state')).toHaveText('已核验')
  await expect(page.getByTestId('status-message')).toContainText('注册成功')
  expect((await ipcCalls(page)).filter((c) => c.cmd === 'status_lookup').map((c) => c.args)).toEqual([
    { applicationId: receipt.id, idLast4: '0021' },
    { applicationId: receipt.id, idLast4: '002X' },
  ])
})
