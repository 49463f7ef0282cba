// The natural-person wizard's own behaviour on the real rules: required fields, checks when a
// field is left, Rust's check of the whole application before the summary, refusals at
// submission, declining the consent. (The full journeys, with a platform, are in journeys.spec.)
import { expect, test } from './bridge'
import { ipcCalls } from './ipc-mock'
import { choose, fill, fillAndLeave, idPhotos, next, nextTo, signIn, startFlow } from './flow-steps'
import { zhangSan } from './people'

test.use({ bridgeOptions: { hallProfile: 'tianjin' } })

test('a required field left empty is named at the field and blocks the step', async ({ page, bridge }) => {
  await signIn(page, bridge)
  await startFlow(page, 'natural-person')
  await fill(page, 'account.accountName', 'zhaolihua01')
  await next(page)
  await expect(page.getByTestId('field-error-account.password')).toContainText('必填')
  await expect(page.getByTestId('step-account')).toBeVisible()
})

test("Rust's check of the whole application before the summary sends the visitor back to the field, in both languages", async ({ page, bridge }) => {
  // The password contains the ID number typed on the next step: only the whole application shows it.
  const password = `A!${zhangSan.id}`
  await signIn(page, bridge)
  await startFlow(page, 'natural-person')
  await fill(page, 'account.accountName', 'zhangsan21')
  await fill(page, 'account.password', password)
  await fill(page, 'account.passwordConfirmation', password)
  await nextTo(page, 'person')
  await fill(page, 'person.name', zhangSan.name)
  await fill(page, 'person.document.number', zhangSan.id)
  await fill(page, 'person.mobile', zhangSan.mobile)
  await page.getByTestId('sms-send-account.smsCode').click()
  await page.getByTestId('sms-later-account.smsCode').click()
  // Not enrolled: the real name goes to manual review, with photos.
  await nextTo(page, 'capture')
  await idPhotos(page)
  await next(page)
  await expect(page.getByTestId('step-account')).toBeVisible()
  await expect(page.getByTestId('field-error-account.password')).toContainText('密码不能包含证件号码')
  const report = (await ipcCalls(page)).filter((c) => c.cmd === 'validate_application').pop()?.result as { errors: { code: string }[] }
  expect(report.errors.map((e) => e.code)).toContain('PASSWORD_CONTAINS_ID_NUMBER')
  await page.getByTestId('language').click()
  await expect(page.getByTestId('field-error-account.password')).toContainText('must not contain the ID number')
})

test('declining the consent records nothing and goes back home', async ({ page, bridge }) => {
  await signIn(page, bridge)
  await page.getByTestId('tile-legal-entity').click()
  await page.getByTestId('consent-decline').click()
  await expect(page.getByTestId('tiles')).toBeVisible()
  expect((await ipcCalls(page)).some((c) => c.cmd === 'submit_application' || c.cmd === 'draft_save')).toBe(false)
  expect(await bridge.invoke('queue_list', { filter: null, limit: 10 })).toEqual([])
})

test('a field is checked by Rust when it is left; its problem blocks the step until fixed', async ({ page, bridge }) => {
  await signIn(page, bridge)
  await startFlow(page, 'natural-person')
  await page.getByTestId('change-platform').click()
  await page.getByTestId('profile-most').click()
  await next(page)
  // MOST: account first, then the person. Only the account step's required fields block it.
  await expect(page.getByTestId('step-account')).toBeVisible()
  await fill(page, 'account.accountName', 'zhaolihua01')
  await fill(page, 'account.password', 'Kx9!pQ2#mZ')
  await fill(page, 'account.passwordConfirmation', 'Kx9!pQ2#mZ')
  await nextTo(page, 'person')
  await fillAndLeave(page, 'person.document.number', '110105194912310021')
  await expect(page.getByTestId('field-error-person.document.number')).toContainText('校验')
  await expect(page.getByTestId('wizard-next')).toBeDisabled()
  await page.getByTestId('language').click()
  await expect(page.getByTestId('field-error-person.document.number')).toContainText('check')
  await fillAndLeave(page, 'person.document.number', zhangSan.id)
  await expect(page.getByTestId('field-error-person.document.number')).toHaveCount(0)
  await expect(page.getByTestId('wizard-next')).toBeEnabled()
  // Each time the number was left, Rust checked it with the whole form: refused, then fine.
  const checks = (await ipcCalls(page)).filter((c) => c.cmd === 'wizard_check_field' && c.args.path === 'person.document.number')
  expect(checks.map((c) => (c.result as unknown[]).length > 0)).toEqual([true, false])
  expect(checks[0].args).toMatchObject({ profile: 'most', kind: 'natural-person' })
})

test('a press that leaves a field lands where it was pressed: the field\'s problems show after the release', async ({ page, bridge }) => {
  await signIn(page, bridge)
  await startFlow(page, 'natural-person')
  await expect(page.getByTestId('step-account')).toBeVisible()
  await page.getByTestId('field-account.password').fill('abc')
  // The finger goes down on 放弃办理 below the password field, which it leaves: Rust answers
  // the field's check while the finger is still down.
  const cancel = page.getByTestId('wizard-cancel')
  const pressedAt = await cancel.boundingBox()
  if (!pressedAt) throw new Error('放弃办理 is not on the screen')
  await page.mouse.move(pressedAt.x + pressedAt.width / 2, pressedAt.y + pressedAt.height / 2)
  await page.mouse.down()
  const answered = async () =>
    (await ipcCalls(page)).some((c) => c.cmd === 'wizard_check_field' && c.args.path === 'account.password' && c.result !== undefined)
  await expect.poll(answered, { message: 'Rust checked the password it left' }).toBe(true)
  await page.evaluate(() => new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn))))
  // Nothing moved under the finger.
  await expect(page.getByTestId('field-error-account.password')).toHaveCount(0)
  expect(await cancel.boundingBox()).toEqual(pressedAt)
  // The finger lifts where it went down: the tap lands, and the visitor is home.
  await page.mouse.up()
  await expect(page.getByTestId('tiles')).toBeVisible()
  expect(await bridge.invoke('queue_list', { filter: null, limit: 10 })).toEqual([])
})

test.describe('a hall serving every platform', () => {
  test.use({ bridgeOptions: {} })

test('a submission refused without a field (the kiosk stopped taking new applications) keeps the summary and says what to do', async ({ page, bridge }) => {
  // The administrator allows one unsent application; another counter fills it meanwhile.
  await signIn(page, bridge, 'admin')
  await page.getByTestId('tile-settings').click()
  await page.getByTestId('set-limit-maxUnsent').locator('input').fill('1')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  await page.getByTestId('header-kiosk').click()
  await startFlow(page, 'legacy-binding', 'shandong')
  await choose(page, 'userType', '申报个人用户')
  await fill(page, 'legacyAccountName', 'sdkj_old02')
  await fill(page, 'legacyPassword', 'Old-secret-2')
  await nextTo(page, 'person')
  await fill(page, 'person.name', zhangSan.name)
  await fill(page, 'person.document.number', zhangSan.id)
  await nextTo(page, 'summary')
  await bridge.submitFixture('tianjin-natural-person')
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('register-problem')).toBeVisible()
  await expect(page.getByTestId('step-summary')).toBeVisible()
  const refused = (await ipcCalls(page)).filter((c) => c.cmd === 'submit_application').pop()?.error
  expect(refused?.field, 'no field to point at').toBeUndefined()
  await expect(page.getByTestId('register-problem')).toContainText(refused?.zh.slice(0, 12) ?? '?')
})
})
