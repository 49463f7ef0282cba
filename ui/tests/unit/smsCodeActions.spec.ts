import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import SmsCodeActions from '../../src/views/flows/SmsCodeActions.vue'
import { createKioskI18n } from '../../src/i18n'
import { useSyncStore } from '../../src/stores/sync'
import { useVisitorStore } from '../../src/stores/visitor'
import type { SyncStatus } from '../../src/bindings/SyncStatus'

const status = (online: boolean): SyncStatus => ({
  enrolled: true,
  platformUrl: 'http://127.0.0.1:1',
  kioskId: 'kiosk-1',
  waiting: 0,
  dueNow: 0,
  delivered: 0,
  sealedLocally: 0,
  statusCursor: 0,
  online,
  inFlight: 0,
  bytesSent: 0,
  lastSuccessAt: null,
  lastError: null,
})

function mountActions(online: boolean) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSyncStore().apply(status(online))
  const visitor = useVisitorStore()
  visitor.chooseProfile('tianjin')
  visitor.values['person.mobile'] = '13812345678'
  const wrapper = mount(SmsCodeActions, {
    props: { path: 'account.smsCode', kind: 'natural-person' },
    global: { plugins: [pinia, createKioskI18n(), ElementPlus] },
  })
  return { wrapper, visitor }
}

describe('SMS code actions', () => {
  let sent: unknown[]

  beforeEach(() => {
    clearMocks()
    sent = []
    mockIPC((cmd, args) => {
      if (cmd === 'sms_send') {
        sent.push(args)
        return { maskedMobile: '138****5678', resendInS: 3, validForS: 300 }
      }
      if (cmd === 'capture_clear') return null
      throw new Error(`unexpected command ${cmd}`)
    })
  })
  afterEach(() => vi.useRealTimers())

  it('online: sends through Rust with the flow and the application, then counts down to resend', async () => {
    vi.useFakeTimers()
    const { wrapper } = mountActions(true)
    const button = () => wrapper.get('[data-test="sms-send-account.smsCode"]')
    await button().trigger('click')
    await flushPromises()
    expect(sent).toEqual([{ kind: 'natural-person', application: { person: { mobile: '13812345678' } } }])
    expect(wrapper.get('[data-test="sms-sent-account.smsCode"]').text()).toContain('138****5678')
    expect(button().attributes('disabled'), 'no second code during the countdown').toBeDefined()
    expect(button().text()).toContain('3 秒后可重新获取')
    await vi.advanceTimersByTimeAsync(3000)
    expect(button().attributes('disabled')).toBeUndefined()
    expect(button().text()).toBe('重新获取验证码')
  })

  it('offline: "verify later" sets the explicit flag and clears the code', async () => {
    const { wrapper, visitor } = mountActions(false)
    visitor.values['account.smsCode'] = '12'
    expect(wrapper.find('[data-test="sms-send-account.smsCode"]').exists(), 'no send button offline').toBe(false)
    await wrapper.get('[data-test="sms-later-account.smsCode"] input').setValue(true)
    expect(visitor.values['account.smsDeferred']).toBe(true)
    expect(visitor.values['account.smsCode']).toBe('')
  })
})
