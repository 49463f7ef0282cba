import { describe, it, expect } from 'vitest'
import { nest, pointsAt } from '../../src/forms/paths'

describe('nest', () => {
  it('builds the nested application Rust parses from dotted paths, leaving empty values out', () => {
    expect(
      nest({
        'person.name': '赵丽华',
        'person.document.docType': 'resident-id',
        'person.document.number': '11010519491231002X',
        'person.email': '',
        'account.accountName': 'zhaolihua01',
      }),
    ).toEqual({
      person: { name: '赵丽华', document: { docType: 'resident-id', number: '11010519491231002X' } },
      account: { accountName: 'zhaolihua01' },
    })
  })

  it('a value under a path that was a plain value replaces it instead of failing', () => {
    expect(nest({ unit: 'x', 'unit.name': 'y' })).toEqual({ unit: { name: 'y' } })
  })
})

describe('pointsAt', () => {
  it('matches the field itself and anything inside it, not a sibling with the same prefix', () => {
    expect(pointsAt('person.document.number', 'person.document.number')).toBe(true)
    expect(pointsAt('unit.registeredAddress.divisionCode', 'unit.registeredAddress')).toBe(true)
    expect(pointsAt('person.nameExtra', 'person.name')).toBe(false)
    expect(pointsAt(undefined, 'person.name')).toBe(false)
  })
})

import { fieldKindFor } from '../../src/forms/fieldKinds'

describe('fieldKindFor', () => {
  it('checks a document number by the document type chosen beside it', () => {
    expect(fieldKindFor('person.document.number', { 'person.document.docType': 'resident-id' })).toBe('resident-id')
    expect(fieldKindFor('person.document.number', { 'person.document.docType': 'passport' })).toBe('passport')
    expect(
      fieldKindFor('legalRepresentative.document.number', { 'legalRepresentative.document.docType': 'foreign-permanent-residence' }),
    ).toBe('foreign-pr')
    expect(fieldKindFor('person.document.number', { 'person.document.docType': 'other' }), 'no rule for other').toBeNull()
  })
  it('maps the other checked inputs by their name and leaves free text alone', () => {
    expect(fieldKindFor('unit.uscc', {})).toBe('uscc')
    expect(fieldKindFor('primaryAgent.mobile', {})).toBe('mobile')
    expect(fieldKindFor('account.password', {})).toBe('password')
    expect(fieldKindFor('person.name', {})).toBeNull()
  })
})
