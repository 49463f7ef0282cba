// Self-service mode on the real kiosk: visitor flows only, the idle countdown with Rust's mode
// rules, the staff exit to the counter, and switching modes in the settings.
import { STAFF_PASSWORD, expect, test, useRealRust } from './bridge'
import { ipcCalls } from './ipc-mock'
import { signInHere } from './flow-steps'
import { password } from './people'

test.describe('a self-service kiosk', () => {
  test.use({ bridgeOptions: { selfService: true } })

  test('offers only visitor flows, with touch targets of at least 48 px', async ({ page, bridge }) => {
    await useRealRust(page, bridge)
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

  test('idle visitor: countdown from 20 s, a touch keeps the session, then everything is wiped', async ({ page, bridge }) => {
    await page.clock.install()
    await useRealRust(page, bridge)
    await page.goto('/')
    await page.getByTestId('tile-natural-person').click()
    await page.getByTestId('consent-agree').click()
    await page.getByTestId('profile-shandong').click()
    await page.getByTestId('wizard-next').click()
    // Shandong asks for the password first (the profile's order).
    await page.getByTestId('field-account.password').fill(password)
    await page.getByTestId('field-account.passwordConfirmation').fill(password)

    await page.clock.runFor(99_000)
    await expect(page.getByTestId('idle-countdown')).toHaveCount(0)
    await page.clock.runFor(2_000)
    await expect(page.getByTestId('idle-seconds')).toHaveText('19')
    await page.getByTestId('idle-stay').dispatchEvent('click')
    await expect(page.getByTestId('idle-countdown')).toHaveCount(0)
    await expect(page.getByTestId('field-account.password')).toHaveValue(password)

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
    await expect(page.getByTestId('field-account.password')).toHaveValue('')
    await expect(page.getByTestId('field-account.passwordConfirmation')).toHaveValue('')
    const rules = (await ipcCalls(page)).find((c) => c.cmd === 'mode_rules')?.result
    expect(rules, 'the idle time and the countdown are Rust\'s').toMatchObject({ idleTimeoutS: 120, countdownS: 20, wipeWhenIdle: true })
  })

  test('staff leave self-service with their password and get the counter screens', async ({ page, bridge }) => {
    await useRealRust(page, bridge)
    await page.goto('/')
    await page.getByTestId('staff-exit').click()
    await expect(page.getByText('请工作人员输入账号和密码以退出自助模式。')).toBeVisible()
    await signInHere(page, 'clerk')
    await expect(page.getByTestId('header-mode')).toHaveText('柜台模式')
    await expect(page.getByTestId('tile-queue')).toBeVisible()
    await expect(page.getByTestId('staff-name')).toContainText('王工')
    await page.getByTestId('logout').click()
    await expect(page.getByTestId('header-mode')).toHaveText('自助模式')
  })

  test('the idle time comes from Rust, and the wipe also clears the capture tray', async ({ page, bridge }) => {
    // The administrator shortens the idle time to 45 s.
    await useRealRust(page, bridge)
    await page.goto('/')
    await page.getByTestId('staff-exit').click()
    await signInHere(page, 'admin')
    await page.getByTestId('tile-settings').click()
    await page.locator('#set-idle').fill('45')
    await page.locator('#set-idle').blur()
    await page.getByTestId('settings-save').click()
    await expect(page.getByTestId('settings-saved')).toBeVisible()
    await page.getByTestId('logout').click()
    await expect(page.getByTestId('header-mode')).toHaveText('自助模式')
    // The next visitor, on a page whose clock the test drives.
    await page.clock.install()
    await page.reload()
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
})

test('mode switch: an administrator turns the counter into self-service, signing out leaves it in self-service', async ({ page, bridge }) => {
  await useRealRust(page, bridge)
  await page.goto('/')
  await expect(page.getByTestId('header-mode')).toHaveText('柜台模式')
  await page.getByTestId('sign-in').click()
  await page.locator('#login-username').fill('admin')
  await page.locator('#login-password').fill(STAFF_PASSWORD)
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
