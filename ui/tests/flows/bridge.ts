// The loopback bridge to the app's real Rust commands (examples/ipc_bridge.rs), one per test:
// a fresh kiosk data directory, the seeded staff accounts, and — when asked — a real platformd
// the kiosk is enrolled with. `at` runs it (kiosk and platform) at another time of day through
// libfaketime, so service hours are tested as they are, not by a flag.
import { test as base, expect, type Page } from '@playwright/test'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mockIpc, type IpcAnswers } from './ipc-mock'

/** Password of the seeded staff accounts `admin` (李主任) and `clerk` (王工). */
export const STAFF_PASSWORD = 'Bridge#2026pass'

export interface BridgeOptions {
  /** Start a real platformd and enrol the kiosk with it (an online hall). */
  platform?: boolean
  /** The kiosk is a self-service kiosk. */
  selfService?: boolean
  /** The hall's platform (setting `defaultProfile`). */
  hallProfile?: string
  /** Wall-clock time for kiosk and platform, UTC, e.g. `2026-12-04 11:00:00` (19:00 in China). */
  at?: string
}

export interface Bridge {
  url: string
  /** The last code the platform texted to `phone` (read from its outbox, as from the phone). */
  smsCode(phone: string): Promise<string>
  /** The link to the platform drops. */
  platformDown(): Promise<void>
  /** One sync round; resolves to the report. */
  sync(): Promise<Record<string, unknown>>
  /** What the platform received (decrypted payloads). */
  submissions(): Promise<{ id: string; state: string; payload: Record<string, unknown> }[]>
  stop(): void
}

const binary = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../target/debug/examples/ipc_bridge')

export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  if (!existsSync(binary)) throw new Error(`build the bridge first: cargo build --example ipc_bridge (${binary})`)
  const args: string[] = []
  if (options.platform) args.push('--platform')
  if (options.selfService) args.push('--self-service')
  if (options.hallProfile) args.push('--hall-profile', options.hallProfile)
  const command = options.at ? 'faketime' : binary
  const commandArgs = options.at ? ['-f', `@${options.at}`, binary, ...args] : args
  const child: ChildProcessWithoutNullStreams = spawn(command, commandArgs, {
    env: { ...process.env, FAKETIME_DONT_FAKE_MONOTONIC: '1', RUST_LOG: 'warn' },
  })
  const url = await new Promise<string>((done, fail) => {
    let seen = ''
    const timer = setTimeout(() => fail(new Error(`the bridge did not start: ${seen}`)), 30_000)
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const match = seen.match(/IPC_BRIDGE_URL=(\S+)/)
      if (match) {
        clearTimeout(timer)
        done(match[1])
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (seen += chunk.toString()))
    child.on('exit', (code) => fail(new Error(`the bridge exited (${code}): ${seen}`)))
  })
  const get = async (path: string, method = 'GET') => (await fetch(`${url}${path}`, { method })).json()
  return {
    url,
    smsCode: async (phone) => {
      const answer = (await get(`/control/sms?phone=${encodeURIComponent(phone)}`)) as { code: string | null }
      expect(answer.code, `the platform texted ${phone}`).toMatch(/^\d{6}$/)
      return answer.code as string
    },
    platformDown: async () => void (await get('/control/platform-down', 'POST')),
    sync: async () => ((await get('/control/sync', 'POST')) as { ok: Record<string, unknown> }).ok,
    submissions: async () => ((await get('/control/submissions')) as { ok: never[] }).ok,
    stop: () => {
      child.stdin.end()
      child.kill()
    },
  }
}

/** Installs the IPC in `page`: the real commands through `bridge`, plus `answers` for what a
 * test may set up itself (devices, printers, update status — never a rule). */
export async function useRealRust(page: Page, bridge: Bridge, answers: IpcAnswers = {}) {
  await mockIpc(page, answers, bridge.url)
}

/** A test with a `bridge` per test (options through `test.use({ bridgeOptions })`). */
export const test = base.extend<{ bridgeOptions: BridgeOptions; bridge: Bridge }>({
  bridgeOptions: [{}, { option: true }],
  bridge: async ({ bridgeOptions }, use) => {
    const bridge = await startBridge(bridgeOptions)
    await use(bridge)
    bridge.stop()
  },
})

export { expect }
