import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent, h, nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import { stillWorking, useIdleTimeout, type IdleRule } from '../../src/composables/idleTimeout'
import { useVisitorStore } from '../../src/stores/visitor'
import { firstWithProblems, move, questionsOf, spokenStepOf } from '../../src/views/flows/oneQuestion'
import { currentSpokenStep, SPOKEN_PART, SPOKEN_PROMPT, useSpokenStep } from '../../src/composables/voice'
import type { FieldSpec } from '../../src/bindings/FieldSpec'
import type { FormStep } from '../../src/bindings/FormStep'
import type { SpokenStep } from '../../src/bindings/SpokenStep'

function field(path: string, visibleWhen?: FieldSpec['visibleWhen']): FieldSpec {
  return {
    path,
    labelZh: path,
    labelEn: path,
    input: 'text',
    required: true,
    sensitive: false,
    check: null,
    choices: [],
    list: null,
    visibleWhen,
    registeredCheck: null,
  } as unknown as FieldSpec
}

describe('one question a screen', () => {
  const fields = [field('person.name'), field('person.kind'), field('unit.name', { path: 'person.kind', anyOf: ['staff'] })]

  it('asks only the fields that apply, in order', () => {
    expect(questionsOf(fields, {}).map((f) => f.path)).toEqual(['person.name', 'person.kind'])
    expect(questionsOf(fields, { 'person.kind': 'staff' })).toHaveLength(3)
  })

  it('moves between questions and hands the ends to the wizard', () => {
    expect(move(0, 3, 'back')).toEqual({ to: 'back-step' })
    expect(move(1, 3, 'back')).toEqual({ to: 'question', index: 0 })
    expect(move(1, 3, 'next')).toEqual({ to: 'question', index: 2 })
    expect(move(2, 3, 'next')).toEqual({ to: 'finish-step' })
    expect(move(0, 1, 'next')).toEqual({ to: 'finish-step' })
  })

  it('goes back to the first question Rust found a problem in', () => {
    const errors = (path: string) => (path === 'person.kind' ? [{ code: 'X', zh: '', en: '' }] : [])
    expect(firstWithProblems(fields, errors)).toBe(1)
    expect(firstWithProblems(fields, () => [])).toBe(-1)
  })

  it('says a step by its key, number and the paths on screen, never values', () => {
    const step: FormStep = { key: 'person', labelZh: '个人信息', labelEn: 'Personal', fields } as FormStep
    const spoken = spokenStepOf({ key: 'person', type: 'fields', step }, 1, 5, 'zhengzhou', 'natural-person', {
      'person.name': '张三',
    })
    expect(spoken).toEqual({
      screen: 'fields',
      profile: 'zhengzhou',
      kind: 'natural-person',
      step: 'person',
      fields: ['person.name', 'person.kind'],
      index: 2,
      total: 5,
    })
    expect(JSON.stringify(spoken)).not.toContain('张三')
    expect(spokenStepOf({ key: 'summary', type: 'summary' }, 4, 5, 'zhengzhou', 'natural-person', {})).toEqual({ screen: 'summary' })
    expect(spokenStepOf(undefined, 0, 0, null, 'x', {})).toBeNull()
  })
})

describe('the idle wipe waits while a field is being edited', () => {
  let now = 0
  beforeEach(() => {
    vi.useFakeTimers()
    now = 0
  })
  afterEach(() => vi.useRealTimers())

  it('is still working only with focus and a recent edit', () => {
    expect(stillWorking(true, 1_000, 30_000, 60_000)).toBe(true)
    expect(stillWorking(true, 1_000, 61_001, 60_000)).toBe(false)
    expect(stillWorking(false, 1_000, 2_000, 60_000)).toBe(false)
    expect(stillWorking(true, null, 2_000, 60_000)).toBe(false)
  })

  it('starts the idle time again instead of wiping while busy, wipes once not', () => {
    const rule: IdleRule = { idleMs: 10_000, warnMs: 3_000 }
    let busy = true
    const expired = vi.fn()
    const timer = useIdleTimeout(() => rule, expired, () => now, 250, () => busy)
    timer.start()
    const advance = (ms: number) => {
      for (let i = 0; i < ms; i += 250) {
        now += 250
        vi.advanceTimersByTime(250)
      }
    }
    advance(10_000)
    expect(expired).not.toHaveBeenCalled()
    expect(timer.countdown.value).toBeNull()
    busy = false
    advance(7_000)
    expect(timer.countdown.value).toBe(3)
    advance(3_000)
    expect(expired).toHaveBeenCalledTimes(1)
  })
})

describe('the 长辈版 switch belongs to the visitor', () => {
  beforeEach(() => {
    clearMocks()
    mockIPC(() => null)
    setActivePinia(createPinia())
  })

  it('survives starting a flow and is wiped with the session', () => {
    const visitor = useVisitorStore()
    visitor.setElderly(true)
    visitor.consent('natural-person')
    expect(visitor.elderly).toBe(true)
    expect(visitor.consentFor).toBe('natural-person')
    visitor.wipe()
    expect(visitor.elderly).toBe(false)
  })
})

describe('which step is read aloud', () => {
  it('a prompt covers a question, a question covers its screen', async () => {
    const make = (step: SpokenStep, layer: number) =>
      defineComponent({ setup: () => (useSpokenStep(() => step, layer), () => h('i')) })
    const screen = mount(make({ screen: 'summary' }, 0))
    const part = mount(make({ screen: 'home' }, SPOKEN_PART))
    expect(currentSpokenStep()).toEqual({ screen: 'home' })
    const prompt = mount(make({ screen: 'more-time' }, SPOKEN_PROMPT))
    expect(currentSpokenStep()).toEqual({ screen: 'more-time' })
    prompt.unmount()
    part.unmount()
    await nextTick()
    expect(currentSpokenStep()).toEqual({ screen: 'summary' })
    screen.unmount()
    expect(currentSpokenStep()).toBeNull()
  })
})
