// 长辈版 (elderly mode): on while the visitor switched it on in self-service mode. The switch is
// the visitor's (the visitor store, wiped with the session); the sizes are CSS variables on the
// root class `elderly` (styles.css), the timings Rust's (`mode_rules`).
import { computed, watchEffect } from 'vue'
import { useI18n } from 'vue-i18n'
import { useVisitorStore } from '../stores/visitor'
import { useKioskMode } from './kioskMode'

/** Whether 长辈版 is on now (only a self-service kiosk offers it). */
export function useElderly() {
  const visitor = useVisitorStore()
  const mode = useKioskMode()
  return computed(() => mode.value === 'self-service' && visitor.elderly)
}

/** Puts the class `elderly` on <html> while 长辈版 is on, so the variables reach what Element
 * Plus teleports to <body> (select lists, date pickers) and the on-screen keyboard. */
export function useElderlyRootClass() {
  const on = useElderly()
  watchEffect(() => document.documentElement.classList.toggle('elderly', on.value))
  return on
}

/** The plain wording of `key` in 长辈版 (`plain.<key with _>` in the i18n files), else its
 * usual text. */
export function usePlainWords() {
  const { t, te } = useI18n()
  const on = useElderly()
  return (key: string, values?: Record<string, unknown>) => {
    const plain = `plain.${key.replace('.', '_')}`
    if (on.value && te(plain)) return values ? t(plain, values) : t(plain)
    return values ? t(key, values) : t(key)
  }
}
