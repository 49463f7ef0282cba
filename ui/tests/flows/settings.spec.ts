import { test, expect } from '@playwright/test'
import { admin, counterAnswers, ipcCalls, signIn, syncOffline } from './fixtures'
import type { Problem } from '../../src/bindings/Problem'

test('an administrator changes the retention days', async ({ page }) => {
  await signIn(page, counterAnswers({ staff_login: admin }))
  await page.getByTestId('tile-settings').click()
  await expect(page.getByTestId('retention-days').locator('input')).toHaveValue('7')
  await page.getByTestId('retention-days').locator('input').fill('30')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'set_retention_days')
  expect(call?.args).toEqual({ days: 30 })
})

test('an out-of-range retention is refused with the Rust message', async ({ page }) => {
  const refused: Problem = {
    code: 'RETENTION_DAYS_OUT_OF_RANGE',
    zh: '保留天数须在 1 到 365 之间。',
    en: 'Retention must be between 1 and 365 days.',
    field: 'retentionDays',
  }
  await signIn(page, counterAnswers({ staff_login: admin, set_retention_days: { error: refused } }))
  await page.getByTestId('tile-settings').click()
  await page.getByTestId('retention-days').locator('input').fill('999')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-problem')).toContainText('1 到 365')
})

test('an administrator sets hall, mode, idle timeout, platform, language, printer and scanner', async ({ page }) => {
  await signIn(page, counterAnswers({ staff_login: admin }))
  await page.getByTestId('tile-settings').click()
  await page.locator('#set-hall-name').fill('二七区政务服务中心')
  await page.getByTestId('set-mode-self-service').click()
  await page.locator('#set-idle').fill('60')
  await page.locator('#set-idle').blur()
  await page.getByTestId('set-printer').click()
  await page.getByRole('option', { name: 'HP_LaserJet_M404 (默认)' }).click()
  await page.getByTestId('set-scanner').click()
  await page.getByRole('option', { name: 'Canon LiDE 400 (scanner)' }).click()
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'settings_set')
  expect(call?.args.settings).toMatchObject({
    hallName: '二七区政务服务中心',
    mode: 'self-service',
    idleTimeoutS: 60,
    printer: 'HP_LaserJet_M404',
    scanner: 'airscan:e0:Canon',
    language: 'zh-CN',
  })
})

test('a refused setting shows the Rust message and marks its field', async ({ page }) => {
  const refused: Problem = {
    code: 'SETTING_INVALID',
    zh: '无操作超时须在 30 到 1800 秒之间（含最后 20 秒倒计时）。',
    en: 'The idle timeout must be between 30 and 1800 seconds (including the last 20 s countdown).',
    field: 'idleTimeoutS',
  }
  await signIn(page, counterAnswers({ staff_login: admin, settings_set: { error: refused } }))
  await page.getByTestId('tile-settings').click()
  await page.locator('#set-idle').fill('5')
  await page.locator('#set-idle').blur()
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-problem')).toContainText('30 到 1800')
  await expect(page.locator('.settings__row.is-bad label')).toHaveText('自助模式无操作超时（秒）')
  expect((await ipcCalls(page)).some((c) => c.cmd === 'set_retention_days'), 'nothing else is saved').toBe(false)
})

test('enrolment sends the platform address and code and shows the kiosk id', async ({ page }) => {
  await signIn(page, counterAnswers({ staff_login: admin, sync_status: { ...syncOffline, enrolled: false, kioskId: null, platformUrl: null } }))
  await page.getByTestId('tile-settings').click()
  await expect(page.getByTestId('enrol-status')).toContainText('尚未在平台注册')
  await page.locator('#set-platform-url').fill('https://platform.example.gov.cn')
  await page.locator('#set-enrol-code').fill('ENROL-7788')
  await page.getByTestId('enrol-submit').click()
  await expect(page.getByTestId('enrol-done')).toContainText('kiosk-0042')
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'sync_enrol')
  expect(call?.args).toEqual({ platformUrl: 'https://platform.example.gov.cn', code: 'ENROL-7788' })
})

test('an operator cannot open the settings', async ({ page }) => {
  await signIn(page, counterAnswers())
  await expect(page.getByTestId('tile-settings')).toHaveCount(0)
  await page.goto('/#/settings')
  await expect(page.getByTestId('tiles')).toBeVisible()
  await expect(page.getByTestId('settings')).toHaveCount(0)
})
