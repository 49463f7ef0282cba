// The order of a flow's wizard steps, derived from the Rust `FlowForm` of the chosen platform.
// Presentation only: which fields exist, which are required, which files each slot takes and
// whether a risk letter is printed all come from the profile; every check runs in Rust.
import type { FieldSpec } from '../../bindings/FieldSpec'
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
  /** Real-name verification goes to manual review (offline, or outside the service hours). */
  manualReview: boolean
}

/** The steps: platform, the form's steps, the risk letter (when the platform has one), the
 * captures (when the flow has attachment slots — for a real-name check only in manual review),
 * and the summary. */
export function wizardSteps(form: FlowForm | null, options: StepOptions): WizardStep[] {
  const steps: WizardStep[] = [{ key: 'platform', type: 'platform' }]
  if (!form) return steps
  for (const step of form.steps) steps.push({ key: step.key, type: 'fields', step })
  if (form.riskLetter) steps.push({ key: 'risk-letter', type: 'risk-letter' })
  const captures = form.attachments.length > 0 && (form.kind !== 'real-name' || options.manualReview)
  if (captures) steps.push({ key: 'capture', type: 'capture' })
  steps.push({ key: 'summary', type: 'summary' })
  return steps
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

/** Required fields left empty in a step (a hint before Rust's own check at the summary). */
export function emptyRequired(step: WizardStep | undefined, values: FlatValues): string[] {
  if (!step || step.type !== 'fields') return []
  return step.step.fields
    .filter((f) => f.required && f.input !== 'checkbox')
    // A code the application verifies later (offline): Rust accepts it missing with that flag.
    .filter((f) => !(f.path.endsWith('smsCode') && values[f.path.replace(/smsCode$/, 'smsDeferred')] === true))
    .filter((f) => !Object.entries(values).some(([k, v]) => (k === f.path || k.startsWith(`${f.path}.`)) && v !== ''))
    .map((f) => f.path)
}
