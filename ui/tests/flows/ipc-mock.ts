import type { Page } from '@playwright/test'

/** Answers for each command: a value, `{ error: Problem }` to make the command fail, or
 * `{ sequence: [...] }` to answer successive calls in turn (the last one repeats). */
export type IpcAnswers = Record<string, unknown>

/**
 * Installs a stand-in for the Tauri IPC in the page before any script runs. The UI calls
 * `invoke` from `@tauri-apps/api/core`, which goes through `window.__TAURI_INTERNALS__`.
 * Every call is recorded in `window.__IPC_CALLS__` so tests can assert what the UI asked Rust.
 */
export async function mockIpc(page: Page, answers: IpcAnswers): Promise<void> {
  await page.addInitScript((answers: IpcAnswers) => {
    const calls: { cmd: string; args: unknown; options?: unknown }[] = []
    Object.assign(window, {
      __IPC_CALLS__: calls,
      __TAURI_INTERNALS__: {
        metadata: { currentWindow: { label: 'main' }, currentWebview: { label: 'main' } },
        transformCallback: () => 0,
        invoke: async (cmd: string, args: unknown, options?: unknown) => {
          calls.push({ cmd, args, options })
          if (!(cmd in answers)) {
            throw { code: 'UNKNOWN_COMMAND', zh: `未知命令 ${cmd}`, en: `Unknown command ${cmd}` }
          }
          let answer = answers[cmd] as { error?: unknown; sequence?: unknown[] }
          if (answer && typeof answer === 'object' && Array.isArray(answer.sequence)) {
            const seen = calls.filter((c) => c.cmd === cmd).length - 1
            answer = answer.sequence[Math.min(seen, answer.sequence.length - 1)] as typeof answer
          }
          if (answer && typeof answer === 'object' && 'error' in answer) throw answer.error
          return answer
        },
      },
    })
  }, answers)
}
