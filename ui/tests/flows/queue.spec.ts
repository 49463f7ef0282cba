// The queue of the real kiosk: applications handed in (fixtures through kiosk-api), delivered to
// a real platform whose reviewer asks for more evidence; retries and syncs through Rust.
import { expect, test, type Bridge } from './bridge'
import { emitEvent, ipcCalls } from './ipc-mock'
import { signIn } from './flow-steps'

test.use({ bridgeOptions: { platform: true } })

/** 陈静's registration (waiting) and a MOST unit the platform's reviewer asked more of. */
async function fillQueue(bridge: Bridge) {
  const unit = await bridge.submitFixture('most-legal-entity')
  await bridge.sync()
  await bridge.platformReview(unit.id, { action: 'request-evidence', zh: '请补充加盖公章的风险承诺书', en: 'Add the stamped risk letter' })
  await bridge.sync()
  const person = await bridge.submitFixture('tianjin-natural-person')
  return { unit, person }
}

test('queue lists masked summaries, states and the platform reason; filters and details', async ({ page, bridge }) => {
  const { unit } = await fillQueue(bridge)
  await signIn(page, bridge)
  await page.getByTestId('tile-queue').click()
  const table = page.getByTestId('queue-table')
  await expect(table).toContainText('120***********2840')
  await expect(table).not.toContainText('120116199001082840')
  await expect(table).toContainText('需补充')
  await expect(page.getByTestId('queue-counts')).toContainText('已提交 1')
  await page.getByTestId('queue-filter').click()
  await page.getByRole('option', { name: '需补充' }).click()
  await expect
    .poll(async () => (await ipcCalls(page)).filter((c) => c.cmd === 'queue_list' && c.args.filter !== 'draft').map((c) => c.args.filter))
    .toEqual([null, 'needs-action'])
  await expect(table).not.toContainText('120***********2840')
  await page.getByTestId(`queue-open-${unit.id}`).click()
  await expect(page.getByTestId('queue-detail')).toContainText('请补充加盖公章的风险承诺书')
})

test('queue shows what to do when the database does not answer', async ({ page, bridge }) => {
  // A busy database cannot be made from the page: `queue_list` fails as Rust's does then.
  const busy = { code: 'BUSY', zh: '本地数据库正忙，请稍后再试。', en: 'The local database is busy; try again in a moment.' }
  await signIn(page, bridge, 'clerk', { queue_list: { error: busy } })
  await page.getByTestId('tile-queue').click()
  await expect(page.getByTestId('queue-problem')).toContainText('请稍后再试')
})

test('sync bar: the figures of sync_status, then live from sync-progress events', async ({ page, bridge }) => {
  await fillQueue(bridge)
  await signIn(page, bridge)
  await page.getByTestId('tile-queue').click()
  await expect(page.getByTestId('sync-badge')).toHaveText('平台在线')
  await expect(page.getByTestId('sync-figures')).toContainText('已送达 1/2')
  // The worker reports while it uploads (Rust's `sync-progress` event).
  const status = await bridge.invoke<Record<string, number | boolean | null>>('sync_status')
  await emitEvent(page, 'sync-progress', { ...status, online: false, inFlight: 1, bytesSent: 1_250_000, lastError: '无法连接平台 / connection refused' })
  await expect(page.getByTestId('sync-badge')).toHaveText('离线')
  await expect(page.getByTestId('connectivity')).toHaveText('离线')
  await expect(page.getByTestId('sync-figures')).toContainText('1.3 MB')
  await expect(page.getByTestId('sync-figures')).toContainText('正在上传 1 份')
  await expect(page.getByTestId('sync-last-error')).toContainText('connection refused')
  await emitEvent(page, 'sync-progress', { ...status, waiting: 0, delivered: 2, online: true, lastError: null })
  await expect(page.getByTestId('sync-figures')).toContainText('已送达 2/2')
  await expect(page.getByTestId('sync-last-error')).toHaveCount(0)
})

test('retry now and sync now call Rust and reload the queue', async ({ page, bridge }) => {
  // Handed in while the line was down: its first attempt failed and it waits for the next.
  await bridge.platformDown()
  const person = await bridge.submitFixture('tianjin-natural-person')
  await bridge.sync()
  await bridge.platformUp()
  await signIn(page, bridge)
  await page.getByTestId('tile-queue').click()
  await page.getByTestId(`queue-retry-${person.id}`).click()
  await expect(page.getByTestId(`queue-retry-${person.id}`)).toHaveText('将重试')
  await page.getByTestId('sync-now').click()
  await expect.poll(async () => (await ipcCalls(page)).map((c) => c.cmd).filter((c) => ['queue_retry', 'sync_now'].includes(c))).toEqual(['queue_retry', 'sync_now'])
  expect((await ipcCalls(page)).find((c) => c.cmd === 'queue_retry')?.args).toEqual({ id: person.id })
  await expect(page.getByTestId('queue-table')).toContainText('平台已受理')
  expect((await bridge.submission(person.id)).state).toBe('accepted')
  expect((await ipcCalls(page)).filter((c) => c.cmd === 'queue_list').length, 'reloaded after each').toBeGreaterThanOrEqual(3)
})

test('a retry refused by Rust shows what to do', async ({ page, bridge }) => {
  await bridge.platformDown()
  const person = await bridge.submitFixture('tianjin-natural-person')
  await bridge.sync()
  await bridge.platformUp()
  await signIn(page, bridge)
  await page.getByTestId('tile-queue').click()
  await expect(page.getByTestId(`queue-retry-${person.id}`)).toBeVisible()
  // Meanwhile a colleague retried it at the other counter and the worker delivered it.
  await bridge.invoke('queue_retry', { id: person.id })
  expect((await bridge.sync()).delivered).toBe(1)
  await page.getByTestId(`queue-retry-${person.id}`).click()
  await expect(page.getByTestId('queue-problem')).toContainText('请刷新队列')
  expect((await ipcCalls(page)).find((c) => c.cmd === 'queue_retry')?.error?.code).toBe('QUEUE_NOT_WAITING')
})

test('a needs-action item explains the platform reason; "start again" opens the wizard on its platform, naming it', async ({ page, bridge }) => {
  const { unit } = await fillQueue(bridge)
  await signIn(page, bridge)
  await page.getByTestId('tile-queue').click()
  await expect(page.getByTestId(`queue-retry-${unit.id}`), 'nothing to retry while the platform waits for the visitor').toHaveCount(0)
  await page.getByTestId(`queue-open-${unit.id}`).click()
  await expect(page.getByTestId('needs-action-reason')).toContainText('请补充加盖公章的风险承诺书')
  await expect(page.getByTestId('needs-action')).toContainText('只有平台能读取')
  await page.getByTestId('needs-action-restart').click()
  await expect(page).toHaveURL(new RegExp(`#/consent/legal-entity\\?profile=most&replaces=${unit.id}`))
  await page.getByTestId('consent-agree').click()
  await expect(page.getByTestId('replaces-note')).toContainText(unit.id)
  await expect(page.getByTestId('profile-most')).toHaveClass(/is-checked/)
  await expect(page.getByTestId('wizard-next')).toBeEnabled()
})

