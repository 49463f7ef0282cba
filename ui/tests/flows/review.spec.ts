import { test, expect } from '@playwright/test'
import { counterAnswers, ipcCalls, limitsOk, signIn } from './fixtures'
import type { LimitsReport } from '../../src/bindings/LimitsReport'
import type { Problem } from '../../src/bindings/Problem'
import type { ReviewDetail } from '../../src/bindings/ReviewDetail'
import type { ReviewItem } from '../../src/bindings/ReviewItem'
import type { StaffSession } from '../../src/bindings/StaffSession'

const supervisor: StaffSession = { username: 'lead', displayName: '周主管', role: 'supervisor' }

const held: ReviewItem[] = ['0193a600-0000-7000-8000-000000000001', '0193a600-0000-7000-8000-000000000002'].map((id, i) => ({
  id,
  kind: 'natural-person',
  profile: 'tianjin',
  summary: { name: i === 0 ? '赵*华' : '钱*', idNumber: '110***********002X' },
  state: 'submitted',
  createdAt: 1795400000000 + i,
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  remarks: null,
  reason: null,
}))

const returned: ReviewItem = { ...held[1], status: 'returned', decidedBy: 'lead', decidedAt: 1795400100000, reason: '身份证照片反光，请重拍' }

const detail: ReviewDetail = {
  item: held[0],
  attachments: [{ slot: 'id-front', sha256: 'ab'.repeat(32), size: 183204, mediaType: 'image/jpeg', labelZh: '身份证件正面（人像面）照片', labelEn: 'Front of the identity document' }],
}

const wrongPassword: Problem = {
  code: 'STAFF_LOGIN_FAILED',
  zh: '用户名或密码不正确。连续错误 5 次将锁定 15 分钟。',
  en: 'Wrong username or password.',
}

test('supervisor sees a masked list, opens a detail and batch-approves with the password', async ({ page }) => {
  await signIn(
    page,
    counterAnswers({
      staff_login: supervisor,
      review_list: { sequence: [held, []] },
      review_show: detail,
      review_approve: { sequence: [{ error: wrongPassword }, { ids: held.map((h) => h.id), status: 'approved', supervisor: 'lead' }] },
    }),
  )
  await page.getByTestId('tile-review').click()
  const table = page.getByTestId('review-table')
  await expect(table).toContainText('110***********002X')
  await expect(table).not.toContainText('11010519491231002X')
  await page.getByTestId(`open-${held[0].id}`).click()
  await expect(page.getByTestId('review-detail')).toContainText('idFront')
  await page.locator('.el-drawer__close-btn').click()

  for (const h of held) await page.getByTestId(`select-${h.id}`).click()
  await page.getByTestId('batch-approve').click()
  await page.getByTestId('review-remarks').fill('已核对原件')
  await page.getByTestId('review-password').fill('wrong')
  await page.getByTestId('review-confirm-button').click()
  await expect(page.getByTestId('review-problem')).toContainText('密码不正确')
  await page.getByTestId('review-password').fill('supervisor password 1')
  await page.getByTestId('review-confirm-button').click()
  await expect(page.getByTestId('review-notice')).toContainText('2')
  const approvals = (await ipcCalls(page)).filter((c) => c.cmd === 'review_approve')
  expect(approvals.at(-1)?.args).toEqual({ ids: held.map((h) => h.id), remarks: '已核对原件', password: 'supervisor password 1' })
})

test('supervisor returns an application with a reason', async ({ page }) => {
  await signIn(
    page,
    counterAnswers({
      staff_login: supervisor,
      review_list: held,
      review_return: { ids: [held[1].id], status: 'returned', supervisor: 'lead' },
    }),
  )
  await page.getByTestId('tile-review').click()
  await page.getByTestId(`return-${held[1].id}`).click()
  await page.getByTestId('review-return-reason').fill('身份证照片反光，请重拍')
  await page.getByTestId('review-password').fill('supervisor password 1')
  await page.getByTestId('review-confirm-button').click()
  await expect(page.getByTestId('review-notice')).toBeVisible()
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'review_return')
  expect(call?.args).toEqual({ id: held[1].id, reason: '身份证照片反光，请重拍', password: 'supervisor password 1' })
})

test('the operator sees the reason of a returned application and cannot decide', async ({ page }) => {
  await signIn(page, counterAnswers({ review_list: [returned] }))
  await page.getByTestId('tile-review').click()
  await expect(page.getByTestId('review-reason')).toContainText('身份证照片反光，请重拍')
  await expect(page.getByTestId(`approve-${returned.id}`)).toHaveCount(0)
  await expect(page.getByTestId('export-panel')).toHaveCount(0)
  const lists = (await ipcCalls(page)).filter((c) => c.cmd === 'review_list')
  expect(lists[0]?.args).toEqual({ status: 'returned' })
})

test('home shows a reached limit and a stalled sync with its last error and a sync-now button', async ({ page }) => {
  const blocked: LimitsReport = {
    ...limitsOk,
    acceptingNew: false,
    state: 'reached',
    limits: limitsOk.limits.map((l) =>
      l.kind === 'days-without-sync'
        ? { ...l, value: 8, state: 'reached', zh: '已 8 天未成功同步或导出（上限 7 天）。请检查网络后点“立即同步”。', en: '8 days' }
        : l,
    ),
    syncHealth: { ...limitsOk.syncHealth, state: 'warning', minutesSinceSuccess: 11520, lastError: 'connection refused' },
  }
  await signIn(
    page,
    counterAnswers({
      limits_status: { sequence: [blocked, limitsOk] },
      sync_now: { delivered: 2, refused: 0, retried: 0, statusUpdates: 0, masterUpdated: 0, bytesSent: 1000, lastError: null },
    }),
  )
  await expect(page.getByTestId('limits-alert')).toContainText('已暂停受理新申请')
  await expect(page.getByTestId('limit-days-without-sync')).toContainText('8 / 7')
  await expect(page.getByTestId('sync-last-error')).toContainText('connection refused')
  await page.getByTestId('sync-now').click()
  await expect(page.getByTestId('limits-banner')).toHaveCount(0)
  expect((await ipcCalls(page)).some((c) => c.cmd === 'sync_now')).toBe(true)
})
