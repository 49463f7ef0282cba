// The counter: staff sign in with the real accounts (seeded `clerk` and `admin`), the real
// lockout, roles deciding the tiles.
import { STAFF_PASSWORD, expect, test, useRealRust } from './bridge'
import { ipcCalls } from './ipc-mock'
import { signIn } from './flow-steps'

test('counter mode asks staff to sign in before any flow is offered', async ({ page, bridge }) => {
  await useRealRust(page, bridge)
  await page.goto('/')
  await expect(page.getByTestId('sign-in')).toBeVisible()
  await expect(page.getByTestId('tiles')).toHaveCount(0)
  await page.goto('/#/consent/natural-person')
  await expect(page.getByTestId('login-form')).toBeVisible()
})

test('wrong passwords show the Rust message, then the lockout, in both languages', async ({ page, bridge }) => {
  await useRealRust(page, bridge)
  await page.goto('/#/login')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('login-problem')).toContainText('请输入账号和密码')
  await page.locator('#login-username').fill('clerk')
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.locator('#login-password').fill(`wrong ${attempt}`)
    await page.keyboard.press('Enter')
    // Rust answered (the form empties the password after a refusal).
    await expect.poll(async () => (await ipcCalls(page)).filter((c) => c.cmd === 'staff_login' && c.error).length).toBe(attempt)
    await expect(page.locator('#login-password')).toHaveValue('')
  }
  const answers = (await ipcCalls(page)).filter((c) => c.cmd === 'staff_login').map((c) => c.error?.code)
  expect(answers[0]).toBe('STAFF_LOGIN_FAILED')
  await page.locator('#login-password').fill(STAFF_PASSWORD)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('login-problem'), 'even the right password: locked').toContainText('锁定')
  expect((await ipcCalls(page)).filter((c) => c.cmd === 'staff_login').pop()?.error?.code).toBe('STAFF_LOCKED')
  await page.getByTestId('language').click()
  await expect(page.getByTestId('login-problem')).toContainText('locked')
  const logins = (await ipcCalls(page)).filter((c) => c.cmd === 'staff_login')
  expect(logins[0].args).toEqual({ username: 'clerk', password: 'wrong 1' })
})

test('an operator gets the flows and the queue but not the settings; signing out ends it', async ({ page, bridge }) => {
  await signIn(page, bridge)
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
  expect(await bridge.invoke('staff_current'), 'signed out in Rust too').toBeNull()
})

test('the counter works from the keyboard alone: sign in and open a flow', async ({ page, bridge }) => {
  await useRealRust(page, bridge)
  await page.goto('/#/login')
  await page.locator('#login-username').focus()
  await page.keyboard.type('admin')
  await page.keyboard.press('Tab')
  await page.keyboard.type(STAFF_PASSWORD)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('tile-settings')).toBeVisible()
  await page.getByTestId('tile-natural-person').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('consent')).toBeVisible()
})
