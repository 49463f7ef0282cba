// The staff exit: an administrator closes the locked-down kiosk app through `kiosk_exit`;
// in self-service only after the staff sign-in behind the "Staff" button.
import { test, expect } from '@playwright/test'
import { mockIpc } from './ipc-mock'
import { admin, ipcCalls, selfServiceAnswers } from './fixtures'
import type { Problem } from '../../src/bindings/Problem'

async function signInFromSelfService(page: import('@playwright/test').Page) {
  await page.goto('/')
  await expect(page.getByTestId('staff-exit-app'), 'no exit for visitors').toHaveCount(0)
  await page.getByTestId('staff-exit').click()
  await page.locator('#login-username').fill('admin')
  await page.locator('#login-password').fill('a long admin password')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('staff-name')).toContainText(admin.displayName)
}

test('self-service: an administrator signs in behind the staff button and closes the kiosk app', async ({ page }) => {
  await mockIpc(page, selfServiceAnswers({ staff_login: admin, kiosk_exit: null }))
  await signInFromSelfService(page)
  await page.getByTestId('staff-exit-app').click()
  await expect(page.getByTestId('staff-exit-dialog')).toContainText('确定关闭终端程序？')
  await page.getByTestId('staff-exit-cancel').click()
  expect((await ipcCalls(page)).some((c) => c.cmd === 'kiosk_exit'), 'cancel does not exit').toBe(false)
  await page.getByTestId('staff-exit-app').click()
  await page.getByTestId('staff-exit-confirm').click()
  await expect.poll(async () => (await ipcCalls(page)).filter((c) => c.cmd === 'kiosk_exit').length).toBe(1)
})

test('a refusal from Rust says what to do, and signing out hides the exit', async ({ page }) => {
  const refused: Problem = {
    code: 'STAFF_NOT_ALLOWED',
    zh: '此操作需要「admin」角色的工作人员登录。请让有权限的工作人员登录后再试。',
    en: 'This needs a staff member with the "admin" role. Ask one to sign in and try again.',
  }
  await mockIpc(page, selfServiceAnswers({ staff_login: admin, kiosk_exit: { error: refused } }))
  await signInFromSelfService(page)
  await page.getByTestId('staff-exit-app').click()
  await page.getByTestId('staff-exit-confirm').click()
  await expect(page.getByTestId('staff-exit-problem')).toContainText('请让有权限的工作人员登录后再试')
  await page.getByTestId('staff-exit-cancel').click()
  await page.getByTestId('logout').click()
  await expect(page.getByTestId('header-mode')).toHaveText('自助模式')
  await expect(page.getByTestId('staff-exit-app')).toHaveCount(0)
})

test('an operator signed in at the counter gets no exit', async ({ page }) => {
  await mockIpc(page, selfServiceAnswers())
  await page.goto('/')
  await page.getByTestId('staff-exit').click()
  await page.locator('#login-username').fill('clerk')
  await page.locator('#login-password').fill('clerk password 1')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('tile-queue')).toBeVisible()
  await expect(page.getByTestId('staff-exit-app')).toHaveCount(0)
})
