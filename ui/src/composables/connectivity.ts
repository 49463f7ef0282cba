import { computed, type ComputedRef } from 'vue'
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type { SyncStatus } from '../bindings/SyncStatus'
import { SYNC_PROGRESS_EVENT, useSyncStore, type Connectivity } from '../stores/sync'

export type { Connectivity }

/** The platform connection for the badge and the offline banner, from the sync worker. */
export function useConnectivity(): ComputedRef<Connectivity> {
  const sync = useSyncStore()
  return computed(() => sync.connectivity)
}

/** Follows the sync worker: reads `sync_status` once, then every `sync-progress` event.
 * Returns a function that stops listening. Without a Tauri event bus (tests, or a build
 * without the worker) it still reads the status once. */
export async function followSync(): Promise<UnlistenFn> {
  const sync = useSyncStore()
  await sync.refresh()
  try {
    return await listen<SyncStatus>(SYNC_PROGRESS_EVENT, (event) => sync.apply(event.payload))
  } catch {
    return () => {}
  }
}
