// The order of a flow's wizard steps, derived from the Rust `FlowForm` of the chosen platform.
// Presentation only: which fields exist, which are required, which files each slot takes and
// whether a risk letter is printed all come from the profile; every check runs in Rust.
import type { FieldKind } from '../../bindings/FieldKind'
import type { FieldSpec } from '../../bindings/FieldSpec'
import type { AttachmentSlot } from '../../bindings/AttachmentSlot'
import type { CardFill } from '../../bindings/CardFill'
import type { Condition } from '../../bindings/Condition'
import type { FlowForm } from '../../bindings/FlowForm'
import type { FormStep } from '../../bindings/FormStep'
import type { PersonRole } from '../../bindings/PersonRole'
import type { Problem } from '../../bindings/Problem'
import type { ReadOnlyField } from '../../bindings/ReadOnlyField'
import type { FlatValues } from '../../forms/paths'
import { pointsAt } from '../../forms/paths'

/** One step of the wizard. */
export type WizardStep =
  | { key: 'platform'; type: 'platform' }
  | { key: string; type: 'fields'; step: FormStep }
  | { key: 'risk-letter'; type: 'risk-letter' }
  | { key: 'capture'; type: 'capture' }
  | { key: 'summary'; type: 'summary' }

/** What decides the optional steps besides the form. */
export interface StepOptions {
  /** Rust's live real-name check sent the application to manual review (`realNameCheck`). */
  manualReview: boolean
  /** The hall serves one platform (setting `defaultProfile`): no platform step. */
  platformFixed?: boolean
  /** What was typed so far: a step none of whose fields applies is skipped. */
  values?: FlatValues
}

/** Whether the real-name record Rust put in the application asks for manual review. */
export function inManualReview(values: FlatValues): boolean {
  return values['realNameCheck.outcome'] === 'manual-review'
}

/** The attachment slots asked for: the profile's, plus the documents of a manual review when
 * Rust's real-name check decided one; a slot with a condition (`visibleWhen`, from the profile)
 * only while it holds (`AttachmentSlot::asked` in Rust). */
export function slotsAsked(form: FlowForm, manualReview: boolean, values: FlatValues = {}): AttachmentSlot[] {
  return form.attachments.filter((a) => (!a.manualReview || manualReview) && holds(a.visibleWhen, values))
}

/** Whether a shown slot needs a file: the profile's flags, as `AttachmentSlot::needed` reads
 * them (Rust checks it again at submission). */
export function slotNeeded(slot: AttachmentSlot): boolean {
  return slot.required || (slot.manualReview === true && slot.optional !== true)
}

/** The steps: platform (unless the hall serves one), the form's steps, the risk letter (when
 * the platform has one), the captures (when any slot is asked for), and the summary. */
export function wizardSteps(form: FlowForm | null, options: StepOptions): WizardStep[] {
  const steps: WizardStep[] = options.platformFixed && form ? [] : [{ key: 'platform', type: 'platform' }]
  if (!form) return steps
  for (const step of form.steps) {
    if (options.values && !step.fields.some((f) => applies(f, options.values ?? {}))) continue
    steps.push({ key: step.key, type: 'fields', step })
  }
  if (form.riskLetter) steps.push({ key: 'risk-letter', type: 'risk-letter' })
  if (slotsAsked(form, options.manualReview, options.values).length > 0) steps.push({ key: 'capture', type: 'capture' })
  steps.push({ key: 'summary', type: 'summary' })
  return steps
}

/** Whether a field applies now: Rust gives the condition (`visibleWhen`), this only compares. */
export function applies(field: FieldSpec, values: FlatValues): boolean {
  return holds(field.visibleWhen, values)
}

function holds(when: Condition | undefined, values: FlatValues): boolean {
  if (!when) return true
  const value = values[when.path]
  return typeof value === 'string' && when.anyOf.includes(value)
}

