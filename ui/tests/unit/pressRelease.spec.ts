import { afterEach, describe, expect, it, vi } from 'vitest'
import { afterRelease, trackPresses } from '../../src/composables/pressRelease'

const press = (type: string) => document.dispatchEvent(new Event(type, { bubbles: true }))

describe('a layout change a press causes waits for its release', () => {
  let stop: () => void = () => {}
  afterEach(() => {
    stop()
    vi.useRealTimers()
  })

  it('goes on at once when nothing is pressed', async () => {
    stop = trackPresses(document)
    await expect(afterRelease()).resolves.toBeUndefined()
  })

  it('waits while a press is down, and goes on after the release has delivered its click', async () => {
    vi.useFakeTimers()
    stop = trackPresses(document)
    press('pointerdown')
    let released = false
    const waiting = afterRelease().then(() => (released = true))
    await vi.advanceTimersByTimeAsync(1000)
    expect(released, 'still pressed').toBe(false)
    press('pointerup')
    await Promise.resolve()
    expect(released, 'the click comes first').toBe(false)
    await vi.advanceTimersByTimeAsync(0)
    await waiting
    expect(released).toBe(true)
  })

  it('a cancelled press (the finger slid off, the pen left) releases too', async () => {
    vi.useFakeTimers()
    stop = trackPresses(document)
    press('pointerdown')
    const waiting = afterRelease()
    press('pointercancel')
    await vi.advanceTimersByTimeAsync(0)
    await expect(waiting).resolves.toBeUndefined()
  })

  it('stops following presses when told, and lets a waiting change go', async () => {
    vi.useFakeTimers()
    stop = trackPresses(document)
    press('pointerdown')
    const waiting = afterRelease()
    stop()
    await vi.advanceTimersByTimeAsync(0)
    await expect(waiting).resolves.toBeUndefined()
    press('pointerdown')
    await expect(afterRelease(), 'no longer followed').resolves.toBeUndefined()
  })
})
