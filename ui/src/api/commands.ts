// The only place the UI talks to Rust. Every function maps to one Tauri command in
// `src-tauri/src/commands/`; payload types are generated from Rust by ts-rs (`src/bindings/`).
import { invoke } from '@tauri-apps/api/core'
import type { ApplicationReport } from '../bindings/ApplicationReport'
import type { ExportReport } from '../bindings/ExportReport'
import type { LimitsReport } from '../bindings/LimitsReport'
import type { ReviewDetail } from '../bindings/ReviewDetail'
import type { ReviewItem } from '../bindings/ReviewItem'
import type { ReviewOutcome } from '../bindings/ReviewOutcome'
import type { ReviewStatus } from '../bindings/ReviewStatus'
import type { Division } from '../bindings/Division'
import type { FieldKind } from '../bindings/FieldKind'
import type { FieldReport } from '../bindings/FieldReport'
import type { HealthReport } from '../bindings/HealthReport'
import type { LifecycleState } from '../bindings/LifecycleState'
import type { Problem } from '../bindings/Problem'
import type { Profile } from '../bindings/Profile'
import type { ProfileSummary } from '../bindings/ProfileSummary'
import type { QueueCounts } from '../bindings/QueueCounts'
import type { QueueItem } from '../bindings/QueueItem'
import type { QueueItemDetail } from '../bindings/QueueItemDetail'
import type { StaffSession } from '../bindings/StaffSession'
import type { SubmitReceipt } from '../bindings/SubmitReceipt'
import type { SyncReport } from '../bindings/SyncReport'

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

/** Calls a command and turns every failure into a `CommandError`. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
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

export const commands = {
  /** Version, data directory, kiosk name and mode, database reachable. */
  health: () => call<HealthReport>('health'),

  /** Checks a staff login; Rust keeps the session (five failures lock the account). */
  staffLogin: (username: string, password: string) =>
    call<StaffSession>('staff_login', { username, password }),
  /** Signs the staff member out. */
  staffLogout: () => call<null>('staff_logout'),
  /** Who is signed in at this kiosk, if anyone. */
  staffCurrent: () => call<StaffSession | null>('staff_current'),

  /** Applications, newest first; only those in `filter` when given. */
  queueList: (filter: LifecycleState | null, limit: number) =>
    call<QueueItem[]>('queue_list', { filter, limit }),
  /** One application in detail (never its payload). */
  queueShow: (id: string) => call<QueueItemDetail>('queue_show', { id }),
  /** Counts per state. */
  queueStats: () => call<QueueCounts>('queue_stats'),

  /** Checks and queues an application for a platform profile. */
  submitApplication: (profile: string, application: Record<string, unknown>) =>
    call<SubmitReceipt>('submit_application', { profile, application }),

  /** The platforms the kiosk serves. */
  listProfiles: () => call<ProfileSummary[]>('list_profiles'),
  /** One platform's profile: flows, fields, document types, attachment slots. */
  profile: (id: string) => call<Profile>('profile', { id }),
  /** Checks one value of a kind on today's date (used when a field is left). */
  validateValue: (kind: FieldKind, input: string) => call<FieldReport>('validate_value', { kind, input }),
  /** Checks a whole application against its profile. */
  validateApplication: (profile: string, application: Record<string, unknown>) =>
    call<ApplicationReport>('validate_application', { profile, application }),
  /** Divisions below `parent` (`000000`: provinces). */
  divisions: (parent: string) => call<Division[]>('divisions', { parent }),

  /** Days applications are kept after the platform confirms them. */
  retentionDays: () => call<number>('retention_days'),
  /** Changes the retention period (administrators only). */
  setRetentionDays: (days: number) => call<null>('set_retention_days', { days }),

  /** Held applications (masked); only those with `status` when given. */
  reviewList: (status: ReviewStatus | null) => call<ReviewItem[]>('review_list', { status }),
  /** One held application in detail. */
  reviewShow: (id: string) => call<ReviewDetail>('review_show', { id }),
  /** Approves one or a batch as the signed-in supervisor; Rust re-checks the password. */
  reviewApprove: (ids: string[], remarks: string | null, password: string) =>
    call<ReviewOutcome>('review_approve', { ids, remarks, password }),
  /** Returns an application to the operator with a reason; Rust re-checks the password. */
  reviewReturn: (id: string, reason: string, password: string) =>
    call<ReviewOutcome>('review_return', { id, reason, password }),
  /** Writes approved, unsent applications to one signed bundle in `dir`. */
  exportBundle: (dir: string, again: boolean) => call<ExportReport>('export_bundle', { dir, again }),
  /** Operating limits and sync health for the home screen. */
  limitsStatus: () => call<LimitsReport>('limits_status'),
  /** Runs one sync round now (the sync helper's command). */
  syncNow: () => call<SyncReport>('sync_now'),
}
