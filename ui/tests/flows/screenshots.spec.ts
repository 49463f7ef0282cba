// The main screens in both languages, compared with docs/screenshots/ui-<screen>-<lang>.png
// (see shots.ts), on the real Rust commands with a real platform.
import { expect, test, useRealRust } from './bridge'
import { date, fill, longTerm, nextTo, paper, signInHere, verifySms } from './flow-steps'
import { langs, setLanguage, shoot } from './shots'
import { password, zhangSan } from './people'

/** 10:00 in China: the Tianjin population database answers. */
const morning = '2026-12-04 02:00:00'

for (const lang of langs) {
  test.describe(`counter screens in ${lang}`, () => {
    test.use({ bridgeOptions: { platform: true, at: morning } })

    test(`counter screens in ${lang}`, async ({ page, bridge }) => {
      // A MOST unit the platform's reviewer asked more of, for the queue.
      const unit = await bridge.submitFixture('most-legal-entity')
      await bridge.sync()
      await bridge.platformReview(unit.id, { action: 'request-evidence', zh: '请补充加盖公章的风险承诺书', en: 'Add the stamped risk letter' })
      await bridge.sync()
      const stick = { path: '/media/clerk/KINGSTON', label: 'KINGSTON', kind: 'removable', writable: true, freeBytes: 7.4 * 1024 ** 3 }
      const cd = { path: '/media/cdrom0', label: 'cdrom0', kind: 'removable', writable: false, freeBytes: 0 }
      // The hall PC's mounted media are hardware: listed by the test.
      await useRealRust(page, bridge, { ...paper, export_destinations: [stick, cd] })
      await page.goto('/')
      await setLanguage(page, lang)
      await page.getByTestId('sign-in').click()
      await page.locator('#login-username').fill('admin')
      await page.locator('#login-password').fill('wrong password')
      await page.getByTestId('login-submit').click()
      await expect(page.getByTestId('login-problem')).toBeVisible()
      await shoot(page, `ui-login-${lang}`)
      await signInHere(page, 'admin')
      await expect(page.getByTestId('tile-settings')).toBeVisible()
      await shoot(page, `ui-home-counter-${lang}`)
      await page.getByTestId('tile-natural-person').click()
      await expect(page.getByTestId('consent-how-long')).toContainText('7')
      await shoot(page, `ui-consent-${lang}`)
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-tianjin').click()
      await expect(page.getByTestId('profile-tianjin')).toHaveClass(/is-checked/)
      await shoot(page, `ui-register-platform-${lang}`)
      await nextTo(page, 'account')
      await fill(page, 'account.accountName', 'zhaolihua01')
      await fill(page, 'account.password', password)
      await fill(page, 'account.passwordConfirmation', password)
      await expect(page.getByTestId('password-level')).toBeVisible()
      await shoot(page, `ui-register-account-${lang}`)
      await nextTo(page, 'person')
      await fill(page, 'person.name', zhangSan.name)
      await fill(page, 'person.document.number', zhangSan.id)
      await date(page, 'person.document.validity.from', '2015-03-01')
      await longTerm(page, 'person.document.validity')
      await fill(page, 'person.mobile', zhangSan.mobile)
      await verifySms(page, bridge, 'account.smsCode', zhangSan.mobile)
      await shoot(page, `ui-register-person-${lang}`)
      await nextTo(page, 'summary')
      await shoot(page, `ui-register-summary-${lang}`)
      await page.getByTestId('wizard-submit').click()
      await expect(page.getByTestId('receipt-printed')).toBeVisible()
      await shoot(page, `ui-done-${lang}`)
      await page.getByTestId('done-home').click()
      await page.getByTestId('tile-queue').click()
      await expect(page.getByTestId('queue-table')).toContainText('110***********002X')
      await shoot(page, `ui-queue-${lang}`)
      await page.getByTestId(`queue-open-${unit.id}`).click()
      await expect(page.getByTestId('needs-action')).toBeVisible()
      await shoot(page, `ui-queue-needs-action-${lang}`)
      await page.keyboard.press('Escape')
      await expect(page.getByTestId('needs-action')).toBeHidden()
      await page.getByTestId('header-kiosk').click()
      await page.getByTestId('tile-settings').click()
      await expect(page.getByTestId('retention-days')).toBeVisible()
      await shoot(page, `ui-settings-${lang}`)
      await page.getByTestId('enrol-form').scrollIntoViewIfNeeded()
      await shoot(page, `ui-settings-platform-${lang}`)
      await page.getByTestId('limits-settings').scrollIntoViewIfNeeded()
      await expect(page.getByTestId('review-settings')).toBeVisible()
      await shoot(page, `ui-settings-limits-${lang}`)
      // The end of the day: the report, then the supervisor's export panel.
      await page.getByTestId('header-kiosk').click()
      await page.getByTestId('tile-day-report').click()
      await expect(page.getByTestId('day-report-by-kind')).toBeVisible()
      await shoot(page, `ui-day-report-${lang}`)
      await page.getByTestId('header-kiosk').click()
      await page.getByTestId('tile-review').click()
      await expect(page.getByTestId('export-panel')).toBeVisible()
      await page.getByTestId('export-panel').scrollIntoViewIfNeeded()
      await shoot(page, `ui-export-${lang}`, { fullPage: true })
    })
  })

  test.describe(`self-service screens in ${lang}`, () => {
    test.use({ bridgeOptions: { selfService: true } })

    test(`self-service screens in ${lang}`, async ({ page, bridge }) => {
      await page.clock.install()
      await useRealRust(page, bridge, paper)
      await page.goto('/')
      await setLanguage(page, lang)
      await expect(page.getByTestId('tile-natural-person')).toBeVisible()
      await shoot(page, `ui-home-self-service-${lang}`)
      await page.getByTestId('tile-legal-entity').click()
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-most').click()
      await page.getByTestId('wizard-next').click()
      await page.getByTestId('field-account.accountName').fill('jinshuitech')
      await shoot(page, `ui-register-entity-self-service-${lang}`)
      await page.clock.runFor(105_000)
      await expect(page.getByTestId('idle-countdown')).toBeVisible()
      await shoot(page, `ui-idle-countdown-${lang}`)
    })
  })
}

