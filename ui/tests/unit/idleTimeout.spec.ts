import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { DEFAULT_IDLE_RULE, idlePhase, useIdleTimeout } from '../../src/composables/idleTimeout'

describe('idlePhase', () => {
  const rule = DEFAULT_IDLE_RULE

  it('is active for the first 100 s, warns for the last 20 s, then expires at 120 s', () => {
    expect(idlePhase(rule, 0, 0)).toEqual({ phase: 'active', secondsLeft: 120 })
    expect(idlePhase(rule, 0, 99_999).phase).toBe('active')
    expect(idlePhase(rule, 0, 100_000)).toEqual({ phase: 'warning', secondsLeft: 20 })
    expect(idlePhase(rule, 0, 119_001)).toEqual({ phase: 'warning', secondsLeft: 1 })
    expect(idlePhase(rule, 0, 120_000)).toEqual({ phase: 'expired', secondsLeft: 0 })
    expect(idlePhase(rule, 0, 500_000).phase, 'long after stays expired').toBe('expired')
  })

  it('counts from the last activity, and a clock going backwards never expires early', () => {
    expect(idlePhase(rule, 50_000, 160_000).phase).toBe('warning')
    expect(idlePhase(rule, 50_000, 10_000).phase).toBe('active')
  })
})

describe('useIdleTimeout', () => {
  let now = 0
  beforeEach(() => {
    vi.useFakeTimers()
    now = 0
  })
  afterEach(() => vi.useRealTimers())

  function advance(ms: number) {
    for (let i = 0; i < ms; i += 250) {
      now += 250
      vi.advanceTimersByTime(250)
    }
  }

  it('shows the countdown for the last 20 s and expires once', () => {
    const expired = vi.fn()
    const timer = useIdleTimeout(() => DEFAULT_IDLE_RULE, expired, () => now)
    timer.start()
    advance(99_750)
    expect(timer.countdown.value).toBeNull()
    advance(1_000)
    expect(timer.countdown.value).toBe(20)
    advance(20_000)
    expect(expired).toHaveBeenCalledTimes(1)
    expect(timer.running.value).toBe(false)
    expect(timer.countdown.value, 'no countdown once stopped').toBeNull()
    advance(300_000)
    expect(expired, 'never fires twice').toHaveBeenCalledTimes(1)
  })

  it('activity during the countdown hides it and restarts the full period', () => {
    const expired = vi.fn()
    const timer = useIdleTimeout(() => DEFAULT_IDLE_RULE, expired, () => now)
    timer.start()
    advance(110_000)
    expect(timer.countdown.value).toBe(10)
    timer.activity()
    advance(250)
    expect(timer.countdown.value).toBeNull()
    advance(110_000)
    expect(expired).not.toHaveBeenCalled()
  })

  it('does nothing while stopped and follows a shorter rule from settings', () => {
    const expired = vi.fn()
    const timer = useIdleTimeout(() => ({ idleMs: 10_000, warnMs: 5_000 }), expired, () => now)
    advance(60_000)
    expect(expired).not.toHaveBeenCalled()
    timer.start()
    advance(5_250)
    expect(timer.countdown.value).toBe(5)
    timer.stop()
    advance(60_000)
    expect(expired).not.toHaveBeenCalled()
  })
})
