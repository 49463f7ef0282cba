// axe-core over the main screens in both languages: WCAG 2 A and AA rules, colour contrast
// among them, against the built UI on the real Rust commands.
import { type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, useRealRust } from './bridge'
import { signInHere } from './flow-steps'

const langs = ['zh', 'en'] as const

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
  test(`counter screens pass axe (WCAG 2.1 AA) in ${lang}`, async ({ page, bridge }) => {
    // A saved draft for the queue's list of drafts.
    await bridge.invoke('draft_save', { draft: { profile: 'tianjin', kind: 'legal-entity', application: { profile: 'tianjin', kind: 'legal-entity' } } })
    await useRealRust(page, bridge)
    await page.goto('/')
    if (lang === 'en') await page.getByTestId('language').click()
    await expect(page.getByTestId('sign-in')).toBeVisible()
    await expectAccessible(page, 'home (signed out)')
    await page.getByTestId('sign-in').click()
    await expectAccessible(page, 'login')
    await signInHere(page, 'admin')
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
    // A meter with rules met and not met, so both colours are checked.
    await page.getByTestId('field-account.password').fill('abc')
    await expect(page.getByTestId('password-rule-length')).toHaveAttribute('data-met', 'false')
    await expect(page.locator('[data-test^="password-rule-"][data-met="true"]').first()).toBeVisible()
    await expectAccessible(page, 'wizard: account with the password meter')
    await page.getByTestId('wizard-cancel').click()
    await page.getByTestId('tile-queue').click()
    await expect(page.getByTestId('queue-table')).toBeVisible()
    await expect(page.getByTestId('saved-drafts')).toBeVisible()
    await expectAccessible(page, 'queue with saved drafts')
  })
}

test.describe('self-service', () => {
  test.use({ bridgeOptions: { selfService: true } })

  for (const lang of langs) {
    test(`self-service home and status lookup pass axe in ${lang}`, async ({ page, bridge }) => {
      const receipt = await bridge.submitFixture('tianjin-natural-person')
      await useRealRust(page, bridge)
      await page.goto('/')
      if (lang === 'en') await page.getByTestId('language').click()
      await expect(page.getByTestId('tile-status')).toBeVisible()
      await expectAccessible(page, 'home (self-service)')
      await page.getByTestId('tile-status').click()
      await expectAccessible(page, 'status lookup')
      await page.getByTestId('status-code').fill(receipt.receiptCode)
      await page.getByTestId('status-last4').fill('2840')
      await page.getByTestId('status-submit').click()
      await expect(page.getByTestId('status-result')).toBeVisible()
      await expectAccessible(page, 'status result')
    })
  }
})
