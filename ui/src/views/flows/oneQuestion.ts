// 长辈版's one question a screen, and what each wizard step says aloud: presentation only.
// Which fields apply comes from Rust's conditions (`applies`), finishing a step is Rust's
// `finish_step`; this file only counts and names.
import type { FieldSpec } from '../../bindings/FieldSpec'
import type { Problem } from '../../bindings/Problem'
import type { SpokenStep } from '../../bindings/SpokenStep'
import type { FlatValues } from '../../forms/paths'
import { applies, type WizardStep } from './wizard'

/** The questions of a step: its fields that apply now, in the profile's order. */
export function questionsOf(fields: FieldSpec[], values: FlatValues): FieldSpec[] {
  return fields.filter((f) => applies(f, values))
}

/** The first question with a problem (after Rust refused the step), or -1. */
export function firstWithProblems(questions: FieldSpec[], errorsOf: (path: string) => Problem[]): number {
  return questions.findIndex((f) => errorsOf(f.path).length > 0)
}

/** Where the visitor goes from question `index` of `count`: another question, or the wizard
 * (back a step, or finishing this one through Rust). */
export function move(index: number, count: number, direction: 'back' | 'next'):
  | { to: 'question'; index: number }
  | { to: 'back-step' }
  | { to: 'finish-step' } {
  if (direction === 'back') return index > 0 ? { to: 'question', index: index - 1 } : { to: 'back-step' }
  return index < count - 1 ? { to: 'question', index: index + 1 } : { to: 'finish-step' }
}

/** What the wizard's current step says aloud (`voice_speak`): its kind, its number, and for
 * a step of fields the fields on screen — paths only, never their values. */
export function spokenStepOf(
  step: WizardStep | undefined,
  index: number,
  total: number,
  profile: string | null,
  kind: string,
  values: FlatValues,
): SpokenStep | null {
  if (!step) return null
  switch (step.type) {
    case 'platform':
      return { screen: 'platform' }
    case 'risk-letter':
      return { screen: 'risk-letter' }
    case 'capture':
      return { screen: 'capture' }
    case 'summary':
      return { screen: 'summary' }
    case 'fields':
      if (!profile) return null
      return {
        screen: 'fields',
        profile,
        kind,
        step: step.key,
        fields: questionsOf(step.step.fields, values).map((f) => f.path),
        index: index + 1,
        total,
      }
  }
}
