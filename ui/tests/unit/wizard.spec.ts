import { describe, it, expect } from 'vitest'
import type { FlowForm } from '../../src/bindings/FlowForm'
import { applicationOf, applies, inManualReview, keyboardFor, problemsByField, slotsAsked, stepOfProblem, wizardSteps } from '../../src/views/flows/wizard'
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

  it('a field applies while the value Rust names holds one of its values', () => {
    const fields = form('most/real-name').steps.flatMap((st) => st.fields)
    const unitName = fields.find((f) => f.path === 'unit.name')!
    expect(unitName.visibleWhen, 'Rust says when the unit is asked').toEqual({ path: 'subject', anyOf: ['legal-entity'] })
    expect(applies(unitName, { subject: 'natural-person' })).toBe(false)
    expect(applies(unitName, { subject: 'legal-entity' })).toBe(true)
    const name = fields.find((f) => f.path === 'person.name')!
    expect(applies(name, {})).toBe(true)
  })

  it('the keypad follows the field: ID numbers, mobiles, codes and passwords', () => {
    const fields = form('tianjin/natural-person').steps.flatMap((st) => st.fields)
    const pad = (path: string) => keyboardFor(fields.find((f) => f.path === path)!)
    expect(pad('person.document.number')).toBe('idnumber')
    expect(pad('person.mobile')).toBe('phone')
    expect(pad('account.smsCode')).toBe('digits')
    expect(pad('account.password')).toBe('password')
    expect(pad('person.name')).toBe('text')
  })

  it('document photos are asked for only when Rust sent the application to manual review', () => {
    const tianjin = form('tianjin/natural-person')
    expect(slotsAsked(tianjin, false)).toEqual([])
    expect(slotsAsked(tianjin, true).map((a) => a.slot)).toEqual(['id-front', 'id-back'])
    expect(inManualReview({ 'realNameCheck.outcome': 'manual-review' })).toBe(true)
    expect(inManualReview({ 'realNameCheck.outcome': 'verified' })).toBe(false)
  })

  it('a hall serving one platform skips the platform step', () => {
    const steps = wizardSteps(form('tianjin/natural-person'), { manualReview: false, platformFixed: true })
    expect(steps[0].type).toBe('fields')
    expect(steps.length, 'account, person, summary').toBe(3)
  })
})

describe('steps that do not apply', () => {
  it('a personal real-name request skips the unit step', () => {
    const form = (forms as unknown as Record<string, FlowForm>)['zhengzhou/real-name']
    const keys = (subject: string) => wizardSteps(form, { manualReview: false, values: { subject } }).map((s) => s.key)
    expect(keys('legal-entity')).toContain('unit')
    expect(keys('natural-person')).not.toContain('unit')
  })
})
