import { describe, it, expect } from 'vitest'
import type { CardFill } from '../../src/bindings/CardFill'
import type { FlowForm } from '../../src/bindings/FlowForm'
import {
  applicationOf,
  applyCardFill,
  applies,
  cardPersonOf,
  inManualReview,
  keyboardFor,
  problemsByField,
  slotNeeded,
  slotsAsked,
  stepOfProblem,
  wizardSteps,
} from '../../src/views/flows/wizard'
import forms from '../fixtures/flow-forms.json'

// The real forms Rust builds from the four profiles (written by kiosk-api's tests).
const form = (key: string) => (forms as unknown as Record<string, FlowForm>)[key]
const types = (key: string, manualReview = false, values = {}) =>
  wizardSteps(form(key), { manualReview, values }).map((s) => s.type)

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
    const person = { subject: 'natural-person' }
    expect(types('most/real-name', false, person)).not.toContain('capture')
    expect(types('most/real-name', true, person)).toContain('capture')
  })

  it('a person in manual review is asked for their ID, a unit for its documents (the profile\'s conditions)', () => {
    const asked = (subject: string) => slotsAsked(form('most/real-name'), true, { subject }).map((s) => s.slot)
    expect(asked('natural-person')).toEqual(['id-front', 'id-back'])
    expect(asked('legal-entity')).toEqual(['organisation-certificate', 'legal-representative-document', 'other'])
    const other = slotsAsked(form('most/real-name'), true, { subject: 'legal-entity' }).find((s) => s.slot === 'other')
    expect(other && slotNeeded(other), 'other documents are optional').toBe(false)
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

  it('a passport or permit number, an account name and a credit code get letters without candidates', () => {
    const most = form('most/legal-entity').steps.flatMap((s) => s.fields)
    const at = (path: string) => most.find((f) => f.path === path)!
    const number = at('legalRepresentative.document.number')
    expect(keyboardFor(number, { 'legalRepresentative.document.docType': 'resident-id' })).toBe('idnumber')
    expect(keyboardFor(number, { 'legalRepresentative.document.docType': 'passport' })).toBe('latin')
    expect(keyboardFor(at('unit.uscc'))).toBe('latin')
    expect(keyboardFor(at('account.accountName'))).toBe('latin')
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

describe('the ID-card reader in the wizard', () => {
  const stepsOf = (key: string) => form(key).steps
  it('offers the card on the step that asks for a person\'s document number, for that person', () => {
    const person = stepsOf('tianjin/natural-person').map(cardPersonOf)
    expect(person.filter((p) => p !== null)).toEqual([{ role: 'person', prefix: 'person' }])
    const roles = stepsOf('tianjin/legal-entity')
      .map(cardPersonOf)
      .filter((p) => p !== null)
      .map((p) => p?.role)
    expect(roles).toContain('legal-representative')
  })

  it('puts Rust\'s values in the form and locks its read-only paths, dropping an earlier card\'s locks', () => {
    const values: Record<string, string | boolean> = { 'person.name': 'typed', 'unitName': 'kept' }
    const card: CardFill = {
      card: { kind: 'resident-id', documentType: 'resident-id', name: '张*', number: '110***********002X' },
      fields: [
        { path: 'person.name', value: '张三' },
        { path: 'person.document.number', value: '11010519491231002X' },
      ],
      readOnly: [{ path: 'person.name', sourceZh: '读自身份证', sourceEn: 'From the card' }],
      problems: [],
      warnings: [],
    }
    const earlier = { 'person.document.number': 'old card', 'legalRepresentative.name': 'other person' }
    const locks = applyCardFill(values, earlier, 'person', card, (r) => r.sourceZh)
    expect(values['person.name']).toBe('张三')
    expect(values['person.document.number']).toBe('11010519491231002X')
    expect(values.unitName).toBe('kept')
    expect(locks).toEqual({ 'person.name': '读自身份证', 'legalRepresentative.name': 'other person' })
  })
})
