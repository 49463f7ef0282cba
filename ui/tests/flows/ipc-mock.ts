import type { Page } from '@playwright/test'

/** What a test answers itself (devices, paper, update phases — never a rule): per command a
 * value, `{ error: Problem }` to make the command fail, `{ sequence: [...] }` to answer
 * successive calls in turn (the last one repeats), or `{ byArgs: ['name'], answers: { ... } }`
 * to answer by the call's arguments (joined with `/`). Everything else goes to Rust. */
export type IpcAnswers = Record<string, unknown>

/** Commands that carry a rule (a check, a state machine, a decision): never answered by a
 * test, always by the real Rust commands through the loopback bridge (tests/flows/bridge.ts).
 * A journey the rules refuse therefore fails here too. */
export const RULE_BEARING = [
  'list_profiles',
  'profile',
  'flow_form',
  'validate_value',
  'wizard_check_field',
  'validate_application',
  'finish_step',
  'wizard_summary',
  'master_list',
  'registered_check',
  'sms_send',
  'sms_verify',
  'sms_defer',
  'password_check',
  'divisions',
  'ethnic_groups',
  'draft_save',
  'draft_load',
  'submit_application',
  'status_lookup',
  'staff_login',
  'staff_logout',
  'staff_current',
  'staff_reauth',
  'staff_change_password',
  'staff_list',
  'staff_add',
  'staff_reset_password',
  'staff_set_disabled',
  'staff_unlock',
  'mode_rules',
  'settings_set',
  'set_retention_days',
  'status_verify_mobile',
  'status_resend_code',
  'review_list',
  'review_approve',
  'review_return',
  'queue_retry',
  'sync_enrol',
  'day_report',
  'export_bundle',
  'signed_letter_application',
]

/** One call the UI made, with what it got back: `result`, or the `error` (a Problem). */
export interface IpcCall {
  cmd: string
  args: Record<string, unknown>
  options?: { headers?: Record<string, string> }
  result?: unknown
  error?: { code: string; zh: string; en: string; field?: string }
}

/**
 * Installs the Tauri IPC in the page before any script runs. The UI calls `invoke` from
 * `@tauri-apps/api/core`, which goes through `window.__TAURI_INTERNALS__`: every command goes to
 * the real Rust commands through the loopback `bridge` (tests/flows/bridge.ts), except those in
 * `answers`, which a test may answer itself (devices, paper, update phases — never a rule-bearing
 * command, see RULE_BEARING). Every call is recorded with its answer in `window.__IPC_CALLS__`
 * so tests can assert what the UI asked Rust and what Rust said.
 */
