import { test, expect } from '@playwright/test'
import { mockIpc } from './ipc-mock'
import { admin, counterAnswers, ipcCalls, selfServiceAnswers, signIn, syncOffline } from './fixtures'

test('offline: the home screen shows a friendly banner instead of an error, in both languages', async ({ page }) => {
  await mockIpc(page, selfServiceAnswers({ sync_status: syncOffline }))
  await page.goto('/')
  await expect(page.getByTestId('offline-banner')).toContainText('仍可正常办理')
  await expect(page.getByTestId('problem')).toHaveCount(0)
  await page.getByTestId('language').click()
  await expect(page.getByTestId('offline-banner')).toContainText('You can still register')
})

test('online: no banner, and the badge says so', async ({ page }) => {
  await mockIpc(page, selfServiceAnswers({ sync_status: { ...syncOffline, online: true, lastError: null } }))
  await page.goto('/')
  await expect(page.getByTestId('connectivity')).toHaveText('平台在线')
  await expect(page.getByTestId('offline-banner')).toHaveCount(0)
})

test('the kiosk starts in the language the administrator chose', async ({ page }) => {
  await mockIpc(page, counterAnswers({ settings_get: { ...(counterAnswers().settings_get as object), language: 'en' } }))
  await page.goto('/')
  await expect(page.getByTestId('title')).toHaveText('Tongban registration kiosk')
})

test('settings from the keyboard alone: Tab to a field, Enter saves', async ({ page }) => {
  await signIn(page, counterAnswers({ staff_login: admin }))
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
})
