// The kiosk's connectivity banner, its language and the settings from the keyboard, on the
// real kiosk (offline: not enrolled; online: enrolled with a real platform).
import { expect, test, useRealRust } from './bridge'
import { ipcCalls } from './ipc-mock'
import { signIn, signInHere } from './flow-steps'

test.describe('self-service, not connected', () => {
  test.use({ bridgeOptions: { selfService: true } })

  test('offline: the home screen shows a friendly banner instead of an error, in both languages', async ({ page, bridge }) => {
    await useRealRust(page, bridge)
    await page.goto('/')
    await expect(page.getByTestId('offline-banner')).toContainText('仍可正常办理')
    await expect(page.getByTestId('problem')).toHaveCount(0)
    await page.getByTestId('language').click()
    await expect(page.getByTestId('offline-banner')).toContainText('You can still register')
  })
})

test.describe('self-service, connected', () => {
  test.use({ bridgeOptions: { selfService: true, platform: true } })

  test('online: no banner, and the badge says so', async ({ page, bridge }) => {
    await useRealRust(page, bridge)
    await page.goto('/')
    await expect(page.getByTestId('connectivity')).toHaveText('平台在线')
    await expect(page.getByTestId('offline-banner')).toHaveCount(0)
  })
})

test('the kiosk starts in the language the administrator chose', async ({ page, bridge }) => {
  await signIn(page, bridge, 'admin')
  await page.getByTestId('tile-settings').click()
  await page.getByTestId('set-language').getByText('English').click()
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  // The next start of the app (a new page on the same kiosk).
  await page.reload()
  await expect(page.getByTestId('title')).toHaveText('Tongban registration kiosk')
})

test('settings from the keyboard alone: Tab to a field, Enter saves', async ({ page, bridge }) => {
  await useRealRust(page, bridge)
  await page.goto('/')
  await page.getByTestId('sign-in').click()
  await signInHere(page, 'admin')
  await page.getByTestId('tile-settings').focus()
  await page.keyboard.press('Enter')
  await page.locator('#set-kiosk-name').focus()
  await page.keyboard.press('Tab')
  await expect(page.locator('#set-hall-name')).toBeFocused()
  await page.keyboard.press('End')
  await page.keyboard.type('（键盘）')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'settings_set')
  expect((call?.args.settings as { hallName: string }).hallName).toBe('金水区政务服务大厅（键盘）')
  expect(((await bridge.invoke('settings_get')) as { hallName: string }).hallName, 'stored by Rust').toBe('金水区政务服务大厅（键盘）')
})
