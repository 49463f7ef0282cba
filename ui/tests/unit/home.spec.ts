import { describe, it, expect, vi, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import { createRouter, createMemoryHistory } from 'vue-router'
import App from '../../src/App.vue'
import { routes, installGuards } from '../../src/router'
import { createKioskI18n } from '../../src/i18n'
import type { HealthReport } from '../../src/bindings/HealthReport'
import type { SyncStatus } from '../../src/bindings/SyncStatus'

const healthy: HealthReport = {
  appVersion: '0.1.0',
  dataDir: '/tmp/kiosk',
  kioskName: '金水区政务服务大厅 1 号',
  mode: 'self-service',
  databaseReachable: true,
  needsFirstAdmin: false,
}

const syncStatus: SyncStatus = {
  enrolled: true,
  platformUrl: 'https://p.example',
  kioskId: 'k1',
  waiting: 0,
  dueNow: 0,
  delivered: 0,
  sealedLocally: 0,
  statusCursor: 0,
  online: true,
  inFlight: 0,
  bytesSent: 0,
  lastSuccessAt: null,
  lastError: null,
}

async function mountApp() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  installGuards(router, pinia)
  router.push('/')
  await router.isReady()
  return mount(App, { global: { plugins: [pinia, router, createKioskI18n(), ElementPlus] } })
}

describe('home screen', () => {
  beforeEach(() => clearMocks())

  it('shows the kiosk name, its mode and the health line from the health command', async () => {
    const calls = vi.fn()
    mockIPC((cmd) => {
      calls(cmd)
      if (cmd === 'health') return healthy
      if (cmd === 'staff_current') return null
      throw new Error(`unexpected command ${cmd}`)
    })
    const wrapper = await mountApp()
    await flushPromises()
    expect(calls).toHaveBeenCalledWith('health')
    expect(wrapper.get('[data-test=title]').text()).toBe('通办自助登记终端')
    expect(wrapper.get('[data-test=kiosk-name]').text()).toBe('金水区政务服务大厅 1 号')
    expect(wrapper.get('[data-test=mode]').text()).toBe('自助模式')
    const line = wrapper.get('[data-test=health-line]').text()
    expect(line).toContain('0.1.0')
    expect(line, 'no file paths on a visitor screen').not.toContain('/tmp/kiosk')
    expect(line).toContain('正常')
    expect(wrapper.find('[data-test=tile-natural-person]').exists(), 'self-service offers visitor flows').toBe(true)
    expect(wrapper.find('[data-test=tile-queue]').exists(), 'but not the queue').toBe(false)
  })

  it('appears whole: tiles and the connectivity banner wait for the slowest answer, so nothing moves under a finger', async () => {
    let answerSync: (online: boolean) => void = () => {}
    const syncAnswer = new Promise<boolean>((resolve) => (answerSync = resolve))
    mockIPC(async (cmd) => {
      if (cmd === 'health') return healthy
      if (cmd === 'staff_current') return null
      if (cmd === 'sync_status') return { ...syncStatus, online: await syncAnswer }
      throw new Error(`unexpected command ${cmd}`)
    })
    const wrapper = await mountApp()
    await flushPromises()
    expect(wrapper.find('[data-test=offline-banner]').exists(), 'no "not connected" before Rust said so').toBe(false)
    expect(wrapper.find('[data-test=tiles]').exists(), 'no tiles that a late banner would push down').toBe(false)
    answerSync(true)
    await flushPromises()
    expect(wrapper.find('[data-test=tiles]').exists()).toBe(true)
    expect(wrapper.find('[data-test=offline-banner]').exists(), 'online: no banner at all').toBe(false)
  })

  it('shows the Rust problem in the chosen language when the kiosk did not open', async () => {
    mockIPC(() => {
      throw { code: 'DATA_DIR_UNUSABLE', zh: '数据目录无法使用。', en: 'The data directory cannot be used.' }
    })
    const wrapper = await mountApp()
    await flushPromises()
    expect(wrapper.get('[data-test=problem]').text()).toContain('数据目录无法使用')
    await wrapper.get('[data-test=language]').trigger('click')
    expect(wrapper.get('[data-test=problem]').text()).toContain('The data directory cannot be used.')
  })
})
