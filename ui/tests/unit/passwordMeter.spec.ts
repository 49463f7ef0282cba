import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import PasswordMeter from '../../src/views/flows/PasswordMeter.vue'
import { createKioskI18n } from '../../src/i18n'
import { useVisitorStore } from '../../src/stores/visitor'
import type { PasswordStrength } from '../../src/bindings/PasswordStrength'

// What Rust answers for a password: the length item met once it has 8 characters.
function answer(password: string): PasswordStrength {
  const long = password.length >= 8
  return {
    items: [
      { rule: 'length', met: long, zh: '长度 8-20 位', en: '8-20 characters' },
      { rule: 'classes', met: /[A-Z]/.test(password), zh: '至少 3 种', en: 'at least 3 of' },
    ],
    level: password === '' ? 'empty' : long && /[A-Z]/.test(password) ? 'strong' : 'weak',
    acceptable: long && /[A-Z]/.test(password),
  }
}

describe('password meter', () => {
  let asked: Array<Record<string, unknown>>

  beforeEach(() => {
    clearMocks()
    asked = []
    mockIPC((cmd, args) => {
      if (cmd === 'password_check') {
        asked.push(args as Record<string, unknown>)
        const app = (args as { application: { account?: { password?: string } } }).application
        return answer(app.account?.password ?? '')
      }
      if (cmd === 'capture_clear') return null
      throw new Error(`unexpected command ${cmd}`)
    })
  })

  function mountMeter(locale: 'zh-CN' | 'en' = 'zh-CN') {
    const pinia = createPinia()
    setActivePinia(pinia)
    const visitor = useVisitorStore()
    visitor.chooseProfile('tianjin')
    const wrapper = mount(PasswordMeter, {
      props: { path: 'account.password' },
      global: { plugins: [pinia, createKioskI18n(locale), ElementPlus] },
    })
    return { wrapper, visitor }
  }

  it('asks Rust with the profile and the whole application, and updates as the visitor types', async () => {
    const { wrapper, visitor } = mountMeter()
    await flushPromises()
    expect(wrapper.get('[data-test=password-level]').text()).toContain('尚未输入')

    visitor.values['account.accountName'] = 'tj_user'
    visitor.values['account.password'] = 'abc'
    await flushPromises()
    const last = asked[asked.length - 1]
    expect(last.profile).toBe('tianjin')
    expect(last.application, 'nested, so Rust finds the account name beside the password').toEqual({
      account: { accountName: 'tj_user', password: 'abc' },
    })
    expect(wrapper.get('[data-test=password-level]').text()).toContain('弱')
    expect(wrapper.get('[data-test=password-rule-length]').attributes('data-met')).toBe('false')

    visitor.values['account.password'] = 'Abcdefgh1'
    await flushPromises()
    expect(wrapper.get('[data-test=password-level]').text()).toContain('强')
    expect(wrapper.get('[data-test=password-rule-length]').attributes('data-met')).toBe('true')
    expect(wrapper.get('[data-test=password-rule-classes]').text()).toContain('至少 3 种')
  })

  it('speaks English when the kiosk does', async () => {
    const { wrapper, visitor } = mountMeter('en')
    visitor.values['account.password'] = 'short'
    await flushPromises()
    expect(wrapper.get('[data-test=password-level]').text()).toBe('Password strength: Weak: the platform would refuse it')
    expect(wrapper.get('[data-test=password-rule-length]').text()).toContain('8-20 characters')
  })
})
