// Issue 10's operations screens: limit thresholds and review policy in the settings, the
// export destination picker, and the end-of-day report (with screenshots in both languages:
// docs/screenshots/ui-<screen>-<lang>.png when UPDATE_DOC_SCREENSHOTS=1).
import { test, expect, type Page } from '@playwright/test'
import { admin, counterAnswers, ipcCalls, kioskSettings, signIn } from './fixtures'
import type { DayReport } from '../../src/bindings/DayReport'
import type { ExportDestination } from '../../src/bindings/ExportDestination'
import type { Problem } from '../../src/bindings/Problem'

declare const process: { env: Record<string, string | undefined> }
const shots = process.env.UPDATE_DOC_SCREENSHOTS ? '../docs/screenshots' : 'test-results/screenshots'

const destinations: ExportDestination[] = [
  { path: '/srv/tongban-export', label: 'tongban-export', kind: 'configured', writable: true, freeBytes: 52 * 1024 ** 3 },
  { path: '/media/clerk/KINGSTON', label: 'KINGSTON', kind: 'removable', writable: true, freeBytes: 7.4 * 1024 ** 3 },
  { path: '/media/cdrom0', label: 'cdrom0', kind: 'removable', writable: false, freeBytes: 0 },
]

const dayReport: DayReport = {
  date: '2026-11-23',
  kioskName: '金水区政务服务大厅 1 号窗口',
  hallName: '金水区政务服务大厅',
  total: 14,
  byKind: [
    { key: 'legal-entity', label: '法人注册', count: 5 },
    { key: 'natural-person', label: '个人注册', count: 8 },
    { key: 'real-name', label: '实名认证', count: 1 },
  ],
  byState: [
    { key: 'accepted', label: '已送达', count: 11 },
    { key: 'submitted', label: '待上传', count: 3 },
  ],
  byOperator: [
    { key: 'clerk', label: 'clerk', count: 9 },
    { key: 'wang', label: 'wang', count: 5 },
  ],
  unsent: 4,
  oldestUnsentAt: Date.UTC(2026, 10, 22, 7, 30),
  attachments: 31,
  attachmentBytes: 18_400_000,
}

async function setLanguage(page: Page, lang: 'zh' | 'en') {
  if (lang === 'en') await page.getByTestId('language').click()
}

test('an administrator sets the operating limits and a review sample rate', async ({ page }) => {
  await signIn(page, counterAnswers({ staff_login: admin }))
  await page.getByTestId('tile-settings').click()
  await expect(page.getByTestId('set-limit-maxUnsent').locator('input')).toHaveValue('500')
  await page.getByTestId('set-limit-maxUnsent').locator('input').fill('200')
  await page.getByTestId('set-limit-syncHealthMinutes').locator('input').fill('30')
  await page.getByTestId('set-limit-syncHealthMinutes').locator('input').blur()
  await expect(page.getByTestId('review-most-percent').locator('input')).toHaveValue('20')
  await page.getByTestId('review-tianjin-sample').click()
  await page.getByTestId('review-tianjin-percent').locator('input').fill('25')
  await page.getByTestId('review-tianjin-percent').locator('input').blur()
  await page.getByTestId('review-most-all').click()
  await page.locator('#set-export-dir').fill('/srv/tongban-export')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'settings_set')
  expect(call?.args.settings).toMatchObject({
    exportDir: '/srv/tongban-export',
    limits: { ...kioskSettings.limits, maxUnsent: 200, syncHealthMinutes: 30 },
    reviewPolicies: [
      { profile: 'tianjin', policy: { mode: 'sample', percent: 25 } },
      { profile: 'most', policy: { mode: 'all' } },
    ],
  })
})

test('a refused threshold shows the Rust message and marks its field', async ({ page }) => {
  const refused: Problem = {
    code: 'SETTING_INVALID',
    zh: '未送达申请的最多份数须在 1 到 100000 之间，而不是 0。',
    en: 'The most unsent applications must be between 1 and 100000, not 0.',
    field: 'limits.maxUnsent',
  }
  await signIn(page, counterAnswers({ staff_login: admin, settings_set: { error: refused } }))
  await page.getByTestId('tile-settings').click()
  await page.getByTestId('set-limit-maxUnsent').locator('input').fill('0')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-problem')).toContainText('1 到 100000')
  await expect(page.locator('.settings__row.is-bad')).toContainText('未送达申请的最多份数')
})

test('a supervisor exports to a listed medium and sees how many went where', async ({ page }) => {
  await signIn(
    page,
    counterAnswers({
      staff_login: admin,
      review_list: [],
      export_destinations: destinations,
      export_bundle: { path: '/media/clerk/KINGSTON/tongban-k42-1795400000000.tbundle', ids: ['a', 'b', 'c'], bytes: 912_000 },
    }),
  )
  await page.getByTestId('tile-review').click()
  const panel = page.getByTestId('export-panel')
  await expect(panel).toContainText('KINGSTON')
  await expect(panel.getByTestId('export-destination-cdrom0').locator('input')).toBeDisabled()
  await panel.getByTestId('export-destination-KINGSTON').click()
  await panel.getByTestId('export-button').click()
  await expect(panel.getByTestId('export-done')).toContainText('3 份申请')
  await expect(panel.getByTestId('export-done')).toContainText('/media/clerk/KINGSTON/tongban-k42-1795400000000.tbundle')
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'export_bundle')
  expect(call?.args).toEqual({ dir: '/media/clerk/KINGSTON', again: false })
})

