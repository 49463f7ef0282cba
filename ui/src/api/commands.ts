// The only place the UI talks to Rust. Every function maps to one Tauri command in
// `src-tauri/src/commands/`; payload types are generated from Rust by ts-rs (`src/bindings/`).
import { invoke } from '@tauri-apps/api/core'
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type { ApplicationReport } from '../bindings/ApplicationReport'
import type { DayReport } from '../bindings/DayReport'
import type { Captured } from '../bindings/Captured'
import type { ExportReport } from '../bindings/ExportReport'
import type { ExportDestination } from '../bindings/ExportDestination'
import type { LimitsReport } from '../bindings/LimitsReport'
import type { ReviewDetail } from '../bindings/ReviewDetail'
import type { ReviewItem } from '../bindings/ReviewItem'
import type { ReviewOutcome } from '../bindings/ReviewOutcome'
import type { ReviewStatus } from '../bindings/ReviewStatus'
import type { Division } from '../bindings/Division'
import type { DraftData } from '../bindings/DraftData'
import type { EthnicGroup } from '../bindings/EthnicGroup'
import type { FlowForm } from '../bindings/FlowForm'
import type { StatusLookup } from '../bindings/StatusLookup'
import type { LookupBy } from '../bindings/LookupBy'
import type { FieldKind } from '../bindings/FieldKind'
import type { FieldReport } from '../bindings/FieldReport'
import type { HealthReport } from '../bindings/HealthReport'
import type { ApplicationKind } from '../bindings/ApplicationKind'
import type { CardPresence } from '../bindings/CardPresence'
import type { IdCardForForm } from '../bindings/IdCardForForm'
import type { PersonRole } from '../bindings/PersonRole'
import type { ReaderList } from '../bindings/ReaderList'
import type { LifecycleState } from '../bindings/LifecycleState'
import type { PrintJobInfo } from '../bindings/PrintJobInfo'
import type { PrinterInfo } from '../bindings/PrinterInfo'
import type { Problem } from '../bindings/Problem'
import type { Profile } from '../bindings/Profile'
import type { ProfileSummary } from '../bindings/ProfileSummary'
import type { QueueCounts } from '../bindings/QueueCounts'
import type { QueueItem } from '../bindings/QueueItem'
import type { QueueItemDetail } from '../bindings/QueueItemDetail'
import type { SourcesReport } from '../bindings/SourcesReport'
import type { SpeechRequest } from '../bindings/SpeechRequest'
import type { Spoken } from '../bindings/Spoken'
import type { StaffSession } from '../bindings/StaffSession'
import type { StaffInfo } from '../bindings/StaffInfo'
import type { NewStaffInput } from '../bindings/NewStaffInput'
import type { SubmitReceipt } from '../bindings/SubmitReceipt'
import type { Enrolment } from '../bindings/Enrolment'
import type { KioskSettings } from '../bindings/KioskSettings'
import type { ModeRules } from '../bindings/ModeRules'
import type { SyncReport } from '../bindings/SyncReport'
import type { SyncStatus } from '../bindings/SyncStatus'
import type { PasswordStrength } from '../bindings/PasswordStrength'
import type { RegisteredAnswer } from '../bindings/RegisteredAnswer'
import type { SmsSent } from '../bindings/SmsSent'
import type { SmsVerified } from '../bindings/SmsVerified'
import type { StepOutcome } from '../bindings/StepOutcome'
import type { SummaryRow } from '../bindings/SummaryRow'
import type { ListEntry } from '../bindings/ListEntry'
import type { RegisteredCheck } from '../bindings/RegisteredCheck'
import type { WrittenDocument } from '../bindings/WrittenDocument'
import type { Chosen } from '../bindings/Chosen'
import type { Ink } from '../bindings/Ink'
import type { PinyinCandidate } from '../bindings/PinyinCandidate'
import type { PinyinPage } from '../bindings/PinyinPage'
import type { Recognised } from '../bindings/Recognised'
import type { UpdateStatus } from '../bindings/UpdateStatus'

