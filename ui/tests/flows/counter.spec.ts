import { test, expect } from '@playwright/test'
import { mockIpc } from './ipc-mock'
import { admin, counterAnswers, ipcCalls, lockedOut, signIn, wrongPassword } from './fixtures'

test('counter mode asks staff to sign in before any flow is offered', async ({ page }) => {
  await mockIpc(page, counterAnswers())
  await page.goto('/')
  await expect(page.getByTestId('sign-in')).toBeVisible()
  await expect(page.getByTestId('tiles')).toHaveCount(0)
  await page.goto('/#/consent/natural-person')
  await expect(page.getByTestId('login-form')).toBeVisible()
})

test('wrong passwords show the Rust message, then the lockout, in both languages', async ({ page }) => {
  await mockIpc(page, counterAnswers({ staff_login: { sequence: [{ error: wrongPassword }, { error: lockedOut }] } }))
  await page.goto('/#/login')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('login-problem')).toContainText('请输入账号和密码')
  await page.locator('#login-username').fill('clerk')
  await page.locator('#login-password').fill('wrong one')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('login-problem')).toContainText('连续错误 5 次将锁定 15 分钟')
  await page.locator('#login-password').fill('wrong again')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('login-problem')).toContainText('账号已被锁定')
  await page.getByTestId('language').click()
  await expect(page.getByTestId('login-problem')).toContainText('The account is locked; retry in 15 minutes')
  const logins = (await ipcCalls(page)).filter((c) => c.cmd === 'staff_login')
  expect(logins.map((c) => c.args)).toEqual([
    { username: 'clerk', password: 'wrong one' },
    { username: 'clerk', password: 'wrong again' },
  ])
})

test('an operator gets the flows and the queue but not the settings; signing out ends it', async ({ page }) => {
  await signIn(page, counterAnswers())
  await expect(page.getByTestId('staff-name')).toContainText('王工')
  await expect(page.getByTestId('tile-natural-person')).toBeVisible()
  await expect(page.getByTestId('tile-legal-entity')).toBeVisible()
  await expect(page.getByTestId('tile-queue')).toBeVisible()
  await expect(page.getByTestId('tile-settings')).toHaveCount(0)
  await page.goto('/#/settings')
  await expect(page.getByTestId('settings')).toHaveCount(0)
  await page.getByTestId('logout').click()
  await expect(page.getByTestId('sign-in')).toBeVisible()
  expect((await ipcCalls(page)).some((c) => c.cmd === 'staff_logout')).toBe(true)
})

test('the counter works from the keyboard alone: sign in and open a flow', async ({ page }) => {
  await mockIpc(page, counterAnswers({ staff_login: admin }))
  await page.goto('/#/login')
  await page.locator('#login-username').focus()
  await page.keyboard.type('admin')
  await page.keyboard.press('Tab')
  await page.keyboard.type('a long admin password')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('tile-settings')).toBeVisible()
  await page.getByTestId('tile-natural-person').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('consent')).toBeVisible()
})
