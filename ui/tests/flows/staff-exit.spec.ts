// The staff exit: an administrator closes the locked-down kiosk app through `kiosk_exit`; in
// self-service only after the real staff sign-in behind the "Staff" button. `kiosk_exit` itself
// is answered here: run for real it would end the app (and the bridge under the test).
import { STAFF_PASSWORD, expect, test, useRealRust } from './bridge'
import { ipcCalls } from './ipc-mock'

test.use({ bridgeOptions: { selfService: true } })

async function signInFromSelfService(page: import('@playwright/test').Page, user: string) {
  await page.goto('/')
  await expect(page.getByTestId('staff-exit-app'), 'no exit for visitors').toHaveCount(0)
  await page.getByTestId('staff-exit').click()
  await page.locator('#login-username').fill(user)
  await page.locator('#login-password').fill(STAFF_PASSWORD)
  await page.getByTestId('login-submit').click()
}

test('self-service: an administrator signs in behind the staff button and closes the kiosk app', async ({ page, bridge }) => {
  await useRealRust(page, bridge, { kiosk_exit: null })
  await signInFromSelfService(page, 'admin')
  await expect(page.getByTestId('staff-name')).toContainText('李主任')
  await page.getByTestId('staff-exit-app').click()
  await expect(page.getByTestId('staff-exit-dialog')).toContainText('确定关闭终端程序？')
  await page.getByTestId('staff-exit-cancel').click()
  expect((await ipcCalls(page)).some((c) => c.cmd === 'kiosk_exit'), 'cancel does not exit').toBe(false)
  await page.getByTestId('staff-exit-app').click()
  await page.getByTestId('staff-exit-confirm').click()
  await expect.poll(async () => (await ipcCalls(page)).filter((c) => c.cmd === 'kiosk_exit').length).toBe(1)
})

test('signing out hides the exit again', async ({ page, bridge }) => {
  await useRealRust(page, bridge, { kiosk_exit: null })
  await signInFromSelfService(page, 'admin')
  await expect(page.getByTestId('staff-exit-app')).toBeVisible()
  await page.getByTestId('logout').click()
  await expect(page.getByTestId('header-mode')).toHaveText('自助模式')
  await expect(page.getByTestId('staff-exit-app')).toHaveCount(0)
})

test('an operator signed in at the counter gets no exit', async ({ page, bridge }) => {
  await useRealRust(page, bridge, { kiosk_exit: null })
  await signInFromSelfService(page, 'clerk')
  await expect(page.getByTestId('tile-queue')).toBeVisible()
  await expect(page.getByTestId('staff-exit-app')).toHaveCount(0)
})
