import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { SubmitReceipt } from '../bindings/SubmitReceipt'
import { commands } from '../api/commands'

/** Registration flows the kiosk offers. */
export type FlowKind = 'natural-person' | 'legal-entity'

export const FLOW_KINDS: readonly FlowKind[] = ['natural-person', 'legal-entity']

export function isFlowKind(value: unknown): value is FlowKind {
  return typeof value === 'string' && (FLOW_KINDS as readonly string[]).includes(value)
}

/** Everything one visitor's session holds. `wipe()` forgets all of it (idle timeout, end, refusal). */
export const useVisitorStore = defineStore('visitor', () => {
  const consentFor = ref<FlowKind | null>(null)
  const profile = ref<string | null>(null)
  const values = ref<Record<string, string>>({})
  // shallow: the receipt's JSON summary type is too deep for Pinia's ref unwrapping.
  const receipt = shallowRef<SubmitReceipt | null>(null)

  function consent(kind: FlowKind) {
    wipe()
    consentFor.value = kind
  }

  function wipe() {
    // The captured images live in Rust's in-memory tray: forget them too (best effort).
    void commands.captureClear().catch(() => undefined)
    consentFor.value = null
    profile.value = null
    values.value = {}
    receipt.value = null
  }

  /** The application was queued: keep only its receipt, forget what was typed. */
  function submitted(result: SubmitReceipt) {
    values.value = {}
    receipt.value = result
  }

  return { consentFor, profile, values, receipt, consent, wipe, submitted }
})