export async function mockIpc(page: Page, answers: IpcAnswers, bridge: string): Promise<void> {
  const canned = Object.keys(answers).filter((cmd) => RULE_BEARING.includes(cmd))
  if (canned.length) throw new Error(`rule-bearing commands must come from Rust, not the test: ${canned.join(', ')}`)
  await page.addInitScript(({ answers, bridge }: { answers: IpcAnswers; bridge: string }) => {
    const calls: { cmd: string; args: unknown; options?: unknown; result?: unknown; error?: unknown }[] = []
    const callbacks: Record<number, (payload: unknown) => void> = {}
    const listeners: Record<string, number[]> = {}
    let nextCallback = 1
    /** The canned answer of a test for `cmd` (a value, an error, a sequence or by arguments). */
    const cannedAnswer = (cmd: string, args: unknown) => {
      let answer = answers[cmd] as {
        error?: unknown
        sequence?: unknown[]
        byArgs?: string[]
        answers?: Record<string, unknown>
      }
      if (answer && typeof answer === 'object' && Array.isArray(answer.byArgs) && answer.answers) {
        const byArgs = answer.byArgs
        const key = byArgs.map((name) => String((args as Record<string, unknown>)?.[name])).join('/')
        if (!(key in answer.answers)) {
          throw { code: 'NOT_FOUND', zh: `没有 ${cmd} ${key}`, en: `No ${cmd} answer for ${key}` }
        }
        answer = answer.answers[key] as typeof answer
        if (answer && typeof answer === 'object' && Array.isArray(answer.sequence)) {
          const same = calls.filter(
            (c) => c.cmd === cmd && byArgs.map((n) => String((c.args as Record<string, unknown>)?.[n])).join('/') === key,
          )
          answer = answer.sequence[Math.min(same.length - 1, answer.sequence.length - 1)] as typeof answer
        }
      } else if (answer && typeof answer === 'object' && Array.isArray(answer.sequence)) {
        const seen = calls.filter((c) => c.cmd === cmd).length - 1
        answer = answer.sequence[Math.min(seen, answer.sequence.length - 1)] as typeof answer
      }
      if (answer && typeof answer === 'object' && 'error' in answer) throw answer.error
      return answer
    }
    Object.assign(window, {
      __IPC_CALLS__: calls,
      // Delivers a Tauri event to the UI's `listen` handlers, as Rust's `emit` would.
      __EMIT__: (event: string, payload: unknown) =>
        (listeners[event] ?? []).forEach((id) => callbacks[id]?.({ event, id, payload })),
      __TAURI_EVENT_PLUGIN_INTERNALS__: { unregisterListener: () => {} },
      __TAURI_INTERNALS__: {
        metadata: { currentWindow: { label: 'main' }, currentWebview: { label: 'main' } },
        transformCallback: (callback: (payload: unknown) => void) => {
          const id = nextCallback++
          callbacks[id] = callback
          return id
        },
        invoke: async (cmd: string, args: unknown, options?: unknown) => {
          const call: (typeof calls)[number] = { cmd, args, options }
          calls.push(call)
          if (cmd === 'plugin:event|listen') {
            const { event, handler } = args as { event: string; handler: number }
            ;(listeners[event] ??= []).push(handler)
            return handler
          }
          if (cmd in answers) {
            try {
              call.result = cannedAnswer(cmd, args)
              return call.result
            } catch (error) {
              call.error = error
              throw error
            }
          }
          if (cmd.startsWith('plugin:')) return null
          // The real command, in Rust, over loopback (raw bodies as base64 with their headers).
          const raw = args instanceof Uint8Array ? btoa(Array.from(args, (b) => String.fromCharCode(b)).join('')) : undefined
          const headers = (options as { headers?: Record<string, string> } | undefined)?.headers
          const response = await fetch(`${bridge}/invoke`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain' },
            body: JSON.stringify(raw === undefined ? { cmd, args: args ?? {} } : { cmd, raw, headers }),
          })
          const answer = (await response.json()) as { ok?: unknown; err?: unknown }
          if ('err' in answer) {
            call.error = answer.err
            throw answer.err
          }
          call.result = answer.ok
          return answer.ok
        },
      },
    })
  }, { answers, bridge })
}

/** The calls the UI made to Rust, in order, with their answers. */
export async function ipcCalls(page: Page): Promise<IpcCall[]> {
  return page.evaluate(() =>
    (window as unknown as { __IPC_CALLS__: IpcCall[] }).__IPC_CALLS__.map((c) => ({
      ...c,
      // Raw bodies (uploads): only their length and first bytes cross back.
      args:
        c.args instanceof Uint8Array ? { length: c.args.length, head: Array.from(c.args.slice(0, 4)) } : (c.args as Record<string, unknown>),
    })),
  )
}

/** Emits a Tauri event (e.g. `sync-progress`) to the page, as the Rust side would. */
export async function emitEvent(page: Page, event: string, payload: unknown): Promise<void> {
  await page.evaluate(
    ([event, payload]) => (window as unknown as { __EMIT__: (e: string, p: unknown) => void }).__EMIT__(event as string, payload),
    [event, payload] as const,
  )
}
