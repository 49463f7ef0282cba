// The administrator's settings, stored by Rust (and refused by its rules); enrolment with a real
// platform's one-time code. Printers and capture devices are the hall's hardware.
import { expect, test } from './bridge'
import { ipcCalls } from './ipc-mock'
import { paper, signIn } from './flow-steps'
import { scannerOnly } from './fixtures'

const devices = { ...paper, capture_sources: scannerOnly }

test('an administrator changes the retention days', async ({ page, bridge }) => {
  await signIn(page, bridge, 'admin')
  await page.getByTestId('tile-settings').click()
  await expect(page.getByTestId('retention-days').locator('input')).toHaveValue('7')
  await page.getByTestId('retention-days').locator('input').fill('30')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  expect((await ipcCalls(page)).find((c) => c.cmd === 'set_retention_days')?.args).toEqual({ days: 30 })
  expect(await bridge.invoke('retention_days')).toBe(30)
})

test('an out-of-range retention is refused with the Rust message', async ({ page, bridge }) => {
  await signIn(page, bridge, 'admin')
  await page.getByTestId('tile-settings').click()
  await page.getByTestId('retention-days').locator('input').fill('999')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-problem')).toContainText('365')
  expect(await bridge.invoke('retention_days')).toBe(7)
})

test('an administrator sets hall, mode, idle timeout, language, printer and scanner', async ({ page, bridge }) => {
  await signIn(page, bridge, 'admin', devices)
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
  expect(await bridge.invoke('settings_get')).toMatchObject({
    hallName: '二七区政务服务中心',
    mode: 'self-service',
    idleTimeoutS: 60,
    printer: 'HP_LaserJet_M404',
    scanner: 'airscan:e0:Canon',
    language: 'zh-CN',
  })
})

test('a refused setting shows the Rust message and marks its field', async ({ page, bridge }) => {
  await signIn(page, bridge, 'admin')
  await page.getByTestId('tile-settings').click()
  await page.locator('#set-idle').fill('5')
  await page.locator('#set-idle').blur()
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-problem')).toContainText('30 到 1800')
  await expect(page.locator('.settings__row.is-bad label')).toHaveText('自助模式无操作超时（秒）')
  expect((await ipcCalls(page)).some((c) => c.cmd === 'set_retention_days'), 'nothing else is saved').toBe(false)
  expect(((await bridge.invoke('settings_get')) as { idleTimeoutS: number }).idleTimeoutS).toBe(120)
})

test.describe('a platform the kiosk is not enrolled with yet', () => {
  test.use({ bridgeOptions: { platform: true, noEnrol: true } })

  test('enrolment sends the platform address and code and shows the kiosk id', async ({ page, bridge }) => {
    const { code, platformUrl } = await bridge.enrolmentCode()
    await signIn(page, bridge, 'admin')
    await page.getByTestId('tile-settings').click()
    await expect(page.getByTestId('enrol-status')).toContainText('尚未在平台注册')
    await page.locator('#set-platform-url').fill(platformUrl)
    await page.locator('#set-enrol-code').fill(code)
    await page.getByTestId('enrol-submit').click()
    await expect(page.getByTestId('enrol-done')).toBeVisible()
    const enrolled = (await ipcCalls(page)).find((c) => c.cmd === 'sync_enrol')
    expect(enrolled?.args).toEqual({ platformUrl, code })
    const kioskId = (enrolled?.result as { kioskId: string }).kioskId
    await expect(page.getByTestId('enrol-done')).toContainText(kioskId)
    expect(await bridge.invoke('sync_status')).toMatchObject({ enrolled: true, kioskId })
  })
})

test('an operator cannot open the settings', async ({ page, bridge }) => {
  await signIn(page, bridge)
  await expect(page.getByTestId('tile-settings')).toHaveCount(0)
  await page.goto('/#/settings')
  await expect(page.getByTestId('tiles')).toBeVisible()
  await expect(page.getByTestId('settings')).toHaveCount(0)
})
