// Work started inside a wizard step whose answer the step's "next" must wait for. Sending,
// verifying or deferring an SMS code patches the application when Rust answers; Rust finishes
// the step with the application as it is at the tap on "next". A tap on "next" before that
// answer (a quick visitor, or a deferral while Rust re-checks a slow link) finished the step
// without the patch, and the visitor was told the mobile still needed its code.
import { computed, inject, provide, ref, type ComputedRef, type InjectionKey } from 'vue'

/** Holds the current wizard step while some work of one of its fields is under way. */
export interface StepHold {
  /** Runs `work` and holds the step until it settles (resolved or failed). */
  hold<T>(work: () => Promise<T>): Promise<T>
}

const STEP_HOLD: InjectionKey<StepHold> = Symbol('step-hold')

/** For the wizard: lets its fields hold the step; true while any of them does. */
export function provideStepHold(): ComputedRef<boolean> {
  const pending = ref(0)
  provide(STEP_HOLD, {
    async hold(work) {
      pending.value += 1
      try {
        return await work()
      } finally {
        pending.value -= 1
      }
    },
  })
  return computed(() => pending.value > 0)
}

/** For a field's actions: the wizard's hold, or none outside a wizard. */
export function useStepHold(): StepHold {
  return inject(STEP_HOLD, { hold: (work) => work() })
}
