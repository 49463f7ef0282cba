// Answers of the flow commands: the real wizard forms Rust builds from the four profiles
// (tests/fixtures/flow-forms.json, written by kiosk-api's tests), divisions, documents, captures.
import type { ApplicationReport } from '../../src/bindings/ApplicationReport'
import type { Division } from '../../src/bindings/Division'
import type { EthnicGroup } from '../../src/bindings/EthnicGroup'
import type { StatusLookup } from '../../src/bindings/StatusLookup'
import type { Captured } from '../../src/bindings/Captured'
import forms from '../fixtures/flow-forms.json' with { type: 'json' }
import { counterAnswers, kioskSettings, modeRules, receipt, selfServiceKiosk } from './fixtures'
import type { IpcAnswers } from './ipc-mock'

export const draftId = '0193a5f2-8000-7d3a-9b1e-4f2a6c8d0e99'

export const valid: ApplicationReport = { valid: true, errors: [], warnings: [] }

export const ethnicGroups: EthnicGroup[] = [
  { code: '01', zh: '汉族', en: 'Han' },
  { code: '02', zh: '蒙古族', en: 'Mongol' },
  { code: '03', zh: '回族', en: 'Hui' },
]

const divisions: Record<string, Division[]> = {
  '000000': [
    { code: '110000', name: '北京市' },
    { code: '120000', name: '天津市' },
  ],
  '120000': [{ code: '120100', name: '天津市' }],
  '120100': [
    { code: '120101', name: '和平区' },
    { code: '120102', name: '河东区' },
  ],
}

export function captured(slot: string, n: number): Captured {
  return {
    id: `cap-${slot}-${n}`,
    slot,
    fileName: `${slot}-${n}.jpg`,
    mediaType: 'image/jpeg',
    sha256: 'ab'.repeat(32),
    thumbnail: '',
    size: 183204,
    width: 1600,
    height: 1200,
    warnings: [],
  }
}

export const found: StatusLookup = {
  receiptCode: receipt.receiptCode,
  kind: 'natural-person',
  profile: 'tianjin',
  state: 'verified',
  updatedAt: 1795400000000,
  messageZh: '注册成功，请用账号登录平台。',
  mobileUnverified: false,
  fromPlatform: true,
}

/** A counter kiosk with every flow command answering as a healthy kiosk would. */
export function flowAnswers(extra: IpcAnswers = {}): IpcAnswers {
  return counterAnswers({
    flow_form: { byArgs: ['profile', 'kind'], answers: forms },
    ethnic_groups: ethnicGroups,
    divisions: { byArgs: ['parent'], answers: divisions },
    online_verification_open: true,
    validate_application: valid,
    draft_save: draftId,
    risk_letter_pdf: { path: '/var/lib/tongban/print/risk-letter.pdf', pages: 1 },
    receipt_pdf: { path: '/var/lib/tongban/print/receipt.pdf', pages: 1 },
    print_document: { printer: 'hall-printer', jobId: 42 },
    capture_upload: {
      sequence: [captured('business-licence', 1), captured('risk-commitment', 1), captured('bank-account-permit', 1)],
    },
    capture_discard: null,
    status_lookup: found,
    ...extra,
  })
}

/** A self-service kiosk (mode rules from Rust say so) whose flows answer like `flowAnswers`. */
export function selfServiceFlowAnswers(extra: IpcAnswers = {}): IpcAnswers {
  return flowAnswers({
    health: selfServiceKiosk,
    settings_get: { ...kioskSettings, mode: 'self-service' },
    mode_rules: modeRules('self-service'),
    ...extra,
  })
}
