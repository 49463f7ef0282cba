import { describe, it, expect } from 'vitest'
import type { FlowForm } from '../../src/bindings/FlowForm'
import { applicationOf, emptyRequired, problemsByField, stepOfProblem, wizardSteps } from '../../src/views/flows/wizard'
import forms from '../fixtures/flow-forms.json'

// The real forms Rust builds from the four profiles (written by kiosk-api's tests).
const form = (key: string) => (forms as unknown as Record<string, FlowForm>)[key]
const types = (key: string, manualReview = false) => wizardSteps(form(key), { manualReview }).map((s) => s.type)

describe('wizardSteps', () => {
  it('Tianjin legal entity: the form, then the risk letter, the captures and the summary', () => {
    const steps = types('tianjin/legal-entity')
    expect(steps[0]).toBe('platform')
    expect(steps.slice(-3)).toEqual(['risk-letter', 'capture', 'summary'])
    expect(steps.filter((s) => s === 'fields').length, 'account, unit, details, bank, legal representative').toBeGreaterThanOrEqual(4)
  })

  it('natural person has no letter and no captures', () => {
    expect(types('tianjin/natural-person')).not.toContain('capture')
    expect(types('tianjin/natural-person')).not.toContain('risk-letter')
  })

  it('real-name verification captures the documents only in manual review', () => {
    expect(types('most/real-name', false)).not.toContain('capture')
    expect(types('most/real-name', true)).toContain('capture')
  })

  it('the appeal always captures its documents', () => {
    expect(types('most/password-reset-appeal')).toContain('capture')
  })

  it('without a platform only the platform step exists', () => {
    expect(wizardSteps(null, { manualReview: false }).map((s) => s.key)).toEqual(['platform'])
  })
})

describe('problems from Rust', () => {
  const steps = wizardSteps(form('tianjin/legal-entity'), { manualReview: false })

  it('lead back to the step of the field they point at, attachments to the captures', () => {
    const at = stepOfProblem(steps, { code: 'USCC_CHECK', zh: '', en: '', field: 'unit.uscc' })
    expect(steps[at].type === 'fields' && steps[at].step.fields.some((f) => f.path === 'unit.uscc')).toBe(true)
    expect(steps[stepOfProblem(steps, { code: 'A', zh: '', en: '', field: 'attachments.0' })].type).toBe('capture')
    expect(stepOfProblem(steps, { code: 'X', zh: '', en: '' }), 'no field: stay').toBe(-1)
  })

  it('are grouped under the input that shows them, inner paths under their composite field', () => {
    const byField = problemsByField(form('tianjin/legal-entity'), [
      { code: 'DIV', zh: '', en: '', field: 'unit.registeredAddress.divisionCode' },
      { code: 'NAME', zh: '', en: '', field: 'unit.name' },
    ])
    expect(Object.keys(byField).sort()).toEqual(['unit.name', 'unit.registeredAddress'])
  })
})

describe('the application handed to Rust', () => {
  it('carries the profile and kind beside the nested form', () => {
    expect(applicationOf('most', 'real-name', { person: { name: 'x' } })).toEqual({
      person: { name: 'x' },
      profile: 'most',
      kind: 'real-name',
    })
  })

  it('empty required fields of a step are named; filled composite fields count as filled', () => {
    const steps = wizardSteps(form('tianjin/legal-entity'), { manualReview: false })
    const details = steps.find((s) => s.type === 'fields' && s.step.fields.some((f) => f.path === 'unit.registeredAddress'))
    const missing = emptyRequired(details, { 'unit.registeredAddress.divisionCode': '120101' })
    expect(missing).not.toContain('unit.registeredAddress')
    expect(missing).toContain('unit.locatedAddress')
  })
})
