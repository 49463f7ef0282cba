import { defineStore } from 'pinia'
import { ref } from 'vue'
import { commands } from '../api/commands'
import { problemOf } from './staff'
import type { LifecycleState } from '../bindings/LifecycleState'
import type { Problem } from '../bindings/Problem'
import type { QueueCounts } from '../bindings/QueueCounts'
import type { QueueItem } from '../bindings/QueueItem'
import type { QueueItemDetail } from '../bindings/QueueItemDetail'

/** Every lifecycle state a staff member may filter on (drafts are not in the queue). */
export const QUEUE_FILTERS = [
  'submitted',
  'uploading',
  'accepted',
  'verified',
  'rejected',
  'needs-action',
  'purged',
] as const satisfies readonly LifecycleState[]

/** How many lines the queue screen loads. */
export const QUEUE_PAGE = 200

/** One line from an application's summary, which Rust builds already masked: its plain
 * fields as `key: value`, nested values left out. */
export function summaryText(summary: unknown): string {
  if (summary === null || typeof summary !== 'object') return ''
  return Object.entries(summary as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ')
}

/** Whether a line is still waiting for upload (Rust gives a next attempt time only then),
 * so "retry now" means something; Rust refuses it otherwise anyway. */
export function canRetry(item: QueueItem): boolean {
  return item.nextAttemptAt !== undefined && item.nextAttemptAt !== null
}

export const useQueueStore = defineStore('queue', () => {
  const items = ref<QueueItem[]>([])
  const counts = ref<QueueCounts | null>(null)
  const filter = ref<LifecycleState | null>(null)
  const detail = ref<QueueItemDetail | null>(null)
  const problem = ref<Problem | null>(null)
  const loading = ref(false)

  async function refresh() {
    loading.value = true
    problem.value = null
    try {
      const [list, stats] = await Promise.all([commands.queueList(filter.value, QUEUE_PAGE), commands.queueStats()])
      items.value = list
      counts.value = stats
    } catch (error) {
      problem.value = problemOf(error)
    } finally {
      loading.value = false
    }
  }

  async function open(id: string) {
    problem.value = null
    try {
      detail.value = await commands.queueShow(id)
    } catch (error) {
      problem.value = problemOf(error)
    }
  }

  /** Ids whose retry Rust accepted in this screen (the button then says so). */
  const retried = ref<string[]>([])

  /** "Retry now": makes the outbox entry due now, then reloads the list. */
  async function retry(id: string): Promise<boolean> {
    problem.value = null
    try {
      await commands.queueRetry(id)
      retried.value = [...retried.value, id]
      await refresh()
      return true
    } catch (error) {
      problem.value = problemOf(error)
      return false
    }
  }

  return { items, counts, filter, detail, problem, loading, retried, refresh, open, retry }
})
