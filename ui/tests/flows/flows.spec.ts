// Wizard behaviour off the main journeys (journeys.spec walks those with a platform): paper that
// jams, a file Rust refuses to do without, and a real-name request in a hall without a link.
import { expect, test } from './bridge'
import { ipcCalls } from './ipc-mock'
import { choose, date, fill, idPhotos, longTerm, nextTo, paper, pickDivision, signIn, startFlow, submit, upload } from './flow-steps'
import { documentFile } from './images'
import { password, zhangSan } from './people'
import type { Captured } from '../../src/bindings/Captured'

test.describe('Tianjin', () => {
  test.use({ bridgeOptions: { hallProfile: 'tianjin', platform: true, at: '2026-12-04 02:00:00' } })

  test('legal entity: a printer failure says what to do and prints again; a missing attachment refused by Rust leads back to the captures', async ({ page, bridge }) => {
    const noPaper = { code: 'PRINT_FAILED', zh: '打印机缺纸，请补纸后点“再打印”。', en: 'The printer is out of paper; refill it and print again.' }
    await signIn(page, bridge, 'clerk', { ...paper, print_document: { sequence: [{ error: noPaper }, { printer: 'hall-printer', jobId: 2 }] } })
    await startFlow(page, 'legal-entity')
    await fill(page, 'account.accountName', 'hepingtech2')
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
    await pickDivision(page, 'unit.locatedAddress', ['天津市', '天津市', '和平区'])
    await fill(page, 'unit.locatedAddress.detail', '南京路 100 号')
    await nextTo(page, 'bank')
    await fill(page, 'unit.bankAccount.holder', '天津市和平区示例科技有限公司')
    await fill(page, 'unit.bankAccount.bank', '中国银行天津和平支行')
    await fill(page, 'unit.bankAccount.number', '6217000012345678')
    await nextTo(page, 'legal-representative')
    await fill(page, 'legalRepresentative.name', zhangSan.name)
    await fill(page, 'legalRepresentative.document.number', zhangSan.id)
    await date(page, 'legalRepresentative.document.validity.from', '2015-03-01')
    await longTerm(page, 'legalRepresentative.document.validity')
    await fill(page, 'legalRepresentative.mobile', zhangSan.mobile)
    await nextTo(page, 'risk-letter')
    await page.getByTestId('print-risk-letter').click()
    await expect(page.getByTestId('risk-letter-problem')).toContainText('缺纸')
    await page.getByTestId('print-risk-letter').click()
    await expect(page.getByTestId('risk-letter-printed')).toBeVisible()
    // The clerk forgets the signed letter.
    await nextTo(page, 'capture')
    await upload(page, 'business-licence', documentFile('licence.png', 1))
    await upload(page, 'bank-account-permit', documentFile('permit.png', 2))
    await nextTo(page, 'summary')
    await page.getByTestId('wizard-submit').click()
    await expect(page.getByTestId('step-capture')).toBeVisible()
    await expect(page.getByTestId('register-problem')).toContainText('缺少必需的')
    const refused = (await ipcCalls(page)).find((c) => c.cmd === 'submit_application')?.error
    expect(refused).toMatchObject({ code: 'ATTACHMENT_MISSING', field: expect.stringContaining('risk-commitment') })
  })
})

test.describe('Zhengzhou, not connected', () => {
  test.use({ bridgeOptions: { hallProfile: 'zhengzhou' } })

  test('real-name verification without the platform goes to manual review with ID photos', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'real-name')
    await choose(page, 'subject', '个人用户')
    await nextTo(page, 'person')
    await fill(page, 'person.name', zhangSan.name)
    await fill(page, 'person.document.number', zhangSan.id)
    await choose(page, 'person.sex', zhangSan.sex)
    await choose(page, 'person.ethnicity', '汉族')
    // A person has no unit step: straight to the document photos.
    await nextTo(page, 'capture')
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('连不上平台')
    await expect(page.getByTestId('manual-review-note')).toBeVisible()
    await idPhotos(page)
    await nextTo(page, 'summary')
    await expect(page.getByTestId('summary-person.ethnicity')).toContainText('汉族')
    await submit(page)
    const calls = await ipcCalls(page)
    const uploaded = calls.filter((c) => c.cmd === 'capture_upload').map((c) => (c.result as Captured).id)
    expect(calls.find((c) => c.cmd === 'submit_application')?.args).toMatchObject({
      profile: 'zhengzhou',
      captureIds: uploaded,
      application: { kind: 'real-name', subject: 'natural-person', person: { ethnicity: '01' }, realNameCheck: { outcome: 'manual-review', reason: 'offline' } },
    })
    const queued = await bridge.invoke<{ kind: string; state: string }[]>('queue_list', { filter: null, limit: 10 })
    expect(queued).toMatchObject([{ kind: 'real-name', state: 'submitted' }])
  })
})
