/**
 * The first-paint mark bench/run reads (issue 21): once the mounted app's first screen has been
 * drawn, one console line `tongban:first-paint {"origin":…,"mark":…,"fcp":…}`.
 * `origin` is `performance.timeOrigin` (ms since the epoch), `mark` the time of the first frame
 * after mount (ms after `origin`), `fcp` the browser's own first-contentful-paint entry when it
 * has one. The app's webview prints console lines only when `TONGBAN_CONSOLE_TO_STDOUT=1`
 * (src-tauri/src/console.rs); Chromium with `--enable-logging=stderr`. No personal data.
 */
export const FIRST_PAINT_PREFIX = 'tongban:first-paint'

/** What the mark line carries. */
export interface FirstPaint {
  origin: number
  mark: number
  fcp: number | null
}

/** Where the mark is read from; the browser's globals unless a test passes its own. */
export interface PaintClock {
  performance: Pick<Performance, 'now' | 'timeOrigin' | 'getEntriesByName' | 'mark'>
  requestAnimationFrame: (callback: () => void) => unknown
  setTimeout: (callback: () => void, ms: number) => unknown
  log: (line: string) => void
}

const browserClock = (): PaintClock => ({
  performance: window.performance,
  requestAnimationFrame: (callback) => window.requestAnimationFrame(() => callback()),
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  log: (line) => console.info(line),
})

/** How long to wait for the browser's first-contentful-paint entry, which some engines add a
 * little after the frame is shown: polls every 50 ms, 20 times. */
const FCP_POLLS = 20
const FCP_POLL_MS = 50

/**
 * Reports the first paint after the next frame: a task queued from a frame callback runs once
 * that frame has been drawn. The line is logged once the browser's first-contentful-paint entry
 * is there (or after a second without one). Resolves with what was reported.
 */
export function reportFirstPaint(clock: PaintClock = browserClock()): Promise<FirstPaint> {
  const { performance } = clock
  const fcp = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null
  return new Promise((resolve) => {
    clock.requestAnimationFrame(() => {
      clock.setTimeout(() => {
        const mark = performance.now()
        performance.mark(FIRST_PAINT_PREFIX)
        const report = (polls: number) => {
          const seen = fcp()
          if (seen === null && polls < FCP_POLLS) {
            clock.setTimeout(() => report(polls + 1), FCP_POLL_MS)
            return
          }
          const paint: FirstPaint = { origin: performance.timeOrigin, mark, fcp: seen }
          clock.log(`${FIRST_PAINT_PREFIX} ${JSON.stringify(paint)}`)
          resolve(paint)
        }
        report(0)
      }, 0)
    })
  })
}
