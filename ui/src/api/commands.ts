// The only place the UI talks to Rust. Every function maps to one Tauri command in
// `src-tauri/src/commands/`; payload types are generated from Rust by ts-rs (`src/bindings/`).
import { invoke } from '@tauri-apps/api/core'
import type { ApplicationReport } from '../bindings/ApplicationReport'
import type { Division } from '../bindings/Division'
import type { DraftData } from '../bindings/DraftData'
import type { EthnicGroup } from '../bindings/EthnicGroup'
import type { FlowForm } from '../bindings/FlowForm'
import type { StatusLookup } from '../bindings/StatusLookup'
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

/** A PDF the docs commands wrote (docs helper's `WrittenDocument`; its binding lands with them). */
export interface WrittenDocument {
  path: string
  pages?: number
  bytes?: number
}

/** A print job (docs helper's `PrintJobInfo`). */
export interface PrintJob {
  printer: string
  jobId?: string | number
}

/** A capture in the tray (capture helper's `Captured`, see CONTRACTS.md). */
export interface Captured {
  id: string
  slot: string
  fileName: string
  mediaType: string
  sha256: string
  size: number
  width?: number
  height?: number
  thumbnail?: string
  warnings: Problem[]
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

  /** Checks and queues an application; Rust lists the attachments from the captures and keeps
   * the draft's id (printed on the risk letter) as the application number. */
  submitApplication: (
    profile: string,
    application: Record<string, unknown>,
    captureIds: string[] = [],
    draftId: string | null = null,
  ) => call<SubmitReceipt>('submit_application', { profile, application, captureIds, draftId }),
  /** Saves the wizard's content as a draft; returns its id (the future application number). */
  draftSave: (draft: DraftData) => call<string>('draft_save', { draft }),
  /** Loads a draft back into the wizard. */
  draftLoad: (id: string) => call<DraftData>('draft_load', { id }),
  /** A visitor's status lookup by application number and the last 4 characters of the ID. */
  statusLookup: (applicationId: string, idLast4: string) =>
    call<StatusLookup>('status_lookup', { applicationId, idLast4 }),
  /** The wizard of one flow on one platform (steps, fields, choices, checks, attachment slots). */
  flowForm: (profile: string, kind: string) => call<FlowForm>('flow_form', { profile, kind }),
  /** Ethnic groups for the ethnicity picker. */
  ethnicGroups: () => call<EthnicGroup[]>('ethnic_groups'),
  /** Whether the platform's online real-name verification works now (service hours). */
  onlineVerificationOpen: (profile: string) => call<boolean>('online_verification_open', { profile }),

  // Documents (docs helper's commands; see docs/CONTRACTS): the risk letter and the receipt.
  /** Writes the pre-filled risk commitment letter of a draft as a PDF. */
  riskLetterPdf: (draftId: string) => call<WrittenDocument>('risk_letter_pdf', { draftId }),
  /** Writes the receipt of a queued application as a PDF. */
  receiptPdf: (applicationId: string, paper: 'a4' | '80mm') =>
    call<WrittenDocument>('receipt_pdf', { applicationId, paper }),
  /** Prints a written document (the configured printer when `printer` is null). */
  printDocument: (path: string, printer: string | null = null) =>
    call<PrintJob>('print_document', { path, printer }),

  // Capture (capture helper's commands): the file-input fallback of the capture slot.
  /** Normalises an uploaded file into the capture tray; returns what was captured. */
  captureUpload: (slot: string, fileName: string, bytes: number[]) =>
    call<Captured>('capture_upload', { slot, fileName, bytes }),
  /** Drops captures from the tray. */
  captureDiscard: (ids: string[]) => call<null>('capture_discard', { ids }),

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
}
