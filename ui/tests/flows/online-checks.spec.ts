// The wizard's online checks (account name, SMS code), "verify the mobile later" offline, the
// live password meter, reopening a saved draft and the queue's "start again" query.
import { test, expect, type Page } from '@playwright/test'
import { ipcCalls, items, signIn, syncOffline } from './fixtures'
import { draftId, flowAnswers } from './flow-fixtures'
import { fill, fillTianjinPerson, next, start } from './flow-steps'
import type { IpcAnswers } from './ipc-mock'
import type { PasswordStrength } from '../../src/bindings/PasswordStrength'
import type { Problem } from '../../src/bindings/Problem'

const online = { ...syncOffline, online: true, lastError: null }

const weak: PasswordStrength = {
  items: [
    { rule: 'length', met: true, zh: '长度 8-20 位', en: '8-20 characters' },
    { rule: 'classes', met: false, zh: '大写字母、小写字母、数字、特殊字符中至少 3 种', en: 'at least 3 of' },
  ],
  level: 'weak',
  acceptable: false,
}
const strong: PasswordStrength = { items: weak.items.map((i) => ({ ...i, met: true })), level: 'strong', acceptable: true }

async function startTianjin(page: Page, answers: IpcAnswers) {
  await start(page, 'natural-person', 'tianjin', answers)
  await next(page)
  await expect(page.getByTestId('step-account')).toBeVisible()
}

test('online: the account name is checked on the platform, taken blocks, available is said', async ({ page }) => {
  await startTianjin(
    page,
    flowAnswers({
      sync_status: online,
      account_name_availability: { byArgs: ['name'], answers: { zhaolihua01: 'taken', zhaolihua02: 'available' } },
    }),
  )
  await fill(page, 'account.accountName', 'zhaolihua01')
  await page.getByTestId('field-account.password').click()
  await expect(page.getByTestId('field-error-account.accountName')).toHaveText('该账号名已被注册，请换一个。')
  await expect(page.getByTestId('wizard-next')).toBeDisabled()
  await fill(page, 'account.accountName', 'zhaolihua02')
  await page.getByTestId('field-account.password').click()
  await expect(page.getByTestId('field-note-account.accountName')).toHaveText('平台上该账号名可以使用。')
  await expect(page.getByTestId('field-error-account.accountName')).toHaveCount(0)
  await page.getByTestId('field-account.accountName').fill('zhaolihua0')
  await expect(page.getByTestId('field-note-account.accountName'), 'typing again forgets the answer').toHaveCount(0)
  const asked = (await ipcCalls(page)).filter((c) => c.cmd === 'account_name_availability').map((c) => c.args.name)
  expect(asked).toEqual(['zhaolihua01', 'zhaolihua02'])
})

test('offline: no platform question about the name, nothing alarming', async ({ page }) => {
  await startTianjin(page, flowAnswers({ account_name_availability: 'unknown' }))
  await fill(page, 'account.accountName', 'zhaolihua01')
  await page.getByTestId('field-account.password').click()
  await expect(page.getByTestId('field-error-account.accountName')).toHaveCount(0)
  await expect(page.getByTestId('field-note-account.accountName')).toHaveCount(0)
  expect((await ipcCalls(page)).some((c) => c.cmd === 'account_name_availability')).toBe(false)
})

test('the password meter follows the typing with the platform policy from Rust', async ({ page }) => {
  await startTianjin(page, flowAnswers({ password_check: { sequence: [weak, weak, strong] } }))
  const meter = page.getByTestId('password-meter-account.password')
  await fill(page, 'account.password', 'abcdefgh')
  await expect(meter.getByTestId('password-level')).toContainText('弱')
  await expect(meter.getByTestId('password-rule-classes')).toHaveAttribute('data-met', 'false')
  await fill(page, 'account.password', 'Abcdefgh1!xyz')
  await expect(meter.getByTestId('password-level')).toContainText('强')
  await expect(meter.getByTestId('password-rule-classes')).toHaveAttribute('data-met', 'true')
  const last = (await ipcCalls(page)).filter((c) => c.cmd === 'password_check').pop()
  expect(last?.args).toMatchObject({ profile: 'tianjin', application: { account: { password: 'Abcdefgh1!xyz' } } })
})

