// Generated from the command declarations in src-tauri/src/commands/ by
// `cargo test -p tongban --lib` (commands::contract). Do not edit: change the Rust
// command and run the tests again. Hand-written wrappers live in commands.ts.
import { call } from './ipc'
import type { ApplicationReport } from '../bindings/ApplicationReport'
import type { Captured } from '../bindings/Captured'
import type { Chosen } from '../bindings/Chosen'
import type { DayReport } from '../bindings/DayReport'
import type { Division } from '../bindings/Division'
import type { DraftData } from '../bindings/DraftData'
import type { Enrolment } from '../bindings/Enrolment'
import type { EthnicGroup } from '../bindings/EthnicGroup'
import type { ExportDestination } from '../bindings/ExportDestination'
import type { ExportReport } from '../bindings/ExportReport'
import type { FieldReport } from '../bindings/FieldReport'
import type { FlowForm } from '../bindings/FlowForm'
import type { HealthReport } from '../bindings/HealthReport'
import type { JsonValue } from '../bindings/serde_json/JsonValue'
import type { KioskSettings } from '../bindings/KioskSettings'
import type { LimitsReport } from '../bindings/LimitsReport'
import type { ListEntry } from '../bindings/ListEntry'
import type { LookupBy } from '../bindings/LookupBy'
import type { ModeRules } from '../bindings/ModeRules'
import type { NewStaffInput } from '../bindings/NewStaffInput'
import type { PasswordStrength } from '../bindings/PasswordStrength'
import type { PinyinCandidate } from '../bindings/PinyinCandidate'
import type { PinyinPage } from '../bindings/PinyinPage'
import type { PrintJobInfo } from '../bindings/PrintJobInfo'
import type { PrinterInfo } from '../bindings/PrinterInfo'
import type { Problem } from '../bindings/Problem'
import type { Profile } from '../bindings/Profile'
import type { ProfileSummary } from '../bindings/ProfileSummary'
import type { QueueCounts } from '../bindings/QueueCounts'
import type { QueueItem } from '../bindings/QueueItem'
import type { QueueItemDetail } from '../bindings/QueueItemDetail'
import type { ReaderList } from '../bindings/ReaderList'
import type { RegisteredAnswer } from '../bindings/RegisteredAnswer'
import type { RegisteredCheck } from '../bindings/RegisteredCheck'
import type { ReviewDetail } from '../bindings/ReviewDetail'
import type { ReviewItem } from '../bindings/ReviewItem'
import type { ReviewOutcome } from '../bindings/ReviewOutcome'
import type { SettingView } from '../bindings/SettingView'
import type { SmsSent } from '../bindings/SmsSent'
import type { SmsVerified } from '../bindings/SmsVerified'
import type { SourcesReport } from '../bindings/SourcesReport'
import type { SpeechRequest } from '../bindings/SpeechRequest'
import type { Spoken } from '../bindings/Spoken'
import type { StaffInfo } from '../bindings/StaffInfo'
import type { StaffSession } from '../bindings/StaffSession'
import type { StatusLookup } from '../bindings/StatusLookup'
import type { StepOutcome } from '../bindings/StepOutcome'
import type { SubmitReceipt } from '../bindings/SubmitReceipt'
import type { SummaryRow } from '../bindings/SummaryRow'
import type { SyncReport } from '../bindings/SyncReport'
import type { SyncStatus } from '../bindings/SyncStatus'
import type { UpdateStatus } from '../bindings/UpdateStatus'
import type { WrittenDocument } from '../bindings/WrittenDocument'

/** The commands whose wrapper `commands.ts` writes by hand (it must write them all). */
export type HandWrittenCommands = 'captureUpload' | 'idReaderRead' | 'imeHandwriting'

