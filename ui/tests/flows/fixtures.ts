// Realistic answers of the Rust commands, typed with the ts-rs bindings so they cannot drift.
import type { Page } from '@playwright/test'
import type { FieldReport } from '../../src/bindings/FieldReport'
import type { HealthReport } from '../../src/bindings/HealthReport'
import type { LimitsReport } from '../../src/bindings/LimitsReport'
import type { ProfileSummary } from '../../src/bindings/ProfileSummary'
import type { Problem } from '../../src/bindings/Problem'
import type { QueueCounts } from '../../src/bindings/QueueCounts'
import type { QueueItem } from '../../src/bindings/QueueItem'
import type { QueueItemDetail } from '../../src/bindings/QueueItemDetail'
import type { StaffSession } from '../../src/bindings/StaffSession'
import type { SubmitReceipt } from '../../src/bindings/SubmitReceipt'
import type { KioskSettings } from '../../src/bindings/KioskSettings'
import type { ModeRules } from '../../src/bindings/ModeRules'
import type { SyncStatus } from '../../src/bindings/SyncStatus'
import { mockIpc, type IpcAnswers } from './ipc-mock'

export const counterKiosk: HealthReport = {
  appVersion: '0.1.0',
  dataDir: '/var/lib/tongban',
  kioskName: '金水区政务服务大厅 1 号',
  mode: 'counter',
  databaseReachable: true,
  needsFirstAdmin: false,
}

export const selfServiceKiosk: HealthReport = { ...counterKiosk, kioskName: '金水区政务服务大厅 自助 3 号', mode: 'self-service' }

export const operator: StaffSession = { username: 'clerk', displayName: '王工', role: 'operator' }
export const admin: StaffSession = { username: 'admin', displayName: '李主任', role: 'admin' }

export const wrongPassword: Problem = {
  code: 'STAFF_LOGIN_FAILED',
  zh: '用户名或密码不正确。连续错误 5 次将锁定 15 分钟。',
  en: 'Wrong username or password. Five failures in a row lock the account for 15 minutes.',
}

export const lockedOut: Problem = {
  code: 'STAFF_LOCKED',
  zh: '账号已被锁定，请 15 分钟后再试，或请管理员解锁。',
  en: 'The account is locked; retry in 15 minutes or ask an administrator.',
}

export const receipt: SubmitReceipt = {
  id: '0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11',
  receiptCode: 'KG695-HRKAD',
  summary: { kind: 'natural-person', profile: 'tianjin' },
  attachments: [],
}

export const items: QueueItem[] = [
  {
    id: '0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11',
    kind: 'natural-person',
    profile: 'tianjin',
    state: 'submitted',
    stateLabel: '已提交',
    summary: { kind: 'natural-person', profile: 'tianjin', name: '赵*华', idNumber: '110***********002X' },
    createdAt: 1795400000000,
    updatedAt: 1795400000000,
    attempts: 0,
    nextAttemptAt: 1795400600000,
  },
  {
    id: '0193a5e0-11aa-7bcd-8e9f-a0b1c2d3e4f5',
    kind: 'legal-entity',
    profile: 'most',
    state: 'needs-action',
    stateLabel: '需补充',
    summary: { kind: 'legal-entity', profile: 'most', unitName: '郑州**科技有限公司' },
    createdAt: 1795300000000,
    updatedAt: 1795390000000,
    attempts: 3,
    lastError: '平台要求补充加盖公章的风险承诺书 / the platform asks for the stamped risk letter',
  },
]

export const counts: QueueCounts = { byState: { submitted: 1, 'needs-action': 1 }, dueNow: 1, sealedLocally: 2 }

export const detail: QueueItemDetail = {
  item: items[1],
  sealing: 'local',
  attachments: [{ slot: 'business-licence', sha256: 'ab'.repeat(32), size: 183204, mediaType: 'image/jpeg', labelZh: '企业营业执照或事业单位法人证书', labelEn: 'Business licence' }],
  updates: [{ state: 'needs-action', message: '请补充风险承诺书', receivedAt: 1795390000000 }],
}

export const profiles: ProfileSummary[] = [
  { id: 'zhengzhou', nameZh: '郑州市科技业务管理系统（河南省统一身份认证平台）', nameEn: 'Zhengzhou science & technology business system (Henan unified identity platform)', kinds: ['natural-person', 'legal-entity', 'expert', 'legacy-binding', 'real-name'] },
  { id: 'tianjin', nameZh: '天津市科技管理信息平台（天津市统一身份认证平台，2021 版）', nameEn: 'Tianjin science & technology information platform (2021 unified identity)', kinds: ['natural-person', 'legal-entity'] },
  { id: 'shandong', nameZh: '山东省科技云平台（山东省统一身份认证平台）', nameEn: 'Shandong science & technology cloud platform (Shandong unified identity)', kinds: ['natural-person', 'legal-entity', 'legacy-binding', 'real-name'] },
  { id: 'most', nameZh: '科学技术部政务服务平台（含火炬中心用户转移）', nameEn: 'Ministry of Science and Technology service platform (with Torch Centre migration)', kinds: ['natural-person', 'legal-entity', 'legacy-binding', 'real-name', 'password-reset-appeal'] },
]

/** `validate_value` for an acceptable value. */
export const validValue: FieldReport = {
  kind: 'resident-id',
  input: '11010519491231002X',
  valid: true,
  normalized: '11010519491231002X',
  errors: [],
  warnings: [],
  derived: { birthDate: '1949-12-31', sex: 'female' },
}

