import { test, expect } from '@playwright/test'
import { mockIpc } from './ipc-mock'
import { admin, counterAnswers, ipcCalls, kioskSettings, modeRules, operator, rulesFor, selfServiceAnswers } from './fixtures'
import { selfServiceFlowAnswers } from './flow-fixtures'

const answers = selfServiceFlowAnswers()

test('self-service offers only visitor flows, with touch targets of at least 48 px', async ({ page }) => {
  await mockIpc(page, answers)
  await page.goto('/')
  await expect(page.getByTestId('header-mode')).toHaveText('自助模式')
  await expect(page.getByTestId('tile-natural-person')).toBeVisible()
  await expect(page.getByTestId('tile-queue')).toHaveCount(0)
  await expect(page.getByTestId('sign-in')).toHaveCount(0)
  for (const id of ['tile-natural-person', 'tile-legal-entity', 'language', 'staff-exit']) {
    const box = await page.getByTestId(id).boundingBox()
    expect(box!.height, id).toBeGreaterThanOrEqual(48)
    expect(box!.width, id).toBeGreaterThanOrEqual(48)
  }
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  const next = await page.getByTestId('wizard-next').boundingBox()
  expect(next!.height).toBeGreaterThanOrEqual(48)
  await page.goto('/#/queue')
  await expect(page.getByTestId('login-form')).toBeVisible()
})

test('idle visitor: countdown from 20 s, a touch keeps the session, then everything is wiped', async ({ page }) => {
  await page.clock.install()
  await mockIpc(page, answers)
  await page.goto('/')
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await page.getByTestId('profile-shandong').click()
  await page.getByTestId('wizard-next').click()
  // Shandong asks for the account first (the profile's order).
  await page.getByTestId('field-account.smsCode').fill('123456')
  await page.getByTestId('field-account.password').fill('Kx9!pQ2#mZ')

  await page.clock.runFor(99_000)
  await expect(page.getByTestId('idle-countdown')).toHaveCount(0)
  await page.clock.runFor(2_000)
  await expect(page.getByTestId('idle-seconds')).toHaveText('19')
  await page.getByTestId('idle-stay').dispatchEvent('click')
  await expect(page.getByTestId('idle-countdown')).toHaveCount(0)
  await expect(page.getByTestId('field-account.smsCode')).toHaveValue('123456')

  await page.clock.runFor(110_000)
  await expect(page.getByTestId('idle-seconds')).toHaveText('10')
  await page.clock.runFor(11_000)
  await expect(page.getByTestId('tiles')).toBeVisible()
  await expect(page.getByTestId('idle-countdown')).toHaveCount(0)
  // Coming back finds an empty form behind a fresh consent.
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await page.getByTestId('profile-shandong').click()
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('field-account.smsCode')).toHaveValue('')
  await expect(page.getByTestId('field-account.password')).toHaveValue('')
})

test('staff leave self-service with their password and get the counter screens', async ({ page }) => {
  await mockIpc(page, answers)
  await page.goto('/')
  await page.getByTestId('staff-exit').click()
  await expect(page.getByText('请工作人员输入账号和密码以退出自助模式。')).toBeVisible()
  await page.locator('#login-username').fill('clerk')
  await page.locator('#login-password').fill('clerk password 1')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('header-mode')).toHaveText('柜台模式')
  await expect(page.getByTestId('tile-queue')).toBeVisible()
  await expect(page.getByTestId('staff-name')).toContainText(operator.displayName)
  expect((await ipcCalls(page)).some((c) => c.cmd === 'staff_login')).toBe(true)
  await page.getByTestId('logout').click()
  await expect(page.getByTestId('header-mode')).toHaveText('自助模式')
})

test('the idle time comes from Rust, and the wipe also clears the capture tray', async ({ page }) => {
  await page.clock.install()
  await mockIpc(page, selfServiceAnswers({ mode_rules: modeRules('self-service', 45) }))
  await page.goto('/')
  await page.getByTestId('language').click()
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await page.clock.runFor(26_000)
  await expect(page.getByTestId('idle-countdown')).toBeVisible()
  await expect(page.getByTestId('idle-seconds')).toHaveText('19')
  await page.clock.runFor(20_000)
  await expect(page.getByTestId('tiles')).toBeVisible()
  expect((await ipcCalls(page)).some((c) => c.cmd === 'capture_clear'), 'capture tray cleared').toBe(true)
  await expect(page.getByTestId('title'), 'the next visitor starts in the kiosk language').toHaveText('通办自助登记终端')
})

test('mode switch: an administrator turns the counter into self-service, signing out leaves it in self-service', async ({ page }) => {
  const rules = { sequence: [rulesFor('counter', false), rulesFor('counter', true), rulesFor('self-service', true), rulesFor('self-service', false)] }
  await mockIpc(page, counterAnswers({ staff_login: admin, mode_rules: rules, settings_set: { ...kioskSettings, mode: 'self-service' } }))
  await page.goto('/')
  await expect(page.getByTestId('header-mode')).toHaveText('柜台模式')
  await page.getByTestId('sign-in').click()
  await page.locator('#login-username').fill('admin')
  await page.locator('#login-password').fill('a long admin password')
  await page.getByTestId('login-submit').click()
  await page.getByTestId('tile-settings').click()
  await page.getByTestId('set-mode-self-service').click()
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  await expect(page.getByTestId('header-mode'), 'staff still signed in: counter').toHaveText('柜台模式')
  await page.getByTestId('logout').click()
  await expect(page.getByTestId('header-mode')).toHaveText('自助模式')
  await expect(page.getByTestId('staff-exit')).toBeVisible()
  await expect(page.getByTestId('tile-queue')).toHaveCount(0)
})
