import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { commands, CommandError } from '../api/commands'
import type { Problem } from '../bindings/Problem'
import type { StaffSession } from '../bindings/StaffSession'

/** Turns anything thrown by a command into the Rust `Problem` to show. */
export function problemOf(error: unknown): Problem {
  if (error instanceof CommandError) return error.problem
  const text = String(error)
  return {
    code: 'UI_FAILED',
    zh: `界面出错：${text}。请返回首页重试；如仍失败请联系管理员。`,
    en: `The screen failed: ${text}. Go back to the home screen and retry; call an administrator if it persists.`,
  }
}

/** The staff member signed in at this kiosk; Rust holds the session, this mirrors it. */
export const useStaffStore = defineStore('staff', () => {
  const session = ref<StaffSession | null>(null)
  const problem = ref<Problem | null>(null)
  const busy = ref(false)
  const isAdmin = computed(() => session.value?.role === 'admin')

  async function login(username: string, password: string): Promise<boolean> {
    busy.value = true
    problem.value = null
    try {
      session.value = await commands.staffLogin(username, password)
      return true
    } catch (error) {
      problem.value = problemOf(error)
      return false
    } finally {
      busy.value = false
    }
  }

  async function logout() {
    try {
      await commands.staffLogout()
    } finally {
      session.value = null
    }
  }

  async function refresh() {
    try {
      session.value = await commands.staffCurrent()
    } catch {
      session.value = null
    }
  }

  return { session, problem, busy, isAdmin, login, logout, refresh }
})
