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

import { flatten } from '../../src/forms/paths'

describe('flatten', () => {
  it('turns a draft loaded from Rust back into the dotted paths the wizard edits', () => {
    const nested = { person: { name: '赵丽华', document: { validity: { from: '2020-01-01', until: 'long-term' } } }, skipRealName: true }
    expect(flatten(nested)).toEqual({
      'person.name': '赵丽华',
      'person.document.validity.from': '2020-01-01',
      'person.document.validity.until': 'long-term',
      skipRealName: true,
    })
    expect(nest(flatten(nested))).toEqual(nested)
  })
})
