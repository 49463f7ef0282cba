// Screenshots of the main screens in both languages (docs/screenshots/ui-<screen>-<lang>.png),
// and the layout check: no horizontal overflow at 1280×800 nor at 1920×1080.
import { test, expect, type Page } from '@playwright/test'
import { mockIpc } from './ipc-mock'
import { admin, wrongPassword } from './fixtures'
import { flowAnswers as counterAnswers, selfServiceFlowAnswers } from './flow-fixtures'

declare const process: { env: Record<string, string | undefined> }

// Test runs write to test-results; `UPDATE_DOC_SCREENSHOTS=1 npm run test:flows` refreshes the
// committed 1280×800 pictures in docs/screenshots (then look at them before committing).
const shots = process.env.UPDATE_DOC_SCREENSHOTS ? '../docs/screenshots' : 'test-results/screenshots'
const langs = ['zh', 'en'] as const

async function setLanguage(page: Page, lang: 'zh' | 'en') {
  if (lang === 'en') await page.getByTestId('language').click()
}

async function noHorizontalOverflow(page: Page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  expect(scroll, 'page wider than the window').toBeLessThanOrEqual(width)
}

/** 1280×800 shots may refresh the docs; 1920×1080 ones (same screens, checked for overflow)
 * always stay with the test results. */
async function shoot(page: Page, screen: string, lang: string) {
  await noHorizontalOverflow(page)
  const dir = lang.endsWith('-1920') ? 'test-results/screenshots' : shots
  await page.screenshot({ path: `${dir}/ui-${screen}-${lang}.png`, animations: 'disabled' })
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  for (const lang of langs) {
    const big = size.width === 1920
    test(`counter screens at ${size.width}×${size.height} in ${lang}`, async ({ page }) => {
      await page.setViewportSize(size)
      const suffix = big ? `${lang}-1920` : lang
      await mockIpc(page, counterAnswers({ staff_login: { sequence: [{ error: wrongPassword }, admin] } }))
      await page.goto('/')
      await setLanguage(page, lang)
      await page.getByTestId('sign-in').click()
      await page.locator('#login-username').fill('admin')
      await page.locator('#login-password').fill('wrong')
      await page.getByTestId('login-submit').click()
      await expect(page.getByTestId('login-problem')).toBeVisible()
      await shoot(page, 'login', suffix)
      await page.locator('#login-password').fill('a long admin password')
      await page.getByTestId('login-submit').click()
      await expect(page.getByTestId('tile-settings')).toBeVisible()
      await shoot(page, 'home-counter', suffix)
      await page.getByTestId('tile-natural-person').click()
      await expect(page.getByTestId('consent-how-long')).toContainText('7')
      await shoot(page, 'consent', suffix)
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-tianjin').click()
      await shoot(page, 'register-platform', suffix)
      await page.getByTestId('wizard-next').click()
      await page.getByTestId('field-account.accountName').fill('zhaolihua01')
      await page.getByTestId('field-account.password').fill('Kx9!pQ2#mZ')
      await page.getByTestId('field-account.passwordConfirmation').fill('Kx9!pQ2#mZ')
      await page.getByTestId('field-account.smsCode').fill('123456')
      await shoot(page, 'register-account', suffix)
      await page.getByTestId('wizard-next').click()
      await page.getByTestId('field-person.name').fill('赵丽华')
      await page.getByTestId('field-person.document.number').fill('11010519491231002X')
      await page.getByTestId('field-person.mobile').fill('13812345678')
      await shoot(page, 'register-person', suffix)
      await page.getByTestId('wizard-next').click()
      await page.getByTestId('wizard-next').click()
      await expect(page.getByTestId('step-summary')).toBeVisible()
      await shoot(page, 'register-summary', suffix)
      await page.getByTestId('wizard-submit').click()
      await expect(page.getByTestId('application-number')).toBeVisible()
      await shoot(page, 'done', suffix)
      await page.getByTestId('done-home').click()
      await page.getByTestId('tile-queue').click()
      await expect(page.getByTestId('queue-table')).toContainText('110***********002X')
      await shoot(page, 'queue', suffix)
      await page.getByTestId('queue-open-0193a5e0-11aa-7bcd-8e9f-a0b1c2d3e4f5').click()
      await expect(page.getByTestId('needs-action')).toBeVisible()
      await shoot(page, 'queue-needs-action', suffix)
      await page.keyboard.press('Escape')
      await expect(page.getByTestId('needs-action')).toBeHidden()
      await page.getByTestId('header-kiosk').click()
      await page.getByTestId('tile-settings').click()
      await expect(page.getByTestId('retention-days')).toBeVisible()
      await shoot(page, 'settings', suffix)
      await page.getByTestId('enrol-form').scrollIntoViewIfNeeded()
      await shoot(page, 'settings-platform', suffix)
    })

    test(`self-service screens at ${size.width}×${size.height} in ${lang}`, async ({ page }) => {
      await page.setViewportSize(size)
      const suffix = big ? `${lang}-1920` : lang
      await page.clock.install()
      await mockIpc(page, selfServiceFlowAnswers())
      await page.goto('/')
      await setLanguage(page, lang)
      await expect(page.getByTestId('tile-natural-person')).toBeVisible()
      await shoot(page, 'home-self-service', suffix)
      await page.getByTestId('tile-legal-entity').click()
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-most').click()
      await page.getByTestId('wizard-next').click()
      await page.getByTestId('field-account.accountName').fill('jinshuitech')
      await shoot(page, 'register-entity-self-service', suffix)
      await page.clock.runFor(105_000)
      await expect(page.getByTestId('idle-countdown')).toBeVisible()
      await shoot(page, 'idle-countdown', suffix)
    })
  }
}