test('a typed folder is used, and a refused export shows the Rust message', async ({ page }) => {
  const missing: Problem = {
    code: 'EXPORT_FOLDER_MISSING',
    zh: '找不到文件夹 /media/usb9。请插好移动介质后选择它的文件夹。',
    en: 'There is no folder /media/usb9. Plug in the medium and choose its folder.',
    field: 'dir',
  }
  await signIn(page, counterAnswers({ staff_login: admin, review_list: [], export_destinations: [], export_bundle: { error: missing } }))
  await page.getByTestId('tile-review').click()
  await expect(page.getByTestId('export-none')).toBeVisible()
  await expect(page.getByTestId('export-button')).toBeDisabled()
  await page.locator('#export-dir').fill('/media/usb9')
  await page.getByTestId('export-button').click()
  await expect(page.getByTestId('export-problem')).toContainText('插好移动介质')
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'export_bundle')
  expect(call?.args).toEqual({ dir: '/media/usb9', again: false })
})

test('an operator cannot export', async ({ page }) => {
  await signIn(page, counterAnswers({ review_list: [], export_destinations: destinations }))
  await page.getByTestId('tile-review').click()
  await expect(page.getByTestId('review')).toBeVisible()
  await expect(page.getByTestId('export-panel')).toHaveCount(0)
})

test('the end-of-day report shows today, another day on request, and prints', async ({ page }) => {
  const other: DayReport = { ...dayReport, date: '2026-11-20', total: 0, byKind: [], byState: [], byOperator: [], attachments: 0, attachmentBytes: 0 }
  await signIn(
    page,
    counterAnswers({
      day_report: { byArgs: ['date'], answers: { null: dayReport, '2026-11-20': other } },
      day_report_pdf: { path: '/var/lib/tongban/print/day-report-1.pdf', pages: 1, bytes: 9000, applicationNo: '', substitutions: [] },
      print_document: { id: 'HP_LaserJet_M404-17', printer: 'HP_LaserJet_M404' },
    }),
  )
  await page.getByTestId('tile-day-report').click()
  await expect(page.getByTestId('day-report-total')).toContainText('14')
  await expect(page.getByTestId('day-report-unsent')).toContainText('4')
  await expect(page.getByTestId('day-report-oldest')).toContainText('2026')
  await expect(page.getByTestId('day-report-attachments')).toContainText('31 个文件')
  await expect(page.getByTestId('day-report-by-kind')).toContainText('法人注册')
  await expect(page.getByTestId('day-report-by-state')).toContainText('11')
  await expect(page.getByTestId('day-report-by-operator')).toContainText('wang')
  await expect(page.locator('#day-report-date')).toHaveValue('2026-11-23')

  await page.getByTestId('day-report-print').click()
  await expect(page.getByTestId('day-report-printed')).toContainText('HP_LaserJet_M404')
  let calls = await ipcCalls(page)
  expect(calls.find((c) => c.cmd === 'day_report_pdf')?.args).toEqual({ date: '2026-11-23' })
  expect(calls.find((c) => c.cmd === 'print_document')?.args).toEqual({ path: '/var/lib/tongban/print/day-report-1.pdf', printer: null })

  await page.locator('#day-report-date').fill('2026-11-20')
  await page.locator('#day-report-date').press('Enter')
  await expect(page.getByTestId('day-report-empty')).toBeVisible()
  calls = await ipcCalls(page)
  expect(calls.filter((c) => c.cmd === 'day_report').map((c) => c.args.date)).toEqual([null, '2026-11-20'])
})

for (const lang of ['zh', 'en'] as const) {
  test(`operations screens in ${lang} (screenshots)`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await signIn(
      page,
      counterAnswers({
        staff_login: admin,
        day_report: dayReport,
        review_list: [],
        export_destinations: destinations,
      }),
    )
    await setLanguage(page, lang)
    await page.getByTestId('tile-day-report').click()
    await expect(page.getByTestId('day-report-by-kind')).toBeVisible()
    await expect(page.getByTestId('day-report-total')).toContainText(lang === 'en' ? 'Applications taken in' : '当日受理')
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
    expect(scroll, 'page wider than the window').toBeLessThanOrEqual(width)
    await page.screenshot({ path: `${shots}/ui-day-report-${lang}.png`, animations: 'disabled' })

    // A hash change, not a reload: the signed-in session and the language stay.
    await page.evaluate(() => (location.hash = '#/review'))
    await expect(page.getByTestId('export-panel')).toContainText('KINGSTON')
    await page.getByTestId('export-panel').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${shots}/ui-export-${lang}.png`, animations: 'disabled', fullPage: true })

    await page.evaluate(() => (location.hash = '#/settings'))
    await page.getByTestId('limits-settings').scrollIntoViewIfNeeded()
    await expect(page.getByTestId('review-settings')).toBeVisible()
    await page.screenshot({ path: `${shots}/ui-settings-limits-${lang}.png`, animations: 'disabled' })
  })
}
