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
import type { Problem } from '../../src/bindings/Problem'
import type { SubmitReceipt } from '../../src/bindings/SubmitReceipt'

/** Password of the seeded staff accounts `admin` (李主任), `lead` (周主管, supervisor) and
 * `clerk` (王工, operator). */
export const STAFF_PASSWORD = 'Bridge#2026pass'

export interface BridgeOptions {
  /** Start a real platformd and enrol the kiosk with it (an online hall). */
  platform?: boolean
  /** With `platform`: the kiosk is not enrolled yet (staff enrol it with `enrolmentCode()`). */
  noEnrol?: boolean
  /** The kiosk is a self-service kiosk. */
  selfService?: boolean
  /** The hall's platform (setting `defaultProfile`). */
  hallProfile?: string
  /** Platforms whose every application is held for a supervisor's review. */
  reviewAll?: string[]
  /** Wall-clock time for kiosk and platform, UTC, e.g. `2026-12-04 11:00:00` (19:00 in China). */
  at?: string
}

/** A decision of the platform's reviewer (`platform::status::ReviewAction`). */
export type ReviewAction =
  | { action: 'approve'; accountName?: string }
  | { action: 'reject'; zh: string; en?: string }
  | { action: 'request-evidence'; zh: string; en?: string }

/** What the platform holds of an application (`platform::submissions::SubmissionRecord`). */
export interface Submission {
  id: string
  receipt: string
  kind: string
  profile: string
  /** `accepted`, `needs-action`, `verified`, `rejected`. */
  state: string
  /** The application asked for manual review. */
  manualReview: boolean
  /** Its mobile still waits for verification. */
  mobileUnverified: boolean
  accountName: string | null
  attachments: { slot: string }[]
  /** The decrypted payload. */
  payload: Record<string, unknown>
}

export interface Bridge {
  url: string
  /** The last code the platform texted to `phone` (read from its outbox, as from the phone). */
  smsCode(phone: string): Promise<string>
  /** The kiosk's link to the platform drops (new and open connections are cut). */
  platformDown(): Promise<void>
  /** The link stays up but nothing answers: every check runs into its time limit. */
  platformSilent(): Promise<void>
  /** The link is back. */
  platformUp(): Promise<void>
  /** Lets `seconds` pass on the platform (codes expire; stay under 300: the request-signing
   * window of the platform is five minutes). */
  advancePlatform(seconds: number): Promise<void>
  /** One sync round; resolves to the report. */
  sync(): Promise<Record<string, unknown>>
  /** What the platform received (decrypted payloads). */
  submissions(): Promise<Submission[]>
  /** What the platform received for application `id` (fails the test when it has none). */
  submission(id: string): Promise<Submission>
  /** Hands in `tests/fixtures/applications/<name>.json` through kiosk-api, as clerk `clerk`. */
  submitFixture(name: string): Promise<SubmitReceipt>
  /** The platform's reviewer decides on application `id`. */
  platformReview(id: string, action: ReviewAction): Promise<string>
  /** A one-time enrolment code and the platform's address (`noEnrol`). */
  enrolmentCode(): Promise<{ code: string; platformUrl: string }>
  /** Calls a real command directly (setting things up the way the screen would). */
  invoke<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>
  stop(): void
}

const binary = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../target/debug/examples/ipc_bridge')

/** Debian's libfaketime (package faketime, installed by scripts/bootstrap). */
function libfaketime(): string {
  const found = ['x86_64-linux-gnu', 'aarch64-linux-gnu']
    .map((arch) => `/usr/lib/${arch}/faketime/libfaketime.so.1`)
    .find((path) => existsSync(path))
  if (!found) throw new Error('libfaketime missing: scripts/bootstrap installs the faketime package')
  return found
}

export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  if (!existsSync(binary)) throw new Error(`build the bridge first: cargo build --example ipc_bridge (${binary})`)
  const args: string[] = []
  if (options.platform) args.push('--platform')
  if (options.noEnrol) args.push('--no-enrol')
  if (options.selfService) args.push('--self-service')
  if (options.hallProfile) args.push('--hall-profile', options.hallProfile)
  for (const profile of options.reviewAll ?? []) args.push('--review-all', profile)
  // The kiosk's clock at `at` (UTC): libfaketime preloaded, as the real-app tests do (the
  // `faketime` wrapper's semaphore clashes when two bridges start at once).
  const clock = options.at ? { LD_PRELOAD: libfaketime(), FAKETIME: `@${options.at}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' } : {}
  const child: ChildProcessWithoutNullStreams = spawn(binary, args, {
    env: { ...process.env, ...clock, RUST_LOG: 'warn' },
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
  const call = async (path: string, method = 'GET', body?: unknown) =>
    (await fetch(`${url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json()
  /** `{ ok }` answers resolve to `ok`; `{ err }` fails with the problem. */
  const ok = async <T>(answer: Promise<unknown>, what: string): Promise<T> => {
    const { ok, err } = (await answer) as { ok?: T; err?: Problem }
    if (err !== undefined) throw new Error(`${what}: [${err.code}] ${err.en}`)
    return ok as T
  }
  const bridge: Bridge = {
    url,
    smsCode: async (phone) => {
      // The message may still be on its way (the screen's "send" has not returned yet).
      const code = async () => ((await call(`/control/sms?phone=${encodeURIComponent(phone)}`)) as { code: string | null }).code
      await expect.poll(code, { message: `the platform texted ${phone}`, timeout: 10_000 }).toMatch(/^\d{6}$/)
      return (await code()) as string
    },
    platformDown: async () => void (await call('/control/platform-down', 'POST')),
    platformSilent: async () => void (await call('/control/platform-silent', 'POST')),
    platformUp: async () => void (await call('/control/platform-up', 'POST')),
    advancePlatform: async (seconds: number) => void (await call(`/control/platform-advance?seconds=${seconds}`, 'POST')),
    sync: async () => ok(call('/control/sync', 'POST'), 'sync'),
    submissions: async () => ok(call('/control/submissions'), 'submissions'),
    submission: async (id) => {
      const found = (await bridge.submissions()).find((s) => s.id === id)
      expect(found, `the platform holds application ${id}`).toBeDefined()
      return found as Submission
    },
    submitFixture: async (name) => ok(call(`/control/submit?fixture=${encodeURIComponent(name)}`, 'POST'), `fixture ${name}`),
    platformReview: async (id, action) =>
      ok(call(`/control/platform-review?id=${encodeURIComponent(id)}`, 'POST', action), `platform review of ${id}`),
    enrolmentCode: async () => ok(call('/control/enrolment-code'), 'enrolment code'),
    invoke: async (cmd, args = {}) => ok(call('/invoke', 'POST', { cmd, args }), cmd),
    stop: () => {
      child.stdin.end()
      child.kill()
    },
  }
  return bridge
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
