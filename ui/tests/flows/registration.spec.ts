// Natural-person registration through the profile-driven wizard, and its error paths.
import { test, expect, type Page } from '@playwright/test'
import { ipcCalls, receipt, signIn, validValue } from './fixtures'
import { flowAnswers } from './flow-fixtures'
import { fillTianjinPerson } from './flow-steps'
import type { Problem } from '../../src/bindings/Problem'

const fill = (page: Page, path: string, value: string) => page.getByTestId(`field-${path}`).fill(value)

async function startTianjin(page: Page, answers = flowAnswers()) {
  await signIn(page, answers)
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await expect(page.getByTestId('wizard-next')).toBeDisabled()
  await page.getByTestId('profile-tianjin').click()
  await page.getByTestId('wizard-next').click()
}

test('natural person: consent, platform, the profile steps, masked summary, submit, printed receipt', async ({ page }) => {
  await startTianjin(page)
  // Offline (no platform connected): the SMS code cannot be sent now, the visitor is told so.
  await expect(page.getByTestId('field-hint-account.smsCode')).toContainText('未联网')
  await fillTianjinPerson(page)
  await expect(page.getByTestId('summary-person.document.number')).toHaveText('110***********002X')
  await expect(page.getByTestId('summary-account.password')).toHaveText('••••••••')
  await expect(page.getByTestId('summary-person.mobile')).toHaveText('138****5678')
  await expect(page.getByTestId('summary-person.document.validity')).toHaveText('2015-03-01 – 长期')
  await expect(page.getByTestId('summary-person.document.docType')).toHaveText('居民身份证')
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('application-number')).toHaveText(receipt.id)
  await expect(page.getByTestId('receipt-printed')).toBeVisible()
  const calls = await ipcCalls(page)
  expect(calls.find((c) => c.cmd === 'flow_form')?.args).toEqual({ profile: 'tianjin', kind: 'natural-person' })
  expect(calls.find((c) => c.cmd === 'validate_application')?.args).toMatchObject({ profile: 'tianjin' })
  expect(calls.find((c) => c.cmd === 'submit_application')?.args).toMatchObject({
    profile: 'tianjin',
    captureIds: [],
    draftId: null,
    application: {
      profile: 'tianjin',
      kind: 'natural-person',
      person: {
        name: '赵丽华',
        mobile: '13812345678',
        document: { docType: 'resident-id', number: '11010519491231002X', validity: { from: '2015-03-01', until: 'long-term' } },
      },
      account: { accountName: 'zhaolihua01', password: 'Kx9!pQ2#mZ', passwordConfirmation: 'Kx9!pQ2#mZ', smsCode: '123456' },
    },
  })
  expect(calls.find((c) => c.cmd === 'receipt_pdf')?.args).toEqual({ applicationId: receipt.id, paper: '80mm' })
  expect(calls.find((c) => c.cmd === 'print_document')?.args).toMatchObject({ path: '/var/lib/tongban/print/receipt.pdf' })
  await page.getByTestId('done-home').click()
  await expect(page.getByTestId('tiles')).toBeVisible()
  // The session's data is gone: a new flow starts at the consent again.
  await page.goto('/#/register/natural-person')
  await expect(page.getByTestId('consent')).toBeVisible()
})

test('a required field left empty is named at the field and blocks the step', async ({ page }) => {
  await startTianjin(page)
  await fill(page, 'account.accountName', 'zhaolihua01')
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('field-error-account.password')).toContainText('必填')
  await expect(page.getByTestId('step-account')).toBeVisible()
})

test('a refusal from Rust at submission is shown at its field, in both languages', async ({ page }) => {
  const refused: Problem = {
    code: 'RESIDENT_ID_CHECK_CHAR',
    zh: '身份证号码最后一位校验码不对，请核对证件后重新输入。',
    en: 'The last character of the ID number does not match; check the card and type it again.',
    field: 'person.document.number',
  }
  await startTianjin(page, flowAnswers({ submit_application: { error: refused } }))
  await fillTianjinPerson(page)
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('register-problem')).toContainText('校验码不对')
  await expect(page.getByTestId('step-person')).toBeVisible()
  await expect(page.getByTestId('field-error-person.document.number')).toContainText('校验码不对')
  await page.getByTestId('language').click()
  await expect(page.getByTestId('field-error-person.document.number')).toContainText('check the card and type it again')
})

