import { test, expect } from '@playwright/test'
import { admin, counterAnswers, ipcCalls, signIn } from './fixtures'
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
