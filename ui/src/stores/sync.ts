import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { commands } from '../api/commands'
import type { SyncStatus } from '../bindings/SyncStatus'
import { problemOf } from './staff'
import type { Problem } from '../bindings/Problem'
import type { SyncReport } from '../bindings/SyncReport'

/** Name of the event the background sync worker emits with a `SyncStatus` after each change. */
export const SYNC_PROGRESS_EVENT = 'sync-progress'

/** Whether the platform answers: `unknown` until the sync worker has said so. */
export type Connectivity = 'online' | 'offline' | 'unknown'

/** Share of the queue delivered, 0–100, for the progress bar; null when nothing was queued. */
export function deliveredPercent(status: SyncStatus | null): number | null {
  if (!status) return null
  const total = status.delivered + status.waiting
  if (total === 0) return null
  return Math.round((status.delivered / total) * 100)
}

/** Bytes for people: 1.2 MB, 830 KB, 12 B. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`
  return `${bytes} B`
}

/** The sync worker's state, fed by `sync-progress` events and `sync_status`. */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null)
  const lastRound = ref<SyncReport | null>(null)
  const problem = ref<Problem | null>(null)
  const syncing = ref(false)
  /** Rust has answered `sync_status` at least once (with a status or an error). */
  const answered = ref(false)

  const connectivity = computed<Connectivity>(() => {
    const online = status.value?.online
    if (online === true) return 'online'
    if (online === false) return 'offline'
    return 'unknown'
  })

  /** A status from the event or the command. */
  function apply(next: SyncStatus) {
    status.value = next
    answered.value = true
  }

  /** Asks Rust; a kiosk without the sync worker keeps `unknown` (no error on screen). */
  async function refresh() {
    try {
      apply(await commands.syncStatus())
    } catch {
      /* unknown stays unknown: the offline banner says what that means */
      answered.value = true
    }
  }

  /** One sync round now (the "sync now" button). */
  async function syncNow(): Promise<boolean> {
    syncing.value = true
    problem.value = null
    try {
      lastRound.value = await commands.syncNow()
      await refresh()
      return true
    } catch (error) {
      problem.value = problemOf(error)
      return false
    } finally {
      syncing.value = false
    }
  }

  return { status, lastRound, problem, syncing, answered, connectivity, apply, refresh, syncNow }
})
