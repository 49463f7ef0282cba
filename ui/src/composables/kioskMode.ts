import { computed } from 'vue'
import type { KioskMode } from '../bindings/KioskMode'
import { useHealthStore } from '../stores/health'
import { useStaffStore } from '../stores/staff'

/** The mode the screens follow: a self-service kiosk acts as a counter while staff is signed in. */
export function effectiveMode(configured: KioskMode | undefined, staffSignedIn: boolean): KioskMode {
  if (configured === 'self-service' && !staffSignedIn) return 'self-service'
  return 'counter'
}

export function useKioskMode() {
  const health = useHealthStore()
  const staff = useStaffStore()
  return computed(() => effectiveMode(health.report?.mode, staff.session !== null))
}
