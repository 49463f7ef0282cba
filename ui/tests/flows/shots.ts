// Screenshots that cannot go stale: each screen is compared with its committed picture in
// docs/screenshots (playwright.config.ts: snapshotPathTemplate, tolerance). What changes from run
// to run — receipt codes, application numbers, dates and times — is masked. Before the picture
// the screen is checked for horizontal overflow at 1920×1080 and at the 1280×800 it is taken at.
// `npx playwright test --update-snapshots` refreshes the pictures (look at them before committing).
import { expect, type Locator, type Page } from '@playwright/test'

async function noOverflow(page: Page, what: string) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  expect(scroll, `${what}: page wider than the window`).toBeLessThanOrEqual(width)
}

/** What differs on every run, wherever it is shown. */
export function volatile(page: Page): Locator[] {
  return [
    page.getByTestId('receipt-code'),
    page.getByTestId('application-number'),
    page.getByTestId('draft-number'),
    page.getByTestId('status-receipt-code'),
    page.getByTestId('replaces-note'),
    page.getByTestId('resumed-note'),
    page.locator('[data-volatile]'),
    // Application ids (queue, review, drafts, details) and the times things happened at.
    page.locator('main code, .el-drawer code, .el-dialog code'),
    page.locator('.sync-bar__note'),
    page.locator('[data-test="queue-table"] .el-table__body td:nth-last-child(2) .cell'),
    page.getByTestId('day-report-oldest'),
    page.locator('[data-test="queue-detail"] .el-descriptions__content:has(> div)'),
    page.locator('.drafts__time'),
    // Centred lines move with the width of the code in them: the whole line.
    page.locator('.done__code, .done__number'),
    // A receipt code typed into the status lookup.
    page.getByTestId('status-code'),
    // The idle countdown ticks in real time.
    page.getByTestId('idle-seconds'),
    page.locator('.idle__box p:not(.idle__seconds)'),
    // The kiosk's enrolment: its id and the test platform's loopback port.
    page.getByTestId('enrol-status'),
    page.locator('#set-platform-url'),
  ]
}

/** Checks the layout at both sizes, then compares the 1280×800 picture `<name>.png`. */
export async function shoot(page: Page, name: string, options: { mask?: Locator[]; fullPage?: boolean } = {}) {
  await page.setViewportSize({ width: 1920, height: 1080 })
  await noOverflow(page, `${name} at 1920×1080`)
  await page.setViewportSize({ width: 1280, height: 800 })
  await noOverflow(page, name)
  // Masked parts are painted a quiet grey: these pictures are the README's too.
  await expect(page).toHaveScreenshot(`${name}.png`, {
    mask: [...volatile(page), ...(options.mask ?? [])],
    maskColor: '#d9dce3',
    fullPage: options.fullPage,
  })
}

export const langs = ['zh', 'en'] as const
export type Lang = (typeof langs)[number]

export async function setLanguage(page: Page, lang: Lang) {
  if (lang === 'en') await page.getByTestId('language').click()
}