export const kioskSettings: KioskSettings = {
  kioskName: counterKiosk.kioskName,
  hallName: '金水区政务服务大厅',
  hallPhone: '0371-12345678',
  mode: 'counter',
  idleTimeoutS: 120,
  defaultProfile: null,
  language: 'zh-CN',
  printer: null,
  scanner: null,
  exportDir: null,
  limits: { maxDaysWithoutSync: 7, maxUnsent: 500, maxDaysWithoutUpdateCheck: 30, minFreeDiskMb: 1024, syncHealthMinutes: 60 },
  reviewPolicies: [
    { profile: 'tianjin', policy: { mode: 'off' } },
    { profile: 'most', policy: { mode: 'sample', percent: 20 } },
  ],
}

/** `mode_rules` as Rust computes them (kiosk_api::settings::mode_rules). */
export function rulesFor(configured: 'counter' | 'self-service', staffSignedIn: boolean, idleTimeoutS = 120): ModeRules {
  const self = configured === 'self-service' && !staffSignedIn
  return {
    configured,
    effective: self ? 'self-service' : 'counter',
    visitorFlowsOnly: self,
    flowsNeedStaff: !self,
    wipeWhenIdle: self,
    idleTimeoutS,
    countdownS: 20,
    touchFirst: self,
    elderlyIdleTimeoutS: Math.min(1800, Math.max(300, idleTimeoutS * 3)),
    elderlyCountdownS: 60,
    editGraceS: 60,
  }
}

/** `mode_rules` answered by who is signed in, as Rust does. */
export function modeRules(configured: 'counter' | 'self-service', idleTimeoutS = 120) {
  return { signedIn: rulesFor(configured, true, idleTimeoutS), signedOut: rulesFor(configured, false, idleTimeoutS) }
}

export const syncOffline: SyncStatus = {
  enrolled: true,
  platformUrl: 'https://platform.example.gov.cn',
  kioskId: 'kiosk-0042',
  waiting: 2,
  dueNow: 1,
  delivered: 6,
  sealedLocally: 0,
  statusCursor: 12,
  online: false,
  inFlight: 0,
  bytesSent: 0,
  lastSuccessAt: 1795390000000,
  lastError: '无法连接平台 / connection refused',
}

/** Answers of a self-service kiosk (the configured mode comes from Rust's rules). */
export function selfServiceAnswers(extra: IpcAnswers = {}): IpcAnswers {
  return counterAnswers({
    health: selfServiceKiosk,
    settings_get: { ...kioskSettings, mode: 'self-service' },
    mode_rules: modeRules('self-service'),
    ...extra,
  })
}

/** A counter kiosk where every command answers as a healthy kiosk would. */
/** Every operating limit well within, sync healthy. */
export const limitsOk: LimitsReport = {
  limits: [
    { kind: 'days-without-sync', value: 0, threshold: 7, state: 'ok', zh: '', en: '' },
    { kind: 'unsent-applications', value: 2, threshold: 500, state: 'ok', zh: '', en: '' },
    { kind: 'days-without-update-check', value: 1, threshold: 30, state: 'ok', zh: '', en: '' },
    { kind: 'free-disk-mb', value: 50000, threshold: 1024, state: 'ok', zh: '', en: '' },
  ],
  acceptingNew: true,
  state: 'ok',
  syncHealth: {
    state: 'ok',
    online: true,
    lastSuccessAt: 1795400000000,
    minutesSinceSuccess: 2,
    thresholdMinutes: 60,
    lastError: null,
    unsent: 2,
  },
}

export function counterAnswers(extra: IpcAnswers = {}): IpcAnswers {
  return {
    health: counterKiosk,
    staff_current: null,
    staff_login: operator,
    staff_logout: null,
    retention_days: 7,
    set_retention_days: null,
    submit_application: receipt,
    queue_list: items,
    queue_stats: counts,
    queue_show: detail,
    list_profiles: profiles,
    validate_value: validValue,
    settings_get: kioskSettings,
    settings_set: kioskSettings,
    mode_rules: modeRules('counter'),
    sync_status: syncOffline,
    sync_now: { delivered: 0, refused: 0, retried: 1, statusUpdates: 0, masterUpdated: 0, bytesSent: 0, lastError: 'connection refused' },
    sync_enrol: { platformUrl: 'https://platform.example.gov.cn', kioskId: 'kiosk-0042', kioskName: counterKiosk.kioskName, resealed: 2 },
    queue_retry: null,
    capture_clear: null,
    list_printers: [{ name: 'HP_LaserJet_M404', isDefault: true }, { name: 'Receipt_80mm' }],
    capture_sources: { sources: [{ id: 'airscan:e0:Canon', kind: 'scanner', label: 'Canon LiDE 400' }], problems: [] },
    limits_status: limitsOk,
    ...extra,
  }
}

/** Opens the app and signs a staff member in through the login screen. */
export async function signIn(page: Page, answers: IpcAnswers) {
  await mockIpc(page, answers)
  await page.goto('/')
  await page.getByTestId('sign-in').click()
  await page.locator('#login-username').fill('clerk')
  await page.locator('#login-password').fill('clerk password 1')
  await page.getByTestId('login-submit').click()
  await page.getByTestId('tiles').waitFor()
}

/** The calls the UI made to Rust, in order. */
export async function ipcCalls(page: Page): Promise<{ cmd: string; args: Record<string, unknown> }[]> {
  return page.evaluate(() => (window as unknown as { __IPC_CALLS__: { cmd: string; args: Record<string, unknown> }[] }).__IPC_CALLS__)
}
