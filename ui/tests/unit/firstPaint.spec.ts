import { describe, expect, it } from 'vitest'
import { FIRST_PAINT_PREFIX, reportFirstPaint, type PaintClock } from '../../src/firstPaint'

function fakeClock(fcp: number | null, fcpAfterPolls = 0) {
  const order: string[] = []
  let polls = 0
  const lines: string[] = []
  const marks: string[] = []
  let now = 0
  const clock: PaintClock = {
    performance: {
      timeOrigin: 1_790_000_000_000.5,
      now: () => now,
      mark: ((name: string) => {
        marks.push(name)
        return undefined as unknown as PerformanceMark
      }) as Performance['mark'],
      getEntriesByName: ((name: string) =>
        name === 'first-contentful-paint' && fcp !== null && polls++ >= fcpAfterPolls
          ? [{ startTime: fcp } as PerformanceEntry]
          : []) as Performance['getEntriesByName'],
    },
    requestAnimationFrame: (callback) => {
      order.push('frame')
      now = 180
      callback()
    },
    setTimeout: (callback, ms) => {
      order.push(`task ${ms}`)
      if (ms === 0) now = 190.25
      callback()
    },
    log: (line) => lines.push(line),
  }
  return { clock, order, lines, marks }
}

describe('first-paint mark', () => {
  it('is taken in a task after the next frame and logged as one parseable line', async () => {
    const { clock, order, lines, marks } = fakeClock(150)
    const paint = await reportFirstPaint(clock)
    expect(order).toEqual(['frame', 'task 0'])
    expect(paint).toEqual({ origin: 1_790_000_000_000.5, mark: 190.25, fcp: 150 })
    expect(marks).toEqual([FIRST_PAINT_PREFIX])
    expect(lines).toHaveLength(1)
    const [prefix, json] = [lines[0].slice(0, FIRST_PAINT_PREFIX.length), lines[0].slice(FIRST_PAINT_PREFIX.length + 1)]
    expect(prefix).toBe(FIRST_PAINT_PREFIX)
    expect(JSON.parse(json)).toEqual(paint)
  })

  it('waits for a first-contentful-paint entry that comes a little later', async () => {
    const { clock, order, lines } = fakeClock(170, 3)
    const paint = await reportFirstPaint(clock)
    expect(paint).toEqual({ origin: 1_790_000_000_000.5, mark: 190.25, fcp: 170 })
    expect(order).toEqual(['frame', 'task 0', 'task 50', 'task 50', 'task 50'])
    expect(lines).toHaveLength(1)
  })

  it('reports fcp as null after a second when the browser has no paint timing', async () => {
    const { clock, order, lines } = fakeClock(null)
    const paint = await reportFirstPaint(clock)
    expect(paint).toEqual({ origin: 1_790_000_000_000.5, mark: 190.25, fcp: null })
    expect(order.filter((o) => o === 'task 50')).toHaveLength(20)
    expect(lines).toEqual([`${FIRST_PAINT_PREFIX} {"origin":1790000000000.5,"mark":190.25,"fcp":null}`])
  })
})
