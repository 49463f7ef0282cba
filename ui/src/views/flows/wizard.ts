// The order of a flow's wizard steps, derived from the Rust `FlowForm` of the chosen platform.
// Presentation only: which fields exist, which are required, which files each slot takes and
// whether a risk letter is printed all come from the profile; every check runs in Rust.
import type { FieldSpec } from '../../bindings/FieldSpec'
import type { AttachmentSlot } from '../../bindings/AttachmentSlot'
import type { FlowForm } from '../../bindings/FlowForm'
import type { FormStep } from '../../bindings/FormStep'
import type { Problem } from '../../bindings/Problem'
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

/** The attachment slots asked for: the profile's, plus the document photos of a manual review
 * when Rust's real-name check decided one. */
export function slotsAsked(form: FlowForm, manualReview: boolean): AttachmentSlot[] {
  return form.attachments.filter((a) => !a.manualReview || manualReview)
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
  if (slotsAsked(form, options.manualReview).length > 0) steps.push({ key: 'capture', type: 'capture' })
  steps.push({ key: 'summary', type: 'summary' })
  return steps
}

/** Whether a field applies now: Rust gives the condition (`visibleWhen`), this only compares. */
export function applies(field: FieldSpec, values: FlatValues): boolean {
  const when = field.visibleWhen
  if (!when) return true
  const value = values[when.path]
  return typeof value === 'string' && when.anyOf.includes(value)
}

/** Which on-screen keypad suits a field: digits and X for document numbers, a phone pad for
 * mobiles, digits for SMS codes, letters without candidates for passwords, else full text. */
export function keyboardFor(field: FieldSpec): 'idnumber' | 'phone' | 'digits' | 'password' | 'text' {
  if (field.input === 'password') return 'password'
  if (field.path.endsWith('smsCode')) return 'digits'
  if (field.check === 'mobile') return 'phone'
  if (field.path.endsWith('document.number') || field.check === 'resident-id') return 'idnumber'
  return 'text'
}

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
