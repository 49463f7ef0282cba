// The one door to Rust: `call` invokes a Tauri command and turns every failure into a
// `CommandError` carrying the Rust `Problem`. The typed wrappers are generated
// (`commands.gen.ts`); `commands.ts` adds the few written by hand.
import { invoke } from '@tauri-apps/api/core'
import type { Problem } from '../bindings/Problem'

/** A command failed: carries the Rust `Problem` (stable code, Chinese and English messages). */
export class CommandError extends Error {
  readonly problem: Problem

  constructor(problem: Problem) {
    super(`[${problem.code}] ${problem.en}`)
    this.problem = problem
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).code === 'string' &&
    typeof (value as Problem).zh === 'string' &&
    typeof (value as Problem).en === 'string'
  )
}

/** What the staff session does when Rust says it ended or wants the password again. */
export interface SessionHooks {
  /** The staff session ended (`SESSION_EXPIRED`): back to sign-in. */
  expired: () => void
  /** A sensitive action needs the password again (`REAUTH_REQUIRED`): resolves `true` once
   * it was entered, `false` when the staff member cancelled. */
  reauth: () => Promise<boolean>
}

let sessionHooks: SessionHooks | null = null

/** Installs the staff session's hooks (the staff store does, once). */
export function setSessionHooks(hooks: SessionHooks | null) {
  sessionHooks = hooks
}

/** Calls a command and turns every failure into a `CommandError`. A `REAUTH_REQUIRED`
 * refusal asks for the password (through the session hooks) and retries once. */
export async function call<T>(
  command: string,
  args?: Record<string, unknown> | Uint8Array,
  headers?: Record<string, string>,
): Promise<T> {
  try {
    return await invokeOnce<T>(command, args, headers)
  } catch (error) {
    if (!(error instanceof CommandError) || !sessionHooks) throw error
    if (error.problem.code === 'SESSION_EXPIRED') sessionHooks.expired()
    if (error.problem.code === 'REAUTH_REQUIRED' && command !== 'staff_reauth' && (await sessionHooks.reauth())) {
      return invokeOnce<T>(command, args, headers)
    }
    throw error
  }
}

async function invokeOnce<T>(
  command: string,
  args?: Record<string, unknown> | Uint8Array,
  headers?: Record<string, string>,
): Promise<T> {
  try {
    return await invoke<T>(command, args, headers ? { headers } : undefined)
  } catch (error) {
    if (isProblem(error)) throw new CommandError(error)
    const text = String(error)
    throw new CommandError({
      code: 'IPC_FAILED',
      zh: `终端内部通信失败：${text}。请重启终端；如仍失败请联系管理员。`,
      en: `Internal communication failed: ${text}. Restart the kiosk; call an administrator if it persists.`,
    })
  }
}
