import { computed, type ComputedRef } from 'vue'

/** Whether the platform answers. */
export type Connectivity = 'online' | 'offline' | 'unknown'

/** The platform connection for the badge and the offline banner. No sync command exists yet
 * (kiosk-api `sync` has not landed), so it is `unknown`: the kiosk keeps every application
 * locally, which is what the banner tells visitors. */
export function useConnectivity(): ComputedRef<Connectivity> {
  return computed(() => 'unknown')
}
