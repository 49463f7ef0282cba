import { defineStore } from 'pinia'
import { ref } from 'vue'
import { commands, CommandError } from '../api/commands'
import type { HealthReport } from '../bindings/HealthReport'
import type { Problem } from '../bindings/Problem'

/** The kiosk's health as reported by Rust (`health` command). */
export const useHealthStore = defineStore('health', () => {
  const report = ref<HealthReport | null>(null)
  const problem = ref<Problem | null>(null)
  const loading = ref(false)

  async function refresh() {
    loading.value = true
    try {
      report.value = await commands.health()
      problem.value = report.value.databaseProblem ?? null
    } catch (error) {
      report.value = null
      problem.value = error instanceof CommandError ? error.problem : null
    } finally {
      loading.value = false
    }
  }

  return { report, problem, loading, refresh }
})
