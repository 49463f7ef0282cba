import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { defineComponent, h } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import SmsCodeActions from '../../src/views/flows/SmsCodeActions.vue'
import { createKioskI18n } from '../../src/i18n'
import { useVisitorStore } from '../../src/stores/visitor'
import { provideStepHold } from '../../src/composables/stepHold'
import type { SmsSpec } from '../../src/bindings/SmsSpec'

// The component's wiring only: what it sends to Rust and what it does with the answers. The
// rules (which mobile, whether the platform is reachable, whether a code is right) are Rust's
// and are tested there and through the loopback bridge in the flow tests.
const spec: SmsSpec = {
  codePath: 'account.smsCode',
  mobilePaths: ['person.mobile'],
  purpose: 'register',
  verificationPath: 'account.smsVerification',
  deferredPath: 'account.smsDeferred',
}

/** The actions inside a wizard step: `held()` is what holds the wizard's "next". */
function mountActions() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const visitor = useVisitorStore()
  visitor.chooseProfile('tianjin')
  visitor.values['person.mobile'] = '13812345678'
  let held = () => false
  const Step = defineComponent({
    setup() {
      const hold = provideStepHold()
      held = () => hold.value
      return () => h(SmsCodeActions, { spec, profile: 'tianjin', kind: 'natural-person' })
    },
  })
  const wrapper = mount(Step, { global: { plugins: [pinia, createKioskI18n(), ElementPlus] } })
  return { wrapper, visitor, held: () => held() }
}

describe('SMS code actions', () => {
  let calls: { cmd: string; args: unknown }[]
  let platformUp: boolean
  /** When set, Rust's answer to sms_defer waits for this promise. */
  let deferAnswered: Promise<void> | null

  beforeEach(() => {
    clearMocks()
    calls = []
    platformUp = true
    deferAnswered = null
    mockIPC(async (cmd, args) => {
      calls.push({ cmd, args })
      if (cmd === 'sms_send') {
        if (!platformUp) throw { code: 'SMS_OFFLINE', zh: '连不上平台', en: 'offline', field: 'account.smsCode' }
        return { maskedMobile: '138****5678', resendInS: 3, validForS: 300 }
      }
      if (cmd === 'sms_verify') return { maskedMobile: '138****5678', patch: { 'account.smsVerification': 'proof', 'account.smsDeferred': false } }
      if (cmd === 'sms_defer') await deferAnswered
      if (cmd === 'sms_defer') return { 'account.smsDeferred': true, 'account.smsCode': '', 'account.smsVerification': null }
      if (cmd === 'capture_clear') return null
      throw new Error(`unexpected command ${cmd}`)
    })
  })
  afterEach(() => vi.useRealTimers())

  it('sends through Rust with the platform, flow and application, then counts down to resend', async () => {
    vi.useFakeTimers()
    const { wrapper } = mountActions()
    const button = () => wrapper.get('[data-test="sms-send-account.smsCode"]')
    await button().trigger('click')
    await flushPromises()
    expect(calls[0]).toEqual({
      cmd: 'sms_send',
      args: { profile: 'tianjin', kind: 'natural-person', application: { person: { mobile: '13812345678' } } },
    })
    expect(wrapper.get('[data-test="sms-sent-account.smsCode"]').text()).toContain('138****5678')
    expect(button().attributes('disabled'), 'no second code during the countdown').toBeDefined()
    await vi.advanceTimersByTimeAsync(3000)
    expect(button().attributes('disabled')).toBeUndefined()
    expect(button().text()).toBe('重新获取验证码')
  })

  it('verifies the typed code with Rust and keeps the proof Rust returns', async () => {
    const { wrapper, visitor } = mountActions()
    const verify = () => wrapper.get('[data-test="sms-verify-account.smsCode"]')
    expect(verify().attributes('disabled'), 'nothing to verify yet').toBeDefined()
    visitor.values['account.smsCode'] = '482913'
    await flushPromises()
    await verify().trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.cmd === 'sms_verify')?.args).toMatchObject({ code: '482913' })
    expect(visitor.values['account.smsVerification']).toBe('proof')
    expect(wrapper.find('[data-test="sms-verified-account.smsCode"]').exists()).toBe(true)
  })

  it('"verify later" is offered only after Rust found the platform unreachable, and Rust sets the flag', async () => {
    platformUp = false
    const { wrapper, visitor } = mountActions()
    expect(wrapper.find('[data-test="sms-later-account.smsCode"]').exists(), 'not before asking').toBe(false)
    await wrapper.get('[data-test="sms-send-account.smsCode"]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-test="sms-later-account.smsCode"]').trigger('click')
    await flushPromises()
    expect(visitor.values['account.smsDeferred']).toBe(true)
    expect('account.smsVerification' in visitor.values).toBe(false)
    expect(wrapper.find('[data-test="sms-deferred-account.smsCode"]').exists()).toBe(true)
  })

  it("holds the wizard's step until Rust has answered: a quick tap on next would finish it without the deferral", async () => {
    platformUp = false
    let answer = () => {}
    deferAnswered = new Promise((done) => (answer = done))
    const { wrapper, visitor, held } = mountActions()
    await wrapper.get('[data-test="sms-send-account.smsCode"]').trigger('click')
    await flushPromises()
    expect(held(), 'not after the refused send').toBe(false)
    await wrapper.get('[data-test="sms-later-account.smsCode"]').trigger('click')
    await flushPromises()
    expect(held(), 'while Rust re-checks the link').toBe(true)
    expect(visitor.values['account.smsDeferred']).toBeUndefined()
    answer()
    await flushPromises()
    expect(visitor.values['account.smsDeferred']).toBe(true)
    expect(held(), 'once Rust answered').toBe(false)
  })
})