test('online: "send code" goes through Rust with the application, then counts down', async ({ page }) => {
  await startTianjin(page, flowAnswers({ sync_status: online, sms_send: { maskedMobile: '138****5678', resendInS: 60, validForS: 300 } }))
  await page.getByTestId('sms-send-account.smsCode').click()
  await expect(page.getByTestId('sms-sent-account.smsCode')).toContainText('138****5678')
  await expect(page.getByTestId('sms-send-account.smsCode')).toBeDisabled()
  await expect(page.getByTestId('sms-send-account.smsCode')).toContainText(/\d+ 秒后可重新获取/)
  const call = (await ipcCalls(page)).find((c) => c.cmd === 'sms_send')
  expect(call?.args.kind).toBe('natural-person')
})

test('online but the platform does not answer: the visitor may verify the mobile later', async ({ page }) => {
  const offline: Problem = { code: 'SMS_OFFLINE', zh: '当前无法连接平台，发送不了短信验证码。', en: 'The platform cannot be reached.' }
  await startTianjin(page, flowAnswers({ sync_status: online, sms_send: { error: offline } }))
  await page.getByTestId('sms-send-account.smsCode').click()
  await expect(page.getByTestId('field-error-account.smsCode')).toContainText('无法连接平台')
  await expect(page.getByTestId('sms-later-account.smsCode')).toBeVisible()
})

test('offline: "verify later" puts the explicit flag in the application instead of a code', async ({ page }) => {
  await startTianjin(page, flowAnswers())
  await fillTianjinPerson(page, 'later')
  await expect(page.getByTestId('summary-account.smsCode')).toHaveText('稍后验证手机')
  await page.getByTestId('wizard-submit').click()
  const submitted = (await ipcCalls(page)).find((c) => c.cmd === 'submit_application')
  const account = (submitted?.args.application as { account: Record<string, unknown> }).account
  expect(account.smsDeferred).toBe(true)
  expect(account.smsCode, 'no code with the deferral').toBeUndefined()
})

test('counter mode lists saved drafts and reopens one filled from draft_load', async ({ page }) => {
  const draft = { ...items[0], id: draftId, kind: 'legal-entity', profile: 'tianjin', state: 'draft', summary: { unitName: '天津示例科技有限公司' } }
  await signIn(
    page,
    flowAnswers({
      queue_list: { byArgs: ['filter'], answers: { null: items, draft: [draft] } },
      draft_load: {
        id: draftId,
        profile: 'tianjin',
        kind: 'legal-entity',
        application: { profile: 'tianjin', kind: 'legal-entity', unit: { name: '天津示例科技有限公司', uscc: '91120116MA05JXXX1A' } },
      },
    }),
  )
  await page.getByTestId('tile-queue').click()
  await expect(page.getByTestId('saved-drafts')).toContainText('天津示例科技有限公司')
  await page.getByTestId(`draft-open-${draftId}`).click()
  await page.getByTestId('consent-agree').click()
  await expect(page.getByTestId('resumed-note')).toContainText(draftId)
  await expect(page.getByTestId('profile-tianjin')).toHaveClass(/is-checked/)
  await page.getByTestId('wizard-next').click()
  await expect(page.locator('[data-test="field-unit.name"]')).toHaveValue('天津示例科技有限公司')
  expect((await ipcCalls(page)).find((c) => c.cmd === 'draft_load')?.args).toEqual({ id: draftId })
})

test("the queue's start again opens the wizard on the item's platform, naming the old application", async ({ page }) => {
  const old = items[1]
  await signIn(page, flowAnswers())
  await page.getByTestId('tile-queue').click()
  await page.getByTestId(`queue-open-${old.id}`).click()
  await page.getByTestId('needs-action-restart').click()
  await page.getByTestId('consent-agree').click()
  await expect(page.getByTestId('replaces-note')).toContainText(old.id)
  await expect(page.getByTestId(`profile-${old.profile}`)).toHaveClass(/is-checked/)
  await expect(page.getByTestId('wizard-next')).toBeEnabled()
})