/** The event the ID-card watcher emits when a card is placed or lifted, or the reader fails. */
export const ID_CARD_PRESENT_EVENT = 'id-card-present'

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
async function call<T>(
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

export const commands = {
  /** Version, data directory, kiosk name and mode, database reachable. */
  health: () => call<HealthReport>('health'),

  /** Checks a staff login; Rust keeps the session (five failures pause the name, doubling). */
  staffLogin: (username: string, password: string) =>
    call<StaffSession>('staff_login', { username, password }),
  /** Signs the staff member out. */
  staffLogout: () => call<null>('staff_logout'),
  /** Who is signed in at this kiosk, if anyone. */
  staffCurrent: () => call<StaffSession | null>('staff_current'),
  /** Enters the signed-in staff member's password again; sensitive actions then run for a few minutes. */
  staffReauth: (password: string) => call<StaffSession>('staff_reauth', { password }),
  /** Changes the signed-in staff member's own password (the current one is checked). */
  staffChangePassword: (current: string, newPassword: string) =>
    call<null>('staff_change_password', { current, newPassword }),
  /** All staff accounts (administrators). */
  staffList: () => call<StaffInfo[]>('staff_list'),
  /** Adds an account (administrators). */
  staffAdd: (input: NewStaffInput) => call<null>('staff_add', { input }),
  /** Sets a new password for an account and ends its sign-in pause (administrators). */
  staffResetPassword: (username: string, newPassword: string) =>
    call<null>('staff_reset_password', { username, newPassword }),
  /** Disables or enables an account (administrators; never the last administrator). */
  staffSetDisabled: (username: string, disabled: boolean) =>
    call<null>('staff_set_disabled', { username, disabled }),
  /** Ends an account's sign-in pause (administrators). */
  staffUnlock: (username: string) => call<null>('staff_unlock', { username }),

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
  /** A visitor's status lookup (receipt code or QR text with the ID's last 4 characters, or ID
   * number and mobile): the platform when it answers, and this kiosk's queue. */
  statusLookup: (by: LookupBy) => call<StatusLookup[]>('status_lookup', { by }),
  /** Verifies an application's mobile with the code the platform texted to it. */
  statusVerifyMobile: (receipt: string, code: string) => call<null>('status_verify_mobile', { receipt, code }),
  /** Asks the platform to text the application's mobile a new code. */
  statusResendCode: (receipt: string) => call<null>('status_resend_code', { receipt }),
  /** The wizard of one flow on one platform (steps, fields, choices, checks, attachment slots). */
  flowForm: (profile: string, kind: string) => call<FlowForm>('flow_form', { profile, kind }),
  /** Ethnic groups for the ethnicity picker. */
  ethnicGroups: () => call<EthnicGroup[]>('ethnic_groups'),
  /** Finishes a wizard step in Rust: the step's fields, a verified SMS code, values already
   * registered on the platform and the live real-name check. `confirmManual`: the visitor
   * confirmed details the platform did not match (manual review). */
  finishStep: (
    profile: string,
    kind: string,
    step: string,
    application: Record<string, unknown>,
    confirmManual = false,
  ) => call<StepOutcome>('finish_step', { profile, kind, step, application, confirmManual }),
  /** The summary the visitor checks before handing in, masked by Rust. */
  wizardSummary: (profile: string, kind: string, application: Record<string, unknown>) =>
    call<SummaryRow[]>('wizard_summary', { profile, kind, application }),
  /** The problems of one field as the visitor leaves it, by Rust's rules (empty: fine). */
  wizardCheckField: (profile: string, kind: string, path: string, application: Record<string, unknown>) =>
    call<Problem[]>('wizard_check_field', { profile, kind, path, application }),
  /** A master-data list for a picker, for one platform when given. */
  masterList: (name: string, profile: string | null) => call<ListEntry[]>('master_list', { name, profile }),

  /** The platforms the kiosk serves. */
  listProfiles: () => call<ProfileSummary[]>('list_profiles'),
  /** One platform's profile: flows, fields, document types, attachment slots. */
  profile: (id: string) => call<Profile>('profile', { id }),
  /** Checks one value of a kind on today's date (used when a field is left), under the chosen
   * platform's rules when `profile` is given. */
  validateValue: (kind: FieldKind, input: string, profile: string | null = null) =>
    call<FieldReport>('validate_value', { kind, input, profile }),
  /** Checks a whole application against its profile. */
  validateApplication: (profile: string, application: Record<string, unknown>) =>
    call<ApplicationReport>('validate_application', { profile, application }),
  /** Divisions below `parent` (`000000`: provinces). */
  divisions: (parent: string) => call<Division[]>('divisions', { parent }),

  /** Days applications are kept after the platform confirms them. */
  retentionDays: () => call<number>('retention_days'),
  /** Changes the retention period (administrators only). */
  setRetentionDays: (days: number) => call<null>('set_retention_days', { days }),

  /** The kiosk's settings (every screen may read them). */
  settingsGet: () => call<KioskSettings>('settings_get'),
  /** Validates and stores the settings (administrators only; audited). Returns what is stored. */
  settingsSet: (settings: KioskSettings) => call<KioskSettings>('settings_set', { settings }),
  /** The rules of the mode the kiosk is in now (effective mode, idle timeout, countdown). */
  modeRules: () => call<ModeRules>('mode_rules'),
  /** Makes an application's next upload attempt due now (staff; audited). */
  queueRetry: (id: string) => call<null>('queue_retry', { id }),

  /** Enrols this kiosk with the platform using an administrator's one-time code (with the platform key fingerprint); `reEnrol` replaces an existing enrolment. */
  syncEnrol: (platformUrl: string, code: string, reEnrol = false) =>
    call<Enrolment>(
      'sync_enrol',
      reEnrol ? { platformUrl, code, reEnrol } : { platformUrl, code },
    ),
  /** Runs a sync round now (through the background worker) and reports what it did. */
  syncNow: () => call<SyncReport>('sync_now'),
  /** Online, queue and progress figures of the sync. */
  syncStatus: () => call<SyncStatus>('sync_status'),
  /** The risk commitment letter of a saved legal-entity draft (its id is printed with a QR code). */
  riskLetterPdf: (draftId: string) => call<WrittenDocument>('risk_letter_pdf', { draftId }),
  /** The acceptance receipt of a submitted application, on A4 or 80 mm roll paper. */
  receiptPdf: (applicationId: string, paper: 'a4' | '80mm') =>
    call<WrittenDocument>('receipt_pdf', { applicationId, paper }),
  /** The CUPS printers, the default one marked. */
  listPrinters: () => call<PrinterInfo[]>('list_printers'),
  /** Prints a document written by the app (deleted once CUPS has it); null: configured/default printer. */
  printDocument: (path: string, printer: string | null) =>
    call<PrintJobInfo>('print_document', { path, printer }),
  /** The end-of-day report of a day (`YYYY-MM-DD`, null: today). */
  dayReport: (date: string | null) => call<DayReport>('day_report', { date }),
  /** The end-of-day report as an A4 PDF, ready for `printDocument`. */
  dayReportPdf: (date: string | null) => call<WrittenDocument>('day_report_pdf', { date }),
  /** Cameras, scanners and the ID-card reader Rust can see, with problems met while looking. */
  captureSources: () => call<SourcesReport>('capture_sources'),
  /** Puts a file or camera frame into the capture tray: Rust normalises images and checks PDF
   * and Word files (kept as they are) against what the slot takes. The bytes go as the raw
   * request body; slot and file name as headers (the name percent-encoded, headers are ASCII),
   * and with `flow` the profile and kind whose slot it is (then the profile's types apply). */
  captureUpload: (
    slot: string,
    fileName: string,
    bytes: Uint8Array,
    flow: { profile: string; kind: string } | null = null,
  ) =>
    call<Captured>('capture_upload', bytes, {
      slot,
      'file-name': encodeURIComponent(fileName),
      ...(flow ? { profile: flow.profile, kind: flow.kind } : {}),
    }),
  /** Scans a page into the tray (`device` null: the configured or first scanner). */
  captureScan: (slot: string, device: string | null) => call<Captured>('capture_scan', { slot, device }),
  /** The ID-card readers found; `offered`: a working reader, and (with `slot`) an identity
   * document slot, so the reader may be offered there. */
  idReaderList: (slot: string | null) => call<ReaderList>('id_reader_list', { slot }),
  /** Reads the card on the reader (`device` null: the one in use or the first found). With a
   * form (`profile`, `kind`, `role`) it also returns the values for that person's fields, the
   * read-only paths and what could not be filled; without, only the masked card. */
  idReaderRead: (
    form: { profile: string; kind: ApplicationKind; role: PersonRole } | null,
    device: string | null = null,
  ) => call<IdCardForForm>('id_reader_read', { device, ...(form ?? {}) }),
  /** Starts watching the reader for a card (changes arrive as `id-card-present`). */
  idReaderWatchStart: (device: string | null = null) => call<null>('id_reader_watch_start', { device }),
  /** Stops watching and frees the reader. */
  idReaderWatchStop: () => call<null>('id_reader_watch_stop'),
  /** Calls `handler` with each `id-card-present` event; resolves to a function that stops it. */
  onIdCardPresent: async (handler: (presence: CardPresence) => void): Promise<() => void> =>
    listen<CardPresence>(ID_CARD_PRESENT_EVENT, (event) => handler(event.payload)),
  /** Removes images from the tray. */
  captureDiscard: (ids: string[]) => call<null>('capture_discard', { ids }),
  /** Empties the tray (the visitor's session ended). */
  captureClear: () => call<null>('capture_clear'),
  /** The application number on the QR code of a captured signed risk letter. */
  signedLetterApplication: (captureId: string) =>
    call<string | null>('signed_letter_application', { captureId }),
  /** Where the updater stands: version offered, download progress, problem. */
  updateStatus: () => call<UpdateStatus>('update_status'),
  /** Asks the enrolled platform now and downloads a newer, signed version (administrators only). */
  updateCheck: () => call<UpdateStatus>('update_check'),
  /** Installs the downloaded, verified update and restarts the kiosk (administrators only). */
  updateInstall: () => call<null>('update_install'),
  /** Calls `handler` with each `update-progress` event; resolves to a function that stops it. */
  onUpdateProgress: async (handler: (status: UpdateStatus) => void): Promise<() => void> =>
    listen<UpdateStatus>('update-progress', (event) => handler(event.payload)),
  /** Closes the kiosk app: the staff exit (administrators only). */
  kioskExit: () => call<null>('kiosk_exit'),
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
  /** Where an export can go: mounted removable media and the configured export folder. */
  exportDestinations: () => call<ExportDestination[]>('export_destinations'),
  /** Operating limits and sync health for the home screen. */
  limitsStatus: () => call<LimitsReport>('limits_status'),
  /** The live password meter: the platform's policy items met by the wizard's password (Rust
   * reads the password, account name and holder's ID number from the application so far). */
  passwordCheck: (profile: string, application: Record<string, unknown>) =>
    call<PasswordStrength>('password_check', { profile, application }),
  /** Whether a value (account name, ID number, credit code, login mobile) is free on the
   * platform; `unknown` when offline or no answer in time. */
  registeredCheck: (check: RegisteredCheck, value: string) =>
    call<RegisteredAnswer>('registered_check', { check, value }),
  /** Sends an SMS code to the mobile of the wizard's application (Rust picks mobile and purpose);
   * fails with `SMS_OFFLINE` when the platform cannot be reached. */
  smsSend: (profile: string, kind: string, application: Record<string, unknown>) =>
    call<SmsSent>('sms_send', { profile, kind, application }),
  /** Verifies the typed code with the platform; the patch carries the platform's proof. */
  smsVerify: (profile: string, kind: string, application: Record<string, unknown>, code: string) =>
    call<SmsVerified>('sms_verify', { profile, kind, application, code }),
  /** Offline only (Rust checks): the platform verifies the mobile later; returns the patch. */
  smsDefer: (profile: string, kind: string, application: Record<string, unknown>) =>
    call<Record<string, unknown>>('sms_defer', { profile, kind, application }),
  /** On-screen keyboard: page `page` (from 0) of the candidates Rust ranks for typed pinyin. */
  imePinyin: (input: string, page: number, pageSize: number) =>
    call<PinyinPage>('ime_pinyin', { input, page, pageSize }),
  /** The visitor chose `candidate` (remembered until `imeForget`); returns the text and the
   * letters left to convert. */
  imeChoose: (input: string, candidate: PinyinCandidate) => call<Chosen>('ime_choose', { input, candidate }),
  /** The characters read in handwritten strokes, best first. */
  imeHandwriting: (ink: Ink) =>
    call<Recognised[]>('ime_handwriting', { strokes: ink.strokes, width: ink.width, height: ink.height }),
  /** Forgets the session's pinyin choices (the visitor's session was wiped). */
  imeForget: () => call<null>('ime_forget'),
  /** Voice guidance: Rust composes what a screen or step says (its prompts, never the visitor's
   * values) and speaks it offline; returns the words and a WAV to play. */
  voiceSpeak: (request: SpeechRequest) => call<Spoken>('voice_speak', { request }),
}

/** The event the background sync worker emits with a `SyncStatus` after every change. */
export const SYNC_PROGRESS_EVENT = 'sync-progress'

/** Calls `handler` with every `sync-progress` status; resolves to the function that stops listening. */
export function onSyncProgress(handler: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>(SYNC_PROGRESS_EVENT, (event) => handler(event.payload))
}
