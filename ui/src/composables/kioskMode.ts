import { computed } from 'vue'
import type { KioskMode } from '../bindings/KioskMode'
import { useHealthStore } from '../stores/health'
import { useSettingsStore } from '../stores/settings'
import { useStaffStore } from '../stores/staff'

/** The mode before Rust's `mode_rules` has answered (first paint, router guard): the same
 * rule Rust applies in `kiosk_api::settings::mode_rules` — self-service acts as a counter
 * while staff is signed in. Once the rules are loaded the screens follow them. */
export function effectiveMode(configured: KioskMode | undefined, staffSignedIn: boolean): KioskMode {
  if (configured === 'self-service' && !staffSignedIn) return 'self-service'
  return 'counter'
}

/** The mode the screens follow: Rust's effective mode, or the fallback above until it loads. */
export function useKioskMode() {
  const health = useHealthStore()
  const staff = useStaffStore()
  const settings = useSettingsStore()
  return computed(() => settings.rules?.effective ?? effectiveMode(health.report?.mode, staff.session !== null))
}
