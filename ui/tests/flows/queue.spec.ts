import { test, expect } from '@playwright/test'
import { counterAnswers, ipcCalls, signIn, syncOffline } from './fixtures'
import { emitEvent } from './ipc-mock'
import type { Problem } from '../../src/bindings/Problem'

test('queue lists masked summaries, states, attempts and last errors; filters and details', async ({ page }) => {
  await signIn(page, counterAnswers())
  await page.getByTestId('tile-queue').click()
  const table = page.getByTestId('queue-table')
  await expect(table).toContainText('110***********002X')
  await expect(table).not.toContainText('11010519491231002X')
  await expect(table).toContainText('需补充')
  await expect(table).toContainText('平台要求补充加盖公章的风险承诺书')
  await expect(page.getByTestId('queue-counts')).toContainText('待上传 1')
  await page.getByTestId('queue-filter').click()
  await page.getByRole('option', { name: '需补充' }).click()
  await expect
    .poll(async () => (await ipcCalls(page)).filter((c) => c.cmd === 'queue_list' && c.args.filter !== 'draft').map((c) => c.args.filter))
    .toEqual([null, 'needs-action'])
  await page.getByTestId('queue-open-0193a5e0-11aa-7bcd-8e9f-a0b1c2d3e4f5').click()
  await expect(page.getByTestId('queue-detail')).toContainText('licence')
  await expect(page.getByTestId('queue-detail')).toContainText('请补充风险承诺书')
})

test('queue shows what to do when the database does not answer', async ({ page }) => {
  const problem: Problem = {
    code: 'BUSY',
    zh: '本地数据库正忙，请稍后再试。',
    en: 'The local database is busy; try again in a moment.',
  }
  await signIn(page, counterAnswers({ queue_list: { error: problem } }))
  await page.getByTestId('tile-queue').click()
  await expect(page.getByTestId('queue-problem')).toContainText('请稍后再试')
})

test('sync bar: offline badge, items and bytes from sync_status, then live from sync-progress events', async ({ page }) => {
  await signIn(page, counterAnswers())
  await page.getByTestId('tile-queue').click()
  await expect(page.getByTestId('sync-badge')).toHaveText('离线')
  await expect(page.getByTestId('connectivity')).toHaveText('离线')
  await expect(page.getByTestId('sync-figures')).toContainText('已送达 6/8')
  await expect(page.getByTestId('sync-last-error')).toContainText('connection refused')
  await expect(page.getByTestId('sync-progress')).toHaveAttribute('aria-valuenow', '75')
  await emitEvent(page, 'sync-progress', { ...syncOffline, online: true, waiting: 1, dueNow: 1, delivered: 7, inFlight: 1, bytesSent: 1_250_000, lastError: null })
  await expect(page.getByTestId('sync-badge')).toHaveText('平台在线')
  await expect(page.getByTestId('connectivity')).toHaveText('平台在线')
  await expect(page.getByTestId('sync-figures')).toContainText('已送达 7/8')
  await expect(page.getByTestId('sync-figures')).toContainText('1.3 MB')
  await expect(page.getByTestId('sync-figures')).toContainText('正在上传 1 份')
  await expect(page.getByTestId('sync-last-error')).toHaveCount(0)
})

test('retry now and sync now call Rust and reload the queue', async ({ page }) => {
  await signIn(page, counterAnswers())
  await page.getByTestId('tile-queue').click()
  const id = '0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11'
  await expect(page.getByTestId('queue-retry-0193a5e0-11aa-7bcd-8e9f-a0b1c2d3e4f5'), 'nothing to retry while the platform waits for the visitor').toHaveCount(0)
  await page.getByTestId(`queue-retry-${id}`).click()
  await expect(page.getByTestId(`queue-retry-${id}`)).toHaveText('将重试')
  await page.getByTestId('sync-now').click()
  await expect.poll(async () => (await ipcCalls(page)).map((c) => c.cmd).filter((c) => ['queue_retry', 'sync_now'].includes(c))).toEqual(['queue_retry', 'sync_now'])
  const retry = (await ipcCalls(page)).find((c) => c.cmd === 'queue_retry')
  expect(retry?.args).toEqual({ id })
  expect((await ipcCalls(page)).filter((c) => c.cmd === 'queue_list').length, 'reloaded after each').toBeGreaterThanOrEqual(3)
})

test('a refused retry shows what to do', async ({ page }) => {
  const notWaiting: Problem = {
    code: 'QUEUE_NOT_WAITING',
    zh: '这份申请不在待上传队列中（可能已送达平台，或正等待补充材料），无需重试。请刷新队列查看它的状态。',
    en: 'This application is not waiting for upload, so there is nothing to retry. Refresh the queue to see its state.',
  }
  await signIn(page, counterAnswers({ queue_retry: { error: notWaiting } }))
  await page.getByTestId('tile-queue').click()
  await page.getByTestId('queue-retry-0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11').click()
  await expect(page.getByTestId('queue-problem')).toContainText('请刷新队列')
})

test('a needs-action item explains the platform reason and starts a new application honestly', async ({ page }) => {
  await signIn(page, counterAnswers())
  await page.getByTestId('tile-queue').click()
  await page.getByTestId('queue-open-0193a5e0-11aa-7bcd-8e9f-a0b1c2d3e4f5').click()
  await expect(page.getByTestId('needs-action-reason')).toContainText('请补充风险承诺书')
  await expect(page.getByTestId('needs-action')).toContainText('只有平台能读取')
  await page.getByTestId('needs-action-restart').click()
  await expect(page).toHaveURL(/#\/consent\/legal-entity\?profile=most&replaces=0193a5e0/)
})