test("Rust's check of the whole application before the summary sends the visitor back to the field", async ({ page }) => {
  const mismatch: Problem = {
    code: 'PASSWORD_CONFIRMATION_MISMATCH',
    zh: '两次输入的密码不一致，请重新输入确认密码。',
    en: 'The two passwords differ; type the confirmation again.',
    field: 'account.passwordConfirmation',
  }
  await startTianjin(page, flowAnswers({ validate_application: { sequence: [{ valid: false, errors: [mismatch], warnings: [] }, { valid: true, errors: [], warnings: [] }] } }))
  await fillTianjinPerson(page)
  await expect(page.getByTestId('step-account')).toBeVisible()
  await expect(page.getByTestId('field-error-account.passwordConfirmation')).toContainText('两次输入的密码不一致')
})

test('a submission refused without a field (e.g. the store is full) keeps the summary and says what to do', async ({ page }) => {
  const full: Problem = { code: 'STORE_DISK_FULL', zh: '终端存储空间不足，请联系工作人员。', en: 'The kiosk is out of disk space; ask the staff.' }
  await startTianjin(page, flowAnswers({ submit_application: { error: full } }))
  await fillTianjinPerson(page)
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('register-problem')).toContainText('存储空间不足')
  await expect(page.getByTestId('step-summary')).toBeVisible()
})

test('declining the consent records nothing and goes back home', async ({ page }) => {
  await signIn(page, flowAnswers())
  await page.getByTestId('tile-legal-entity').click()
  await page.getByTestId('consent-decline').click()
  await expect(page.getByTestId('tiles')).toBeVisible()
  expect((await ipcCalls(page)).some((c) => c.cmd === 'submit_application')).toBe(false)
})

test('a field is checked by Rust when it is left; its problem blocks the step until fixed', async ({ page }) => {
  const wrongCheckChar: Problem = {
    code: 'RESIDENT_ID_CHECK_CHAR',
    zh: '身份证号码校验位不正确，可能有一位输错，请逐位核对证件。',
    en: "The ID number's check character does not match: a digit is probably mistyped. Compare it with the card digit by digit.",
  }
  await signIn(
    page,
    flowAnswers({
      validate_value: {
        byArgs: ['kind'],
        answers: {
          'account-name': validValue,
          password: validValue,
          'sms-code': validValue,
          'resident-id': {
            sequence: [{ ...validValue, input: '110105194912310021', valid: false, normalized: null, errors: [wrongCheckChar] }, validValue],
          },
        },
      },
    }),
  )
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await page.getByTestId('profile-most').click()
  await page.getByTestId('wizard-next').click()
  // MOST: account first, then the person. Only the account step's required fields block it.
  await expect(page.getByTestId('step-account')).toBeVisible()
  await fill(page, 'account.accountName', 'zhaolihua01')
  await fill(page, 'account.password', 'Kx9!pQ2#mZ')
  await fill(page, 'account.passwordConfirmation', 'Kx9!pQ2#mZ')
  await fill(page, 'account.smsCode', '123456')
  await page.getByTestId('wizard-next').click()
  await fill(page, 'person.document.number', '110105194912310021')
  await page.getByTestId('field-person.name').focus()
  await expect(page.getByTestId('field-error-person.document.number')).toContainText('校验位不正确')
  await expect(page.getByTestId('wizard-next')).toBeDisabled()
  await page.getByTestId('language').click()
  await expect(page.getByTestId('field-error-person.document.number')).toContainText('digit by digit')
  await fill(page, 'person.document.number', '11010519491231002X')
  await page.getByTestId('field-person.name').focus()
  await expect(page.getByTestId('field-error-person.document.number')).toHaveCount(0)
  await expect(page.getByTestId('wizard-next')).toBeEnabled()
  const checks = (await ipcCalls(page)).filter((c) => c.cmd === 'validate_value').map((c) => c.args)
  expect(checks).toContainEqual({ kind: 'resident-id', input: '110105194912310021' })
  expect(checks).toContainEqual({ kind: 'resident-id', input: '11010519491231002X' })
})
