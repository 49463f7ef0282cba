import { computed, getCurrentInstance, onBeforeUnmount, ref, type Ref } from 'vue'

/** Self-service idle rule: after `idleMs` without activity the session ends; during the
 * last `warnMs` a countdown is shown, and any activity cancels it. */
export interface IdleRule {
  idleMs: number
  warnMs: number
}

/** The kiosk's defaults (issue 8: 120 s idle, 20 s visible countdown). */
export const DEFAULT_IDLE_RULE: IdleRule = { idleMs: 120_000, warnMs: 20_000 }

/** Where a session stands at `now`, given the last activity. Pure, so it is easy to test. */
export function idlePhase(rule: IdleRule, lastActivity: number, now: number) {
  const left = Math.max(0, lastActivity + rule.idleMs - now)
  if (left === 0) return { phase: 'expired' as const, secondsLeft: 0 }
  if (left <= rule.warnMs) return { phase: 'warning' as const, secondsLeft: Math.ceil(left / 1000) }
  return { phase: 'active' as const, secondsLeft: Math.ceil(left / 1000) }
}

export interface IdleTimer {
  /** Seconds left while the countdown is visible, else null. */
  countdown: Ref<number | null>
  /** Call on every touch, key or pointer event. */
  activity: () => void
  /** Starts watching (after the visitor begins a flow). */
  start: () => void
  /** Stops watching (flow finished or staff took over). */
  stop: () => void
  running: Ref<boolean>
}

/** Whether a visitor is still working although no touch came: a field has focus and was
 * edited within `graceMs` (Rust's `editGraceS`). Then the session is not wiped. Pure. */
export function stillWorking(focusedField: boolean, lastEdit: number | null, now: number, graceMs: number): boolean {
  return focusedField && lastEdit !== null && now - lastEdit < graceMs
}

/**
 * Watches for idleness and calls `onExpire` once when the session runs out — unless `busy()`
 * says the visitor is still working, in which case the idle time starts again.
 * `now` and the tick interval are injectable for tests.
 */
export function useIdleTimeout(
  rule: () => IdleRule,
  onExpire: () => void,
  now: () => number = () => Date.now(),
  tickMs = 250,
  busy: () => boolean = () => false,
): IdleTimer {
  const last = ref(now())
  const current = ref(now())
  const running = ref(false)
  let handle: ReturnType<typeof setInterval> | null = null

  const state = computed(() => idlePhase(rule(), last.value, current.value))
  const countdown = computed(() =>
    running.value && state.value.phase === 'warning' ? state.value.secondsLeft : null,
  )

  function tick() {
    current.value = now()
    if (running.value && state.value.phase === 'expired') {
      if (busy()) {
        activity()
        return
      }
      stop()
      onExpire()
    }
  }

  function activity() {
    last.value = now()
    current.value = last.value
  }

  function start() {
    activity()
    if (handle === null) handle = setInterval(tick, tickMs)
    running.value = true
  }

  function stop() {
    running.value = false
    if (handle !== null) clearInterval(handle)
    handle = null
  }

  if (getCurrentInstance()) onBeforeUnmount(stop)
  return { countdown, activity, start, stop, running }
}
