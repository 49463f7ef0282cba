// Supervisor review on the real kiosk: every Tianjin application is held (review policy `all`),
// the seeded supervisor `lead` (周主管) decides with the password Rust re-checks.
import { STAFF_PASSWORD, expect, test, type Bridge } from './bridge'
import { ipcCalls } from './ipc-mock'
import { signIn, signInHere } from './flow-steps'
import { limitsOk, limitsReached } from './fixtures'

test.use({ bridgeOptions: { reviewAll: ['tianjin'] } })

async function hold(bridge: Bridge) {
  return [await bridge.submitFixture('tianjin-natural-person'), await bridge.submitFixture('tianjin-legal-entity')]
}

test('a supervisor sees a masked list, opens a detail and batch-approves with the password', async ({ page, bridge }) => {
  const held = await hold(bridge)
  await signIn(page, bridge, 'lead')
  await page.getByTestId('tile-review').click()
  const table = page.getByTestId('review-table')
  await expect(table).toContainText('120***********2840')
  await expect(table).not.toContainText('120116199001082840')
  await page.getByTestId(`open-${held[1].id}`).click()
  await expect(page.getByTestId('review-detail')).toContainText('营业执照')
  await page.locator('.el-drawer__close-btn').click()

  for (const h of held) await page.getByTestId(`select-${h.id}`).click()
  await page.getByTestId('batch-approve').click()
  await page.getByTestId('review-remarks').fill('已核对原件')
  await page.getByTestId('review-password').fill('wrong password')
  await page.getByTestId('review-confirm-button').click()
  await expect(page.getByTestId('review-problem')).toContainText('密码不正确')
  await page.getByTestId('review-password').fill(STAFF_PASSWORD)
  await page.getByTestId('review-confirm-button').click()
  await expect(page.getByTestId('review-notice')).toContainText('2')
  const approvals = (await ipcCalls(page)).filter((c) => c.cmd === 'review_approve')
  expect(approvals.at(-1)?.args).toEqual({ ids: held.map((h) => h.id), remarks: '已核对原件', password: STAFF_PASSWORD })
  const waiting = await bridge.invoke<{ id: string; state: string }[]>('queue_list', { filter: 'submitted', limit: 10 })
  expect(waiting.map((w) => w.id).sort(), 'approved: on their way to the platform').toEqual(held.map((h) => h.id).sort())
})

test('a supervisor returns an application with a reason; the operator sees it and cannot decide', async ({ page, bridge }) => {
  const held = await hold(bridge)
  await signIn(page, bridge, 'lead')
  await page.getByTestId('tile-review').click()
  await page.getByTestId(`return-${held[0].id}`).click()
  await page.getByTestId('review-return-reason').fill('身份证照片反光，请重拍')
  await page.getByTestId('review-password').fill(STAFF_PASSWORD)
  await page.getByTestId('review-confirm-button').click()
  await expect(page.getByTestId('review-notice')).toBeVisible()
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'review_return')
  expect(call?.args).toEqual({ id: held[0].id, reason: '身份证照片反光，请重拍', password: STAFF_PASSWORD })
  // The operator at the counter.
  await page.getByTestId('logout').click()
  await page.getByTestId('sign-in').click()
  await signInHere(page, 'clerk')
  await page.getByTestId('tile-review').click()
  await expect(page.getByTestId('review-reason')).toContainText('身份证照片反光，请重拍')
  await expect(page.getByTestId(`approve-${held[0].id}`)).toHaveCount(0)
  await expect(page.getByTestId('export-panel')).toHaveCount(0)
  const lists = (await ipcCalls(page)).filter((c) => c.cmd === 'review_list')
  expect(lists.at(-1)?.args).toEqual({ status: 'returned' })
})

test.describe('connected', () => {
  test.use({ bridgeOptions: { platform: true } })

  test('home shows a reached limit and a stalled sync with its last error and a sync-now button', async ({ page, bridge }) => {
  // Eight days without the platform cannot be lived through here: the limits are a scenario.
  await signIn(page, bridge, 'clerk', { limits_status: { sequence: [limitsReached, limitsOk] } })
  await expect(page.getByTestId('limits-alert')).toContainText('已暂停受理新申请')
  await expect(page.getByTestId('limit-days-without-sync')).toContainText('8 / 7')
  await expect(page.getByTestId('sync-last-error')).toContainText('connection refused')
  await page.getByTestId('sync-now').click()
  await expect(page.getByTestId('limits-banner')).toHaveCount(0)
  expect((await ipcCalls(page)).find((c) => c.cmd === 'sync_now')?.result, 'Rust ran the round').toMatchObject({ lastError: null })
  })
})
