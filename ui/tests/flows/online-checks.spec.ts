// The wizard's checks against the platform while the visitor is there (account name already
// registered, SMS codes), "verify the mobile later" offline, the live password meter, and
// reopening a saved draft — all on the real Rust rules and, online, a real platform.
import { expect, test } from './bridge'
import { ipcCalls } from './ipc-mock'
import { choose, fill, fillAndLeave, nextTo, signIn, startFlow, submit } from './flow-steps'
import { password, zhangSan } from './people'

test.describe('online', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin' } })

  test('the account name is checked on the platform: taken blocks, available is said', async ({ page, bridge }) => {
    // chen_jing90 registered at another counter (tests/fixtures/applications/tianjin-natural-person.json).
    const other = await bridge.submitFixture('tianjin-natural-person')
    await bridge.sync()
    expect((await bridge.submission(other.id)).state).toBe('accepted')
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await fillAndLeave(page, 'account.accountName', 'chen_jing90')
    await expect(page.getByTestId('field-error-account.accountName')).toHaveText('该账号名已被注册，请换一个账号名。')
    await expect(page.getByTestId('wizard-next')).toBeDisabled()
    await fillAndLeave(page, 'account.accountName', 'chen_jing91')
    await expect(page.getByTestId('field-note-account.accountName')).toContainText('可以使用')
    await expect(page.getByTestId('field-error-account.accountName')).toHaveCount(0)
    await page.getByTestId('field-account.accountName').fill('chen_jing9')
    await expect(page.getByTestId('field-note-account.accountName'), 'typing again forgets the answer').toHaveCount(0)
    const asked = (await ipcCalls(page)).filter((c) => c.cmd === 'registered_check')
    expect(asked.map((c) => [c.args.value, (c.result as { availability: string }).availability])).toEqual([
      ['chen_jing90', 'taken'],
      ['chen_jing91', 'available'],
    ])
  })

  test('"send code" goes through Rust with the application, then counts down', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await fill(page, 'account.accountName', 'zhangsan31')
    await fill(page, 'account.password', password)
    await fill(page, 'account.passwordConfirmation', password)
    await nextTo(page, 'person')
    await fill(page, 'person.mobile', zhangSan.mobile)
    await page.getByTestId('sms-send-account.smsCode').click()
    await expect(page.getByTestId('sms-sent-account.smsCode')).toContainText('138****5678')
    await expect(page.getByTestId('sms-send-account.smsCode')).toBeDisabled()
    await expect(page.getByTestId('sms-send-account.smsCode')).toContainText(/\d+ 秒后可重新获取/)
    const call = (await ipcCalls(page)).find((c) => c.cmd === 'sms_send')
    expect(call?.args).toMatchObject({ profile: 'tianjin', kind: 'natural-person', application: { person: { mobile: zhangSan.mobile } } })
    expect(call?.result).toMatchObject({ maskedMobile: '138****5678', validForS: expect.any(Number) })
    expect(await bridge.smsCode(zhangSan.mobile), 'the platform texted the mobile').toMatch(/^\d{6}$/)
  })
})

test.describe('offline', () => {
  test.use({ bridgeOptions: { hallProfile: 'zhengzhou' } })

  test('no platform: no answer about the name, nothing alarming', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    await fillAndLeave(page, 'account.accountName', 'zhaolihua01')
    // A call is noted when the UI makes it and its answer when Rust gives it (after the live
    // check's time limit here): wait for the answer, not only the call (under load, CI once
    // read the call before its answer).
    const asked = async () => (await ipcCalls(page)).filter((c) => c.cmd === 'registered_check')
    await expect.poll(async () => (await asked())[0]?.result).toMatchObject({ availability: 'unknown' })
    expect(await asked()).toHaveLength(1)
    await expect(page.getByTestId('field-error-account.accountName')).toHaveCount(0)
    await expect(page.getByTestId('field-note-account.accountName')).toHaveCount(0)
  })

  test('the password meter follows the typing with the platform policy from Rust', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'natural-person')
    const meter = page.getByTestId('password-meter-account.password')
    await fill(page, 'account.password', 'abcdefgh')
    await expect(meter.getByTestId('password-level')).toContainText('弱')
    await expect(meter.getByTestId('password-rule-classes')).toHaveAttribute('data-met', 'false')
    await fill(page, 'account.password', 'Abcdefgh1!xyz')
    await expect(meter.getByTestId('password-level')).toContainText('强')
    await expect(meter.getByTestId('password-rule-classes')).toHaveAttribute('data-met', 'true')
    const last = (await ipcCalls(page)).filter((c) => c.cmd === 'password_check').pop()
    expect(last?.args).toMatchObject({ profile: 'zhengzhou', application: { account: { password: 'Abcdefgh1!xyz' } } })
  })

  test('"verify later" appears once Rust found the platform unreachable, and the application says so instead of a code', async ({ page, bridge }) => {
    await signIn(page, bridge)
    await startFlow(page, 'legacy-binding')
    await choose(page, 'userType', '申报个人用户')
    await fill(page, 'mobile', zhangSan.mobile)
    await expect(page.getByTestId('sms-later-smsCode')).toHaveCount(0)
    await page.getByTestId('sms-send-smsCode').click()
    await expect(page.getByTestId('field-error-smsCode')).toContainText('连不上平台')
    await page.getByTestId('sms-later-smsCode').click()
    await expect(page.getByTestId('sms-deferred-smsCode')).toBeVisible()
    await nextTo(page, 'summary')
    await expect(page.getByTestId('summary-smsCode')).toHaveText('稍后由平台发送验证码验证')
    await submit(page)
    const submitted = (await ipcCalls(page)).find((c) => c.cmd === 'submit_application')
    const application = submitted?.args.application as Record<string, unknown>
    expect(application.smsDeferred).toBe(true)
    expect(application.smsCode, 'no code with the deferral').toBeUndefined()
  })
})

test.describe('a hall serving every platform', () => {
  test('counter mode lists saved drafts and reopens one filled from draft_load', async ({ page, bridge }) => {
    const draftId = await bridge.invoke<string>('draft_save', {
      draft: {
        profile: 'tianjin',
        kind: 'legal-entity',
        application: {
          profile: 'tianjin',
          kind: 'legal-entity',
          account: { accountName: 'tjexample', password, passwordConfirmation: password },
          unit: { name: '天津示例科技有限公司', uscc: '91120116MA07H9K32W' },
        },
      },
    })
    await signIn(page, bridge)
    await page.getByTestId('tile-queue').click()
    await expect(page.getByTestId('saved-drafts')).toContainText('法人')
    await page.getByTestId(`draft-open-${draftId}`).click()
    await page.getByTestId('consent-agree').click()
    await expect(page.getByTestId('resumed-note')).toContainText(draftId)
    await expect(page.getByTestId('profile-tianjin')).toHaveClass(/is-checked/)
    await nextTo(page, 'account')
    await expect(page.getByTestId('field-account.accountName')).toHaveValue('tjexample')
    // A draft keeps no password: the visitor types it again.
    await expect(page.getByTestId('field-account.password')).toHaveValue('')
    await page.getByTestId('field-account.password').fill(password)
    await page.getByTestId('field-account.passwordConfirmation').fill(password)
    await nextTo(page, 'unit')
    await expect(page.getByTestId('field-unit.name')).toHaveValue('天津示例科技有限公司')
    expect((await ipcCalls(page)).find((c) => c.cmd === 'draft_load')?.args).toEqual({ id: draftId })
  })
})
