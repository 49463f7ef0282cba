import { test, expect } from '@playwright/test'
import { counterAnswers, ipcCalls, signIn } from './fixtures'
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
    .poll(async () => (await ipcCalls(page)).filter((c) => c.cmd === 'queue_list').map((c) => c.args.filter))
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
