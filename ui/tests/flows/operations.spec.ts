// Operations screens on the real kiosk: limit thresholds and review policy in the settings, the
// export to removable media (the media list is the hall's hardware; the export itself is Rust's,
// into a real folder), and the end-of-day report of the day's real applications.
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Bridge } from './bridge'
import { ipcCalls } from './ipc-mock'
import { paper, signIn } from './flow-steps'
import type { ExportDestination } from '../../src/bindings/ExportDestination'

/** The mounted media of the hall's PC: a USB stick (a real folder) and a read-only CD. */
function media(stick: string): ExportDestination[] {
  return [
    { path: stick, label: 'KINGSTON', kind: 'removable', writable: true, freeBytes: 7.4 * 1024 ** 3 },
    { path: '/media/cdrom0', label: 'cdrom0', kind: 'removable', writable: false, freeBytes: 0 },
  ]
}

/** Three applications of today, handed in at this counter. */
async function today(bridge: Bridge) {
  for (const name of ['tianjin-natural-person', 'tianjin-legal-entity', 'most-real-name']) await bridge.submitFixture(name)
}

test('an administrator sets the operating limits and a review sample rate', async ({ page, bridge }) => {
  await signIn(page, bridge, 'admin')
  await page.getByTestId('tile-settings').click()
  await expect(page.getByTestId('set-limit-maxUnsent').locator('input')).toHaveValue('500')
  await page.getByTestId('set-limit-maxUnsent').locator('input').fill('200')
  await page.getByTestId('set-limit-syncHealthMinutes').locator('input').fill('30')
  await page.getByTestId('set-limit-syncHealthMinutes').locator('input').blur()
  await page.getByTestId('review-tianjin-sample').click()
  await page.getByTestId('review-tianjin-percent').locator('input').fill('25')
  await page.getByTestId('review-tianjin-percent').locator('input').blur()
  await page.getByTestId('review-most-all').click()
  await page.locator('#set-export-dir').fill('/srv/tongban-export')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  const stored = await bridge.invoke<Record<string, unknown>>('settings_get')
  expect(stored).toMatchObject({ exportDir: '/srv/tongban-export', limits: { maxUnsent: 200, syncHealthMinutes: 30 } })
  expect(stored.reviewPolicies).toEqual(
    expect.arrayContaining([
      { profile: 'tianjin', policy: { mode: 'sample', percent: 25 } },
      { profile: 'most', policy: { mode: 'all' } },
    ]),
  )
})

test('a refused threshold shows the Rust message and marks its field', async ({ page, bridge }) => {
  await signIn(page, bridge, 'admin')
  await page.getByTestId('tile-settings').click()
  await page.getByTestId('set-limit-maxUnsent').locator('input').fill('0')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-problem')).toBeVisible()
  const refused = (await ipcCalls(page)).filter((c) => c.cmd === 'settings_set').pop()?.error
  expect(refused).toMatchObject({ code: 'SETTING_INVALID', field: 'limits.maxUnsent' })
  await expect(page.getByTestId('settings-problem')).toContainText(refused?.zh ?? '?')
  await expect(page.locator('.settings__row.is-bad')).toContainText('未送达申请')
})

test.describe('enrolled with a platform (exports are sealed to it)', () => {
  test.use({ bridgeOptions: { platform: true } })

test('a supervisor exports to a listed medium and sees how many went where', async ({ page, bridge }) => {
  await today(bridge)
  const stick = mkdtempSync(join(tmpdir(), 'tongban-stick-'))
  await signIn(page, bridge, 'admin', { ...paper, export_destinations: media(stick) })
  await page.getByTestId('tile-review').click()
  const panel = page.getByTestId('export-panel')
  await expect(panel).toContainText('KINGSTON')
  await expect(panel.getByTestId('export-destination-cdrom0').locator('input')).toBeDisabled()
  await panel.getByTestId('export-destination-KINGSTON').click()
  await panel.getByTestId('export-button').click()
  await expect(panel.getByTestId('export-done')).toContainText('3 份申请')
  const written = readdirSync(stick)
  expect(written, 'one signed bundle on the stick').toHaveLength(1)
  await expect(panel.getByTestId('export-done')).toContainText(written[0])
  expect((await ipcCalls(page)).find((c) => c.cmd === 'export_bundle')?.args).toEqual({ dir: stick, again: false })
})

test('a typed folder is used, and a refused export shows the Rust message', async ({ page, bridge }) => {
  await signIn(page, bridge, 'admin', { ...paper, export_destinations: [] })
  await page.getByTestId('tile-review').click()
  await expect(page.getByTestId('export-none')).toBeVisible()
  await expect(page.getByTestId('export-button')).toBeDisabled()
  await page.locator('#export-dir').fill('/media/usb9')
  await page.getByTestId('export-button').click()
  // Rust's answer first: the call is recorded when it is made, its error when it returns.
  await expect(page.getByTestId('export-problem')).toBeVisible()
  const refused = (await ipcCalls(page)).find((c) => c.cmd === 'export_bundle')
  expect(refused?.args).toEqual({ dir: '/media/usb9', again: false })
  expect(refused?.error?.code).toBeTruthy()
  await expect(page.getByTestId('export-problem')).toContainText(refused?.error?.zh.slice(0, 10) ?? '?')
})

})

test('an operator cannot export', async ({ page, bridge }) => {
  await signIn(page, bridge, 'clerk', { ...paper, export_destinations: media('/tmp') })
  await page.getByTestId('tile-review').click()
  await expect(page.getByTestId('review')).toBeVisible()
  await expect(page.getByTestId('export-panel')).toHaveCount(0)
})

test('the end-of-day report shows today, another day on request, and prints', async ({ page, bridge }) => {
  await today(bridge)
  await signIn(page, bridge)
  await page.getByTestId('tile-day-report').click()
  await expect(page.getByTestId('day-report-total')).toContainText('3')
  await expect(page.getByTestId('day-report-unsent')).toContainText('3')
  await expect(page.getByTestId('day-report-by-kind')).toContainText('法人')
  await expect(page.getByTestId('day-report-by-operator')).toContainText('clerk')
  await expect(page.getByTestId('day-report-attachments')).toContainText('个文件')
  const day = await page.locator('#day-report-date').inputValue()
  expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/)

  await page.getByTestId('day-report-print').click()
  await expect(page.getByTestId('day-report-printed')).toContainText('hall-printer')
  let calls = await ipcCalls(page)
  const pdf = calls.find((c) => c.cmd === 'day_report_pdf')
  expect(pdf?.args).toEqual({ date: day })
  expect(calls.find((c) => c.cmd === 'print_document')?.args).toEqual({ path: (pdf?.result as { path: string }).path, printer: null })

  await page.locator('#day-report-date').fill('2026-01-05')
  await page.locator('#day-report-date').press('Enter')
  await expect(page.getByTestId('day-report-empty')).toBeVisible()
  calls = await ipcCalls(page)
  expect(calls.filter((c) => c.cmd === 'day_report').map((c) => c.args.date)).toEqual([null, '2026-01-05'])
})
