import { defineStore } from 'pinia'
import { ref } from 'vue'
import { commands } from '../api/commands'
import { problemOf } from './staff'
import type { KioskSettings } from '../bindings/KioskSettings'
import type { ModeRules } from '../bindings/ModeRules'
import type { Problem } from '../bindings/Problem'

/** The kiosk's settings and the rules of its current mode, both from Rust. */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<KioskSettings | null>(null)
  const rules = ref<ModeRules | null>(null)
  const problem = ref<Problem | null>(null)
  const saving = ref(false)

  async function load() {
    problem.value = null
    try {
      settings.value = await commands.settingsGet()
    } catch (error) {
      problem.value = problemOf(error)
    }
  }

  /** Asks Rust which mode applies now (call after sign-in and sign-out). A failure keeps the
   * last rules: the screens then fall back to the configured mode from `health`. */
  async function refreshRules() {
    try {
      rules.value = await commands.modeRules()
    } catch {
      /* kept: see above */
    }
  }

  /** Stores `next` (Rust validates it); true when saved. */
  async function save(next: KioskSettings): Promise<boolean> {
    saving.value = true
    problem.value = null
    try {
      settings.value = await commands.settingsSet(next)
      await refreshRules()
      return true
    } catch (error) {
      problem.value = problemOf(error)
      return false
    } finally {
      saving.value = false
    }
  }

  return { settings, rules, problem, saving, load, refreshRules, save }
})
