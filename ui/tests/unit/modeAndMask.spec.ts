import { describe, it, expect } from 'vitest'
import { effectiveMode } from '../../src/composables/kioskMode'
import { maskValue } from '../../src/composables/mask'
import { summaryText } from '../../src/stores/queue'

describe('effectiveMode', () => {
  it('a self-service kiosk acts as a counter only while staff is signed in', () => {
    expect(effectiveMode('self-service', false)).toBe('self-service')
    expect(effectiveMode('self-service', true)).toBe('counter')
    expect(effectiveMode('counter', false)).toBe('counter')
    expect(effectiveMode(undefined, false), 'unknown until health answers: counter, the safe side').toBe('counter')
  })
})

describe('maskValue', () => {
  it('keeps the first 3 and last 4 characters like the manuals', () => {
    expect(maskValue('11010519491231002X')).toBe('110***********002X')
    expect(maskValue('13812345678')).toBe('138****5678')
  })
  it('hides short values completely and counts characters, not bytes', () => {
    expect(maskValue('1234567')).toBe('*******')
    expect(maskValue('')).toBe('')
    expect(maskValue('郑州市金水区示例公司')).toBe('郑州市***示例公司')
  })
})

describe('summaryText', () => {
  it('joins the plain fields of a masked summary and ignores the rest', () => {
    expect(summaryText({ kind: 'legal-entity', idNumber: '110***********002X', nested: { a: 1 }, none: null })).toBe(
      'kind: legal-entity · idNumber: 110***********002X',
    )
    expect(summaryText(null)).toBe('')
    expect(summaryText('text')).toBe('')
  })
})
