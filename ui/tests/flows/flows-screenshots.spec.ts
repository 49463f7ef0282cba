// Screenshots of every flow's main steps in both languages (docs/screenshots/flow-*.png with
// UPDATE_DOC_SCREENSHOTS=1), and the layout checks at 1280×800 and 1920×1080: no horizontal
// overflow, and in self-service mode every button at least 48 px high.
import { test, expect, type Page } from '@playwright/test'
import { selfServiceFlowAnswers } from './flow-fixtures'
import { choose, file, fill, fillTianjinEntity, next, start, upload } from './flow-steps'
import { mockIpc } from './ipc-mock'

declare const process: { env: Record<string, string | undefined> }
const shots = process.env.UPDATE_DOC_SCREENSHOTS ? '../docs/screenshots' : 'test-results/screenshots'

async function shoot(page: Page, screen: string, lang: string, big: boolean) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  expect(scroll, `${screen}: page wider than the window`).toBeLessThanOrEqual(width)
  const dir = big ? 'test-results/screenshots' : shots
  await page.screenshot({ path: `${dir}/flow-${screen}-${lang}${big ? '-1920' : ''}.png`, animations: 'disabled' })
}

async function english(page: Page, lang: string) {
  if (lang === 'en') await page.getByTestId('language').click()
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  const big = size.width === 1920
  for (const lang of ['zh', 'en']) {
    test(`legal-entity, real-name, binding, appeal and status screens at ${size.width} in ${lang}`, async ({ page }) => {
      await page.setViewportSize(size)
      await start(page, 'legal-entity', 'tianjin')
      await fillTianjinEntity(page)
      await english(page, lang)
      await page.getByTestId('step-legal-representative').waitFor()
      await page.getByTestId('wizard-back').click()
      await page.getByTestId('wizard-back').click()
      await expect(page.getByTestId('step-unit-details')).toBeVisible()
      await shoot(page, 'entity-details', lang, big)
      await next(page)
      await next(page)
      await next(page)
      await page.getByTestId('print-risk-letter').click()
      await expect(page.getByTestId('risk-letter-printed')).toBeVisible()
      await shoot(page, 'entity-risk-letter', lang, big)
      await next(page)
      await upload(page, 'business-licence', file('licence.jpg'))
      await shoot(page, 'entity-capture', lang, big)
      await next(page)
      await shoot(page, 'entity-summary', lang, big)

      await page.getByTestId('wizard-cancel').click()
      await page.getByTestId('tile-real-name').click()
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-most').click()
      await shoot(page, 'real-name-platform', lang, big)

      await page.getByTestId('wizard-cancel').click()
      await page.getByTestId('tile-legacy-binding').click()
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-zhengzhou').click()
      await next(page)
      await choose(page, 'userType', lang === 'en' ? 'Individual applicant' : '申报个人用户')
      await fill(page, 'mobile', '13812345678')
      await shoot(page, 'legacy-binding', lang, big)

      await page.getByTestId('wizard-cancel').click()
      await page.getByTestId('tile-status').click()
      await page.getByTestId('status-number').fill('0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11')
      await page.getByTestId('status-last4').fill('002X')
      await page.getByTestId('status-submit').click()
      await expect(page.getByTestId('status-state')).toBeVisible()
      await shoot(page, 'status', lang, big)
    })

    test(`self-service wizard at ${size.width} in ${lang}: touch targets of at least 48 px`, async ({ page }) => {
      await page.setViewportSize(size)
      await mockIpc(page, selfServiceFlowAnswers())
      await page.goto('/')
      await english(page, lang)
      await page.getByTestId('tile-password-reset-appeal').click()
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-most').click()
      await next(page)
      await shoot(page, 'appeal-self-service', lang, big)
      const small = await page.evaluate(() =>
        Array.from(
          document.querySelectorAll('main button, main .el-select__wrapper, main .el-input__wrapper, main .el-radio, main .el-checkbox'),
        )
          .filter((e) => (e as HTMLElement).offsetParent !== null)
          .map((e) => ({ text: (e.textContent ?? '').trim() || e.className, h: e.getBoundingClientRect().height }))
          .filter((e) => e.h < 48),
      )
      expect(small, 'touch targets under 48 px').toEqual([])
    })
  }
}
