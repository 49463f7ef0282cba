import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { commands, CommandError, setSessionHooks } from '../api/commands'
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

/** The staff member signed in at this kiosk; Rust holds the session (and ends it after its
 * idle and absolute limits), this mirrors it. */
export const useStaffStore = defineStore('staff', () => {
  const session = ref<StaffSession | null>(null)
  const problem = ref<Problem | null>(null)
  const busy = ref(false)
  /** The session ended by its time limits (the sign-in page says so). */
  const expired = ref(false)
  /** A sensitive action waits for the password (the re-authentication dialog is open). */
  const reauthPending = ref(false)
  const reauthProblem = ref<Problem | null>(null)
  let reauthAnswer: ((ok: boolean) => void) | null = null
  const isAdmin = computed(() => session.value?.role === 'admin')

  function markExpired() {
    if (session.value) expired.value = true
    session.value = null
  }

  /** Opens the re-authentication dialog; resolves when it is confirmed or cancelled. */
  function requestReauth(): Promise<boolean> {
    if (!session.value) return Promise.resolve(false)
    reauthAnswer?.(false)
    reauthProblem.value = null
    reauthPending.value = true
    return new Promise((resolve) => {
      reauthAnswer = resolve
    })
  }

  function finishReauth(ok: boolean) {
    reauthPending.value = false
    const answer = reauthAnswer
    reauthAnswer = null
    answer?.(ok)
  }

  /** Checks the password again; the waiting action then retries. */
  async function reauth(password: string): Promise<boolean> {
    busy.value = true
    reauthProblem.value = null
    try {
      session.value = await commands.staffReauth(password)
      finishReauth(true)
      return true
    } catch (error) {
      reauthProblem.value = problemOf(error)
      if (reauthProblem.value.code === 'SESSION_EXPIRED') finishReauth(false)
      return false
    } finally {
      busy.value = false
    }
  }

  function cancelReauth() {
    finishReauth(false)
  }

  setSessionHooks({ expired: markExpired, reauth: requestReauth })

  async function login(username: string, password: string): Promise<boolean> {
    busy.value = true
    problem.value = null
    try {
      session.value = await commands.staffLogin(username, password)
      expired.value = false
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

  /** Asks Rust who is signed in; a session that ended since is marked expired. */
  async function refresh() {
    try {
      const current = await commands.staffCurrent()
      if (!current && session.value) markExpired()
      else session.value = current
    } catch {
      session.value = null
    }
  }

  return {
    session,
    problem,
    busy,
    expired,
    reauthPending,
    reauthProblem,
    isAdmin,
    login,
    logout,
    refresh,
    markExpired,
    requestReauth,
    reauth,
    cancelReauth,
  }
})
