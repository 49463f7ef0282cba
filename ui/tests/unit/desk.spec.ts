import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import { useSettingsStore } from '../../src/stores/settings'
import { deliveredPercent, formatBytes, useSyncStore } from '../../src/stores/sync'
import { canRetry, useQueueStore } from '../../src/stores/queue'
import SyncBar from '../../src/components/SyncBar.vue'
import { createKioskI18n } from '../../src/i18n'
import type { KioskSettings } from '../../src/bindings/KioskSettings'
import type { SyncStatus } from '../../src/bindings/SyncStatus'
import type { QueueItem } from '../../src/bindings/QueueItem'

const settings: KioskSettings = {
  kioskName: '自助 3 号',
  hallName: '',
  hallPhone: '',
  mode: 'self-service',
  idleTimeoutS: 60,
  defaultProfile: null,
  language: 'en',
  printer: null,
  scanner: null,
  exportDir: null,
  limits: { maxDaysWithoutSync: 7, maxUnsent: 500, maxDaysWithoutUpdateCheck: 30, minFreeDiskMb: 1024, syncHealthMinutes: 60 },
  reviewPolicies: [{ profile: 'tianjin', policy: { mode: 'off' } }],
}

const status: SyncStatus = {
  enrolled: true,
  platformUrl: 'https://p.example',
  kioskId: 'k1',
  waiting: 1,
  dueNow: 1,
  delivered: 3,
  sealedLocally: 0,
  statusCursor: 0,
  online: true,
  inFlight: 0,
  bytesSent: 2048,
  lastSuccessAt: null,
  lastError: null,
}

describe('settings store', () => {
  beforeEach(() => {
    clearMocks()
    setActivePinia(createPinia())
  })

  it('saves through Rust, keeps what Rust stored and asks for the mode rules again', async () => {
    const calls: string[] = []
    mockIPC((cmd, args) => {
      calls.push(cmd)
      if (cmd === 'settings_set') return { ...(args as { settings: KioskSettings }).settings, kioskName: 'trimmed' }
      if (cmd === 'mode_rules') return { effective: 'self-service', idleTimeoutS: 60, countdownS: 20, wipeWhenIdle: true }
      throw new Error(cmd)
    })
    const store = useSettingsStore()
    expect(await store.save(settings)).toBe(true)
    expect(store.settings?.kioskName, 'the stored value wins').toBe('trimmed')
    expect(store.rules?.idleTimeoutS).toBe(60)
    expect(calls).toEqual(['settings_set', 'mode_rules'])
  })

  it('keeps the Rust problem with its field when a value is refused', async () => {
    mockIPC(() => {
      throw { code: 'SETTING_INVALID', zh: '无操作超时须在 30 到 1800 秒之间。', en: 'Between 30 and 1800 s.', field: 'idleTimeoutS' }
    })
    const store = useSettingsStore()
    expect(await store.save(settings)).toBe(false)
    expect(store.problem?.field).toBe('idleTimeoutS')
    expect(store.saving).toBe(false)
  })
})

describe('sync store', () => {
  beforeEach(() => {
    clearMocks()
    setActivePinia(createPinia())
  })

  it('is unknown until the worker reports, then follows online/offline', async () => {
    mockIPC(() => {
      throw { code: 'UNKNOWN_COMMAND', zh: '无', en: 'none' }
    })
    const sync = useSyncStore()
    await sync.refresh()
    expect(sync.connectivity, 'no worker: unknown, no error shown').toBe('unknown')
    expect(sync.problem).toBeNull()
    sync.apply({ ...status, online: false })
    expect(sync.connectivity).toBe('offline')
    sync.apply(status)
    expect(sync.connectivity).toBe('online')
  })

  it('computes the delivered share and human byte counts', () => {
    expect(deliveredPercent(null)).toBeNull()
    expect(deliveredPercent({ ...status, waiting: 0, delivered: 0 }), 'nothing queued: no bar').toBeNull()
    expect(deliveredPercent(status)).toBe(75)
    expect(formatBytes(12)).toBe('12 B')
    expect(formatBytes(2048)).toBe('2 KB')
    expect(formatBytes(1_250_000)).toBe('1.3 MB')
  })

  it('sync now keeps the Rust problem when the platform is unreachable', async () => {
    mockIPC((cmd) => {
      if (cmd === 'sync_now') throw { code: 'SYNC_OFFLINE', zh: '连不上平台。', en: 'Platform unreachable.' }
      return status
    })
    const sync = useSyncStore()
    expect(await sync.syncNow()).toBe(false)
    expect(sync.problem?.code).toBe('SYNC_OFFLINE')
    expect(sync.syncing).toBe(false)
  })
})

describe('queue retry', () => {
  beforeEach(() => {
    clearMocks()
    setActivePinia(createPinia())
  })

  const waiting = { id: 'a', state: 'submitted', nextAttemptAt: 5 } as QueueItem
  const delivered = { id: 'b', state: 'accepted' } as QueueItem

  it('offers retry only for lines Rust schedules for upload', () => {
    expect(canRetry(waiting)).toBe(true)
    expect(canRetry(delivered)).toBe(false)
  })

  it('calls queue_retry with the id and reloads the list', async () => {
    const calls: { cmd: string; args: unknown }[] = []
    mockIPC((cmd, args) => {
      calls.push({ cmd, args })
      if (cmd === 'queue_list') return [waiting]
      if (cmd === 'queue_stats') return { byState: {}, dueNow: 1, sealedLocally: 0 }
      return null
    })
    const queue = useQueueStore()
    expect(await queue.retry('a')).toBe(true)
    expect(calls[0]).toEqual({ cmd: 'queue_retry', args: { id: 'a' } })
    expect(calls.map((c) => c.cmd)).toContain('queue_list')
    expect(queue.retried).toEqual(['a'])
  })
})

describe('SyncBar', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows the badge, delivered items and bytes in the chosen language', async () => {
    const i18n = createKioskI18n('en')
    const wrapper = mount(SyncBar, { global: { plugins: [i18n, ElementPlus] } })
    useSyncStore().apply({ ...status, lastError: 'connection refused' })
    await flushPromises()
    expect(wrapper.get('[data-test="sync-badge"]').text()).toBe('Platform online')
    expect(wrapper.get('[data-test="sync-figures"]').text()).toContain('3 of 4 delivered')
    expect(wrapper.get('[data-test="sync-figures"]').text()).toContain('2 KB sent')
    expect(wrapper.get('[data-test="sync-last-error"]').text()).toBe('connection refused')
  })
})
