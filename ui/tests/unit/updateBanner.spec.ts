import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import UpdateBanner from '../../src/components/UpdateBanner.vue'
import { useStaffStore } from '../../src/stores/staff'
import { createKioskI18n } from '../../src/i18n'
import type { UpdateStatus } from '../../src/bindings/UpdateStatus'

const downloading: UpdateStatus = {
  phase: 'downloading',
  currentVersion: '0.1.0',
  version: '0.2.0',
  notes: null,
  downloaded: 512,
  total: 2048,
  problem: null,
  checkedAtMs: 1763856000000,
}

async function mountAs(role: string | null, status: UpdateStatus) {
  const calls: string[] = []
  mockIPC((cmd) => {
    calls.push(cmd)
    if (cmd === 'update_status') return status
    if (cmd === 'update_install') return null
    if (cmd === 'plugin:event|listen') return 1
    if (cmd === 'plugin:event|unlisten') return null
    if (cmd === 'staff_current') return role ? { username: 'a', displayName: '管理员', role } : null
    throw new Error(`unexpected command ${cmd}`)
  })
  const pinia = createPinia()
  setActivePinia(pinia)
  await useStaffStore().refresh()
  const wrapper = mount(UpdateBanner, { global: { plugins: [pinia, createKioskI18n(), ElementPlus] } })
  await flushPromises()
  return { wrapper, calls }
}

describe('update banner', () => {
  beforeEach(() => clearMocks())

  it('shows an administrator the offered version with a progress bar', async () => {
    const { wrapper } = await mountAs('admin', downloading)
    expect(wrapper.get('[data-test=update-banner]').text()).toContain('0.2.0')
    expect(wrapper.get('[data-test=update-progress]').text()).toContain('25%')
  })

  it('is hidden from operators and visitors', async () => {
    expect((await mountAs('operator', downloading)).wrapper.find('[data-test=update-banner]').exists()).toBe(false)
    expect((await mountAs(null, downloading)).wrapper.find('[data-test=update-banner]').exists()).toBe(false)
  })

  it('installs a verified update on request', async () => {
    const { wrapper, calls } = await mountAs('admin', { ...downloading, phase: 'ready', downloaded: 2048 })
    await wrapper.get('[data-test=update-install]').trigger('click')
    await flushPromises()
    expect(calls).toContain('update_install')
  })
})