/** One typed wrapper per command, named as the command in camelCase. */
export const generatedCommands = {
  /** Cameras, scanners and the ID-card reader of this kiosk. */
  captureSources: () => call<SourcesReport>('capture_sources'),
  /** Scans a page (on `device`, the configured scanner, or the first found) into the tray. */
  captureScan: (slot: string, device?: string | null) => call<Captured>('capture_scan', { slot, device }),
  /** Removes images from the tray. */
  captureDiscard: (ids: Array<string>) => call<null>('capture_discard', { ids }),
  /** Empties the tray (the visitor's session was wiped). */
  captureClear: () => call<null>('capture_clear'),
  /** The application number on the QR code of a captured signed risk letter. */
  signedLetterApplication: (captureId: string) => call<string | null>('signed_letter_application', { captureId }),
  /**
   * The risk commitment letter of the legal-entity draft `draft_id` (its id is the number
   * printed as text and QR code).
   */
  riskLetterPdf: (draftId: string) => call<WrittenDocument>('risk_letter_pdf', { draftId }),
  /** The acceptance receipt of a submitted application on `a4` or `80mm` paper. */
  receiptPdf: (applicationId: string, paper: string) => call<WrittenDocument>('receipt_pdf', { applicationId, paper }),
  /** The CUPS printers, the default one marked. */
  listPrinters: () => call<Array<PrinterInfo>>('list_printers'),
  /**
   * Prints a document written by this app on `printer`, else the configured, else the
   * default printer; the file is deleted once CUPS has it.
   */
  printDocument: (path: string, printer?: string | null) => call<PrintJobInfo>('print_document', { path, printer }),
  /** The end-of-day report of `date` (`YYYY-MM-DD`, China time; today when null). */
  dayReport: (date?: string | null) => call<DayReport>('day_report', { date }),
  /** The end-of-day report of `date` as an A4 PDF, ready for `print_document`. */
  dayReportPdf: (date?: string | null) => call<WrittenDocument>('day_report_pdf', { date }),
  /**
   * The readers found; `offered` says whether to show the reader for `slot` (an identity
   * document slot with a working reader), or at all when no slot is named.
   */
  idReaderList: (slot?: string | null) => call<ReaderList>('id_reader_list', { slot }),
  /**
   * Starts polling the reader (every 300 ms) for a card; changes arrive as
   * [`CARD_PRESENT_EVENT`]. Call when a reading screen opens.
   */
  idReaderWatchStart: (device?: string | null) => call<null>('id_reader_watch_start', { device }),
  /** Stops the watcher and frees the reader's port. Call when the reading screen closes. */
  idReaderWatchStop: () => call<null>('id_reader_watch_stop'),
  /**
   * Page `page` (from 0) of the candidates for the typed pinyin `input` (`pageSize` a page,
   * default 8).
   */
  imePinyin: (input: string, page: number, pageSize?: number | null) => call<PinyinPage>('ime_pinyin', { input, page, pageSize }),
  /**
   * The visitor chose `candidate` for `input`: remembered until the session ends; returns the
   * characters to write and the letters left to convert.
   */
  imeChoose: (input: string, candidate: PinyinCandidate) => call<Chosen>('ime_choose', { input, candidate }),
  /** Forgets the session's choices (the visitor's session was wiped). */
  imeForget: () => call<null>('ime_forget'),
  /** Every operating limit (value, threshold, state) and the sync health. */
  limitsStatus: () => call<LimitsReport>('limits_status'),
  /**
   * Closes the kiosk app (administrators, with a fresh password). The answer arrives before
   * the window closes.
   */
  kioskExit: () => call<null>('kiosk_exit'),
  /**
   * Whether a value is still free on the platform (`unknown` when offline), with what the
   * visitor is told when it is taken.
   */
  registeredCheck: (check: RegisteredCheck, value: string) => call<RegisteredAnswer>('registered_check', { check, value }),
  /** Sends an SMS code to the mobile of the wizard's application (`SMS_OFFLINE` when offline). */
  smsSend: (profile: string, kind: string, application: Record<string, unknown>) => call<SmsSent>('sms_send', { profile, kind, application }),
  /**
   * Verifies the code the visitor typed with the platform; gives the proof the application
   * carries.
   */
  smsVerify: (profile: string, kind: string, application: Record<string, unknown>, code: string) => call<SmsVerified>('sms_verify', { profile, kind, application, code }),
  /** Offline only: the platform verifies the mobile later (`SMS_DEFER_ONLINE` when it answers). */
  smsDefer: (profile: string, kind: string, application: Record<string, unknown>) => call<{ [key in string]: JsonValue }>('sms_defer', { profile, kind, application }),
  /** Applications, newest first, optionally only those in `state` (e.g. `needs-action`). */
  queueList: (filter: string | null, limit: number) => call<Array<QueueItem>>('queue_list', { filter, limit }),
  /** One application in detail (never its payload). */
  queueShow: (id: string) => call<QueueItemDetail>('queue_show', { id }),
  /** Counts per state, due now, oldest waiting. */
  queueStats: () => call<QueueCounts>('queue_stats'),
  /** Makes an application's next upload attempt due now (staff; audited). */
  queueRetry: (id: string) => call<null>('queue_retry', { id }),
  /**
   * Held applications (masked), optionally of one status (`pending`, `approved`, `returned`).
   * Any signed-in staff member may list them: operators see the reasons of returned ones.
   */
  reviewList: (status?: string | null) => call<Array<ReviewItem>>('review_list', { status }),
  /** One held application in detail. */
  reviewShow: (id: string) => call<ReviewDetail>('review_show', { id }),
  /** Approves `ids` (one or a batch) as the signed-in supervisor, re-checking `password`. */
  reviewApprove: (ids: Array<string>, remarks: string | null, password: string) => call<ReviewOutcome>('review_approve', { ids, remarks, password }),
  /** Returns `id` to the operator with `reason`, re-checking the supervisor's `password`. */
  reviewReturn: (id: string, reason: string, password: string) => call<ReviewOutcome>('review_return', { id, reason, password }),
  /** Writes approved, unsent applications to one signed bundle in `dir` (removable media). */
  exportBundle: (dir: string, again?: boolean | null) => call<ExportReport>('export_bundle', { dir, again }),
  /**
   * Where an export can go: mounted removable media and the configured export folder, each
   * with whether it is writable and its free space.
   */
  exportDestinations: () => call<Array<ExportDestination>>('export_destinations'),
  /** The platforms the kiosk serves, for the picker. */
  listProfiles: () => call<Array<ProfileSummary>>('list_profiles'),
  /** One platform's full profile: flows, fields, document types, attachment slots. */
  profile: (id: string) => call<Profile>('profile', { id }),
  /**
   * Checks one value of a kind (`resident-id`, `uscc`, `mobile`, ...) on today's date in China,
   * under the chosen platform's rules when `profile` is given.
   */
  validateValue: (kind: string, input: string, profile?: string | null) => call<FieldReport>('validate_value', { kind, input, profile }),
  /**
   * Checks a whole (or partly filled) application against its profile; problems carry the
   * field path they point at, so the wizard can show them where a field was left.
   */
  validateApplication: (profile: string, application: Record<string, unknown>) => call<ApplicationReport>('validate_application', { profile, application }),
  /** Divisions directly below `parent` (`000000` for provinces), for the address picker. */
  divisions: (parent: string) => call<Array<Division>>('divisions', { parent }),
  /** The wizard of one flow on one platform: steps, fields, choices, checks, attachment slots. */
  flowForm: (profile: string, kind: string) => call<FlowForm>('flow_form', { profile, kind }),
  /** The ethnic groups (GB/T 3304) for the ethnicity picker. */
  ethnicGroups: () => call<Array<EthnicGroup>>('ethnic_groups'),
  /**
   * The live password meter under the chosen platform's policy (items met, strength level),
   * for the password, account name and ID number in the wizard's application so far.
   */
  passwordCheck: (profile: string, application: Record<string, unknown>) => call<PasswordStrength>('password_check', { profile, application }),
  /** How many days applications are kept after their purpose is met. */
  retentionDays: () => call<number>('retention_days'),
  /** Changes the retention period (administrators, with a fresh password). */
  setRetentionDays: (days: number) => call<null>('set_retention_days', { days }),
  /** The kiosk's settings (nothing personal or secret: every screen may read them). */
  settingsGet: () => call<KioskSettings>('settings_get'),
  /**
   * The settings an administrator may change, each with its value in force, its default and
   * the range or names it accepts (`kiosk_core::settings`, the one registry).
   */
  settingsList: () => call<Array<SettingView>>('settings_list'),
  /** Validates and stores the settings (administrators, with a fresh password; audited). */
  settingsSet: (settings: KioskSettings) => call<KioskSettings>('settings_set', { settings }),
  /**
   * What the screens must do now: the configured mode, the effective one (staff signed in
   * turns self-service into counter), idle timeout and countdown.
   */
  modeRules: () => call<ModeRules>('mode_rules'),
  /**
   * Checks a staff login and keeps the session in Rust. Unknown names and wrong passwords get
   * the same answer; 5 failures pause the name for 1 minute, doubling up to 15.
   */
  staffLogin: (username: string, password: string) => call<StaffSession>('staff_login', { username, password }),
  /** Signs the staff member out. */
  staffLogout: () => call<null>('staff_logout'),
  /** Who is signed in, if anyone, with when the session ends (`null` once it has ended). */
  staffCurrent: () => call<StaffSession | null>('staff_current'),
  /**
   * Checks the signed-in staff member's password again; sensitive actions then run for a few
   * minutes. Answers the session with its new times.
   */
  staffReauth: (password: string) => call<StaffSession>('staff_reauth', { password }),
  /** Changes the signed-in staff member's own password. */
  staffChangePassword: (current: string, newPassword: string) => call<null>('staff_change_password', { current, newPassword }),
  /** All staff accounts (administrators). */
  staffList: () => call<Array<StaffInfo>>('staff_list'),
  /** Adds an account (administrators). */
  staffAdd: (input: NewStaffInput) => call<null>('staff_add', { input }),
  /** Sets a new password for `username` and ends its sign-in pause (administrators). */
  staffResetPassword: (username: string, newPassword: string) => call<null>('staff_reset_password', { username, newPassword }),
  /** Disables or enables `username` (administrators; never the last administrator). */
  staffSetDisabled: (username: string, disabled: boolean) => call<null>('staff_set_disabled', { username, disabled }),
  /** Ends the sign-in pause of `username` (administrators). */
  staffUnlock: (username: string) => call<null>('staff_unlock', { username }),
  /**
   * The visitor's applications, from the platform when it answers and this kiosk's queue
   * (throttled per kiosk: `STATUS_LOOKUP_THROTTLED` says when to retry).
   */
  statusLookup: (by: LookupBy) => call<Array<StatusLookup>>('status_lookup', { by }),
  /** Verifies the application's mobile with the code the platform texted to it. */
  statusVerifyMobile: (receipt: string, code: string) => call<null>('status_verify_mobile', { receipt, code }),
  /** Asks the platform to text the application's mobile a new code. */
  statusResendCode: (receipt: string) => call<null>('status_resend_code', { receipt }),
  /**
   * Checks and queues an application for `profile`; the actor is the signed-in staff member,
   * or `visitor` in self-service mode. Rust lists the attachments from the captures
   * `captureIds`, and keeps `draftId` (the number printed on the risk letter) as the
   * application number.
   */
  submitApplication: (profile: string, application: Record<string, unknown>, captureIds?: Array<string> | null, draftId?: string | null) => call<SubmitReceipt>('submit_application', { profile, application, captureIds, draftId }),
  /** Saves the wizard's content as a draft; returns its id (the future application number). */
  draftSave: (draft: DraftData) => call<string>('draft_save', { draft }),
  /** Loads a draft back into the wizard. */
  draftLoad: (id: string) => call<DraftData>('draft_load', { id }),
  /**
   * Enrols this kiosk with the platform using an administrator's one-time code; an enrolled
   * kiosk only with `re_enrol` (IPC `reEnrol: true`).
   */
  syncEnrol: (platformUrl: string, code: string, reEnrol?: boolean | null) => call<Enrolment>('sync_enrol', { platformUrl, code, reEnrol }),
  /** Runs a sync round now and reports what it did. */
  syncNow: () => call<SyncReport>('sync_now'),
  /** Online, queue and progress figures. */
  syncStatus: () => call<SyncStatus>('sync_status'),
  /** The home screen's health line: version, data directory, database reachable. */
  health: () => call<HealthReport>('health'),
  /** Where the updater stands (also pushed as the `update-progress` event). */
  updateStatus: () => call<UpdateStatus>('update_status'),
  /**
   * Checks the platform now and downloads a newer version (administrators, checked before
   * the command runs).
   */
  updateCheck: () => call<UpdateStatus>('update_check'),
  /** Installs the downloaded, verified update and restarts (administrators). */
  updateInstall: () => call<null>('update_install'),
  /** Reads `request` (a screen or step, never a visitor's values) aloud into a WAV. */
  voiceSpeak: (request: SpeechRequest) => call<Spoken>('voice_speak', { request }),
  /**
   * Finishes step `step` of the wizard: problems at their fields, or the values the application
   * takes on (e.g. the real-name record) and what the visitor is told.
   */
  finishStep: (profile: string, kind: string, step: string, application: Record<string, unknown>, confirmManual?: boolean | null) => call<StepOutcome>('finish_step', { profile, kind, step, application, confirmManual }),
  /**
   * The problems of the one field at `path` as the visitor leaves it (the check of the chosen
   * document for a document number); empty when it is fine.
   */
  wizardCheckField: (profile: string, kind: string, path: string, application: Record<string, unknown>) => call<Array<Problem>>('wizard_check_field', { profile, kind, path, application }),
  /** The summary the visitor checks before handing in, masked where sensitive. */
  wizardSummary: (profile: string, kind: string, application: Record<string, unknown>) => call<Array<SummaryRow>>('wizard_summary', { profile, kind, application }),
  /**
   * A master-data list for a picker (`legal-entity-natures`, `supervising-departments`, ...),
   * the platform's copy once synced, else the shipped one; for one platform when given.
   */
  masterList: (name: string, profile?: string | null) => call<Array<ListEntry>>('master_list', { name, profile }),
}
