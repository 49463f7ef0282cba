import type { Page } from '@playwright/test'

/** Answers for each command: a value, `{ error: Problem }` to make the command fail,
 * `{ sequence: [...] }` to answer successive calls in turn (the last one repeats), or
 * `{ byArgs: ['profile', 'kind'], answers: { 'tianjin/legal-entity': ... } }` to answer by the
 * call's arguments (joined with `/`; a missing key fails like an unknown command). */
export type IpcAnswers = Record<string, unknown>

/** Commands that carry a rule (a check, a state machine, a decision): never answered by a
 * test, always by the real Rust commands through the loopback bridge (tests/flows/bridge.ts).
 * A journey the rules refuse therefore fails here too. */
export const RULE_BEARING = [
  'list_profiles',
  'profile',
  'flow_form',
  'validate_value',
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
  'mode_rules',
  'settings_set',
]

/**
 * Installs a stand-in for the Tauri IPC in the page before any script runs. The UI calls
 * `invoke` from `@tauri-apps/api/core`, which goes through `window.__TAURI_INTERNALS__`.
 * Every call is recorded in `window.__IPC_CALLS__` so tests can assert what the UI asked Rust.
 */
export async function mockIpc(page: Page, answers: IpcAnswers, bridge?: string): Promise<void> {
  const canned = bridge ? Object.keys(answers).filter((cmd) => RULE_BEARING.includes(cmd)) : []
  if (canned.length) throw new Error(`rule-bearing commands must come from Rust, not the test: ${canned.join(', ')}`)
  await page.addInitScript(({ answers, bridge }: { answers: IpcAnswers; bridge?: string }) => {
    const calls: { cmd: string; args: unknown; options?: unknown }[] = []
    const callbacks: Record<number, (payload: unknown) => void> = {}
    const listeners: Record<string, number[]> = {}
    let signedIn = false
    let nextCallback = 1
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
          calls.push({ cmd, args, options })
          if (bridge && !(cmd in answers) && !cmd.startsWith('plugin:')) {
            // The real command, in Rust, over loopback (raw bodies as base64 with their headers).
            const raw = args instanceof Uint8Array ? btoa(String.fromCharCode(...args)) : undefined
            const headers = (options as { headers?: Record<string, string> } | undefined)?.headers
            const response = await fetch(`${bridge}/invoke`, {
              method: 'POST',
              headers: { 'content-type': 'text/plain' },
              body: JSON.stringify(raw === undefined ? { cmd, args: args ?? {} } : { cmd, raw, headers }),
            })
            const answer = (await response.json()) as { ok?: unknown; err?: unknown }
            if ('err' in answer) throw answer.err
            return answer.ok
          }
          if (!(cmd in answers) && cmd !== 'plugin:event|listen') {
            throw { code: 'UNKNOWN_COMMAND', zh: `未知命令 ${cmd}`, en: `Unknown command ${cmd}` }
          }
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
          // `{ signedIn, signedOut }`: Rust answers by who is signed in (e.g. `mode_rules`).
          const staffed = answer as { signedIn?: unknown; signedOut?: unknown }
          if (answer && typeof answer === 'object' && 'signedIn' in staffed && 'signedOut' in staffed) {
            answer = (signedIn ? staffed.signedIn : staffed.signedOut) as typeof answer
          }
          if (answer && typeof answer === 'object' && 'error' in answer) throw answer.error
          if (cmd === 'staff_login') signedIn = true
          if (cmd === 'staff_logout') signedIn = false
          if (cmd === 'plugin:event|listen') {
            const { event, handler } = args as { event: string; handler: number }
            ;(listeners[event] ??= []).push(handler)
            return handler
          }
          return answer
        },
      },
    })
  }, { answers, bridge })
}

/** Emits a Tauri event (e.g. `sync-progress`) to the page, as the Rust side would. */
export async function emitEvent(page: Page, event: string, payload: unknown): Promise<void> {
  await page.evaluate(
    ([event, payload]) => (window as unknown as { __EMIT__: (e: string, p: unknown) => void }).__EMIT__(event as string, payload),
    [event, payload] as const,
  )
}
