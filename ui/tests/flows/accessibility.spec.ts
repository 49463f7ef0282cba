// axe-core over the main screens in both languages: WCAG 2 A and AA rules, colour contrast
// among them, against the built UI with the IPC mocked.
import { test, expect, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { mockIpc } from './ipc-mock'
import { admin } from './fixtures'
import { flowAnswers, found, selfServiceFlowAnswers } from './flow-fixtures'
import type { PasswordStrength } from '../../src/bindings/PasswordStrength'

const langs = ['zh', 'en'] as const

/** A meter with one item met and one not, so both colours are checked. */
const meter: PasswordStrength = {
  items: [
    { rule: 'length', met: false, zh: '长度 8-20 位', en: '8-20 characters' },
    { rule: 'charset', met: true, zh: '只用英文字母、数字和英文符号', en: 'only letters, digits and ASCII symbols' },
  ],
  level: 'weak',
  acceptable: false,
}

/** Runs axe on what the page shows now and fails with every violation listed. */
async function expectAccessible(page: Page, screen: string) {
  // Element Plus animates in; check the settled page.
  await page.waitForTimeout(300)
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n'),
  )
  expect(found, `${screen}: axe violations`).toEqual([])
}

for (const lang of langs) {
  test(`counter screens pass axe (WCAG 2.1 AA) in ${lang}`, async ({ page }) => {
    await mockIpc(page, flowAnswers({ staff_login: admin, password_check: meter }))
    await page.goto('/')
    if (lang === 'en') await page.getByTestId('language').click()
    await expect(page.getByTestId('sign-in')).toBeVisible()
    await expectAccessible(page, 'home (signed out)')
    await page.getByTestId('sign-in').click()
    await expectAccessible(page, 'login')
    await page.locator('#login-username').fill('admin')
    await page.locator('#login-password').fill('a long admin password')
    await page.getByTestId('login-submit').click()
    await expect(page.getByTestId('tiles')).toBeVisible()
    await expectAccessible(page, 'home (counter)')
    await page.getByTestId('tile-natural-person').click()
    await expect(page.getByTestId('consent')).toBeVisible()
    await expectAccessible(page, 'consent')
    await page.getByTestId('consent-agree').click()
    await page.getByTestId('profile-tianjin').click()
    await expectAccessible(page, 'wizard: platform')
    await page.getByTestId('wizard-next').click()
    await expect(page.getByTestId('step-account')).toBeVisible()
    await page.getByTestId('field-account.password').fill('abc')
    await expect(page.getByTestId('password-rule-length')).toBeVisible()
    await expectAccessible(page, 'wizard: account with the password meter')
    await page.getByTestId('wizard-cancel').click()
    await page.getByTestId('tile-queue').click()
    await expect(page.getByTestId('queue-table')).toBeVisible()
    await expect(page.getByTestId('saved-drafts')).toBeVisible()
    await expectAccessible(page, 'queue with saved drafts')
  })

  test(`self-service home and status lookup pass axe in ${lang}`, async ({ page }) => {
    await mockIpc(page, selfServiceFlowAnswers({ status_lookup: found }))
    await page.goto('/')
    if (lang === 'en') await page.getByTestId('language').click()
    await expect(page.getByTestId('tile-status')).toBeVisible()
    await expectAccessible(page, 'home (self-service)')
    await page.getByTestId('tile-status').click()
    await expectAccessible(page, 'status lookup')
    await page.getByTestId('status-code').fill(found.receiptCode)
    await page.getByTestId('status-last4').fill('002X')
    await page.getByTestId('status-submit').click()
    await expect(page.getByTestId('status-lookup')).toContainText(found.messageZh ?? '')
    await expectAccessible(page, 'status result')
  })
}