/** Which on-screen keypad suits a field: digits and X for a resident ID number, letters and
 * digits without candidates for other document numbers (passports, permits: E12345678,
 * H12345678), credit codes, account names, e-mail and country codes, a phone pad for mobiles,
 * digits for SMS codes, letters without candidates for passwords, else full text with pinyin. */
export function keyboardFor(
  field: FieldSpec,
  values: FlatValues = {},
): 'idnumber' | 'phone' | 'digits' | 'password' | 'latin' | 'text' {
  if (field.input === 'password') return 'password'
  if (field.path.endsWith('smsCode')) return 'digits'
  if (field.check === 'mobile') return 'phone'
  if (field.path.endsWith('document.number')) {
    const docType = values[field.path.replace(/number$/, 'docType')] ?? 'resident-id'
    return docType === 'resident-id' ? 'idnumber' : 'latin'
  }
  if (field.check === 'resident-id') return 'idnumber'
  if (field.check && LATIN_CHECKS.includes(field.check)) return 'latin'
  if (field.path.endsWith('document.country')) return 'latin'
  return 'text'
}

/** Checks whose values are written in Latin letters and digits only. */
const LATIN_CHECKS: readonly FieldKind[] = ['uscc', 'email', 'account-name', 'passport', 'foreign-passport', 'hk-macao-permit', 'taiwan-permit', 'foreign-pr']

/** Every field of the form. */
export function allFields(form: FlowForm | null): FieldSpec[] {
  return form ? form.steps.flatMap((s) => s.fields) : []
}

/** The index of the step showing the field a problem points at, or -1. */
export function stepOfProblem(steps: WizardStep[], problem: Problem): number {
  if (!problem.field) return -1
  if (problem.field.startsWith('attachments')) return steps.findIndex((s) => s.type === 'capture')
  return steps.findIndex((s) => s.type === 'fields' && s.step.fields.some((f) => pointsAt(problem.field, f.path)))
}

/** Problems by the field path they point at (Rust's `Problem.field`), for showing them in place. */
export function problemsByField(form: FlowForm | null, problems: Problem[]): Record<string, Problem[]> {
  const out: Record<string, Problem[]> = {}
  for (const p of problems) {
    const field = allFields(form).find((f) => pointsAt(p.field, f.path))
    const key = field?.path ?? (p.field?.startsWith('attachments') ? 'attachments' : '')
    if (!key) continue
    ;(out[key] ??= []).push(p)
  }
  return out
}

/** The application JSON the wizard hands to Rust. */
export function applicationOf(profile: string, kind: string, nested: Record<string, unknown>) {
  return { ...nested, profile, kind }
}

/** A person of the form whose card can be read: the role Rust knows and its path prefix. */
export interface CardPerson {
  role: PersonRole
  prefix: string
}

/** The person whose identity card a step asks for, by the document-number field it shows
 * (`person.`, `legalRepresentative.`, `primaryAgent.`); null when the step asks for no card. */
export function cardPersonOf(step: FormStep): CardPerson | null {
  const roles: [string, PersonRole][] = [
    ['person', 'person'],
    ['legalRepresentative', 'legal-representative'],
    ['primaryAgent', 'primary-agent'],
  ]
  for (const [prefix, role] of roles) {
    if (step.fields.some((f) => f.path === `${prefix}.document.number`)) return { role, prefix }
  }
  return null
}

/** The values a card read puts into the form (Rust's mapping, `fill.fields`) and which paths it
 * locks, with where their value came from; the locks of an earlier card for the same person
 * (`prefix.`) are dropped first. */
export function applyCardFill(
  values: FlatValues,
  locks: Record<string, string>,
  prefix: string,
  fill: CardFill,
  sourceOf: (field: ReadOnlyField) => string,
): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(locks).filter(([path]) => !path.startsWith(`${prefix}.`)))
  for (const f of fill.fields) values[f.path] = f.value
  for (const r of fill.readOnly) kept[r.path] = sourceOf(r)
  return kept
}
