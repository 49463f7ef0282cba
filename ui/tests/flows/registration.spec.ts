import { test, expect, type Page } from '@playwright/test'
import { counterAnswers, ipcCalls, receipt, signIn, validValue } from './fixtures'
import type { Problem } from '../../src/bindings/Problem'

async function fillPerson(page: Page) {
  await page.getByTestId('field-person.name').fill('赵丽华')
  await page.getByTestId('field-person.document.number').fill('11010519491231002X')
  await page.getByTestId('field-person.sex').click()
  await page.getByRole('option', { name: '女' }).click()
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('field-account.accountName').fill('zhaolihua01')
  await page.getByTestId('field-account.password').fill('Kx9!pQ2#mZ')
  await page.getByTestId('field-account.passwordConfirmation').fill('Kx9!pQ2#mZ')
  await page.getByTestId('field-person.mobile').fill('13812345678')
  await page.getByTestId('field-person.email').fill('zhao@example.cn')
  await page.getByTestId('wizard-next').click()
}

test('natural person: consent, platform, fields, masked summary, submit, application number', async ({ page }) => {
  await signIn(page, counterAnswers())
  await page.getByTestId('tile-natural-person').click()
  await expect(page.getByTestId('consent-who')).toContainText('金水区政务服务大厅 1 号')
  await expect(page.getByTestId('consent-how-long')).toContainText('7 天')
  await expect(page.getByTestId('consent-refuse')).toContainText('可以拒绝')
  await page.getByTestId('consent-agree').click()
  await expect(page.getByTestId('wizard-next')).toBeDisabled()
  await page.getByTestId('profile-tianjin').click()
  await page.getByTestId('wizard-next').click()
  await fillPerson(page)
  await expect(page.getByTestId('summary-person.document.number')).toHaveText('110***********002X')
  await expect(page.getByTestId('summary-account.password')).toHaveText('••••••••')
  await expect(page.getByTestId('summary-person.name')).toHaveText('赵丽华')
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('application-number')).toHaveText(receipt.id)
  const submit = (await ipcCalls(page)).find((c) => c.cmd === 'submit_application')
  expect(submit?.args).toMatchObject({
    profile: 'tianjin',
    application: {
      profile: 'tianjin',
      kind: 'natural-person',
      person: {
        name: '赵丽华',
        sex: 'female',
        mobile: '13812345678',
        document: { docType: 'resident-id', number: '11010519491231002X' },
      },
      account: { accountName: 'zhaolihua01', password: 'Kx9!pQ2#mZ', passwordConfirmation: 'Kx9!pQ2#mZ' },
    },
  })
  await page.getByTestId('done-home').click()
  await expect(page.getByTestId('tiles')).toBeVisible()
  // The session's data is gone: a new flow starts at the consent again.
  await page.goto('/#/register/natural-person')
  await expect(page.getByTestId('consent')).toBeVisible()
})

test('a refusal from Rust is shown in both languages and points at the field to fix', async ({ page }) => {
  const refused: Problem = {
    code: 'RESIDENT_ID_CHECK_CHAR',
    zh: '身份证号码最后一位校验码不对，请核对证件后重新输入。',
    en: 'The last character of the ID number does not match; check the card and type it again.',
    field: 'person.document.number',
  }
  await signIn(page, counterAnswers({ submit_application: { error: refused } }))
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await page.getByTestId('profile-most').click()
  await page.getByTestId('wizard-next').click()
  await fillPerson(page)
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('register-problem')).toContainText('校验码不对')
  await expect(page.getByTestId('step-identity')).toBeVisible()
  await expect(page.locator('.register__field.is-error')).toContainText('证件号码')
  await page.getByTestId('language').click()
  await expect(page.getByTestId('register-problem')).toContainText('check the card and type it again')
})

test('declining the consent records nothing and goes back home', async ({ page }) => {
  await signIn(page, counterAnswers())
  await page.getByTestId('tile-legal-entity').click()
  await page.getByTestId('consent-decline').click()
  await expect(page.getByTestId('tiles')).toBeVisible()
  expect((await ipcCalls(page)).some((c) => c.cmd === 'submit_application')).toBe(false)
})

test('legal entity: unit, people, summary and submission for the Zhengzhou platform', async ({ page }) => {
  await signIn(page, counterAnswers())
  await page.getByTestId('tile-legal-entity').click()
  await page.getByTestId('consent-agree').click()
  await page.getByTestId('profile-zhengzhou').click()
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('field-unit.entityType').click()
  await page.getByRole('option', { name: '企业' }).click()
  await page.getByTestId('field-unit.name').fill('郑州市金水区示例科技有限公司')
  await page.getByTestId('field-unit.uscc').fill('91410105MA44XXXX1Q')
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('field-legalRepresentative.name').fill('钱伟')
  await page.getByTestId('field-legalRepresentative.document.number').fill('410105198001011234')
  await page.getByTestId('field-primaryAgent.name').fill('孙敏')
  await page.getByTestId('field-primaryAgent.mobile').fill('13912345678')
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('summary-legalRepresentative.document.number')).toHaveText('410***********1234')
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('done')).toBeVisible()
  const submit = (await ipcCalls(page)).find((c) => c.cmd === 'submit_application')
  expect(submit?.args).toMatchObject({
    profile: 'zhengzhou',
    application: {
      kind: 'legal-entity',
      unit: { entityType: 'enterprise', name: '郑州市金水区示例科技有限公司', uscc: '91410105MA44XXXX1Q' },
      legalRepresentative: { name: '钱伟', document: { docType: 'resident-id', number: '410105198001011234' } },
      primaryAgent: { name: '孙敏', mobile: '13912345678' },
    },
  })
})

test('a field is checked by Rust when it is left; its problem blocks the step until fixed', async ({ page }) => {
  const wrongCheckChar: Problem = {
    code: 'RESIDENT_ID_CHECK_CHAR',
    zh: '身份证号码校验位不正确，可能有一位输错，请逐位核对证件。',
    en: "The ID number's check character does not match: a digit is probably mistyped. Compare it with the card digit by digit.",
  }
  await signIn(
    page,
    counterAnswers({
      validate_value: {
        sequence: [{ ...validValue, input: '110105194912310021', valid: false, normalized: null, errors: [wrongCheckChar] }, validValue],
      },
    }),
  )
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await expect(page.getByTestId('profile-tianjin')).toContainText('天津市科技管理信息平台')
  await page.getByTestId('profile-tianjin').click()
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('field-person.document.number').fill('110105194912310021')
  await page.getByTestId('field-person.name').focus()
  await expect(page.getByTestId('field-error-person.document.number')).toContainText('校验位不正确')
  await expect(page.getByTestId('wizard-next')).toBeDisabled()
  await page.getByTestId('language').click()
  await expect(page.getByTestId('field-error-person.document.number')).toContainText('digit by digit')
  await page.getByTestId('field-person.document.number').fill('11010519491231002X')
  await page.getByTestId('field-person.name').focus()
  await expect(page.getByTestId('field-error-person.document.number')).toHaveCount(0)
  await expect(page.getByTestId('wizard-next')).toBeEnabled()
  const checks = (await ipcCalls(page)).filter((c) => c.cmd === 'validate_value').map((c) => c.args)
  expect(checks).toEqual([
    { kind: 'resident-id', input: '110105194912310021' },
    { kind: 'resident-id', input: '11010519491231002X' },
  ])
})
