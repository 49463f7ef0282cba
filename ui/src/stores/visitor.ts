import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Captured } from '../bindings/Captured'
import type { SubmitReceipt } from '../bindings/SubmitReceipt'
import { commands } from '../api/commands'
import type { FlatValues } from '../forms/paths'

/** Flows a visitor can start (each after the consent). The platform's profile decides which
 * of them it offers; the wizard itself comes from Rust (`flow_form`). */
export type FlowKind = 'natural-person' | 'legal-entity' | 'expert' | 'real-name' | 'legacy-binding' | 'password-reset-appeal'

export const FLOW_KINDS: readonly FlowKind[] = [
  'natural-person',
  'legal-entity',
  'expert',
  'real-name',
  'legacy-binding',
  'password-reset-appeal',
]

export function isFlowKind(value: unknown): value is FlowKind {
  return typeof value === 'string' && (FLOW_KINDS as readonly string[]).includes(value)
}

/** Everything one visitor's session holds. `wipe()` forgets all of it (idle timeout, end, refusal). */
export const useVisitorStore = defineStore('visitor', () => {
  const consentFor = ref<FlowKind | null>(null)
  const profile = ref<string | null>(null)
  const values = ref<FlatValues>({})
  /** The saved draft (legal entity: its id is printed on the risk letter). */
  const draftId = ref<string | null>(null)
  /** Files waiting in the capture tray for this application. */
  const captures = ref<Captured[]>([])
  /** Display names of picked codes (division paths, ethnic groups) for the summary; never sent. */
  const labels = ref<Record<string, string>>({})
  // shallow: the receipt's JSON summary type is too deep for Pinia's ref unwrapping.
  const receipt = shallowRef<SubmitReceipt | null>(null)
  /** 长辈版 (elderly mode): the visitor's own switch; wiped with the session like the rest. */
  const elderly = ref(false)

  function consent(kind: FlowKind) {
    // Starting a flow starts a clean session, but the visitor's 长辈版 choice goes with them.
    const keepElderly = elderly.value
    wipe()
    elderly.value = keepElderly
    consentFor.value = kind
  }

  function setElderly(on: boolean) {
    elderly.value = on
  }

  function wipe() {
    // The captured images live in Rust's in-memory tray: forget them too (best effort).
    void commands.captureClear().catch(() => undefined)
    // So do the pinyin choices the keyboard learnt from this visitor.
    void commands.imeForget().catch(() => undefined)
    consentFor.value = null
    profile.value = null
    values.value = {}
    draftId.value = null
    captures.value = []
    labels.value = {}
    receipt.value = null
    elderly.value = false
  }

  /** Another platform was chosen: what was typed for the former one no longer applies. */
  function chooseProfile(id: string) {
    if (profile.value === id) return
    profile.value = id
    values.value = {}
    labels.value = {}
    draftId.value = null
  }

  function addCapture(captured: Captured) {
    captures.value = [...captures.value, captured]
  }

  /** Puts `next` in place of the captures of `slot` (what the capture panel of that slot holds). */
  function replaceSlotCaptures(slot: string, next: Captured[]) {
    captures.value = [...captures.value.filter((c) => c.slot !== slot), ...next]
  }

  function removeCapture(id: string) {
    captures.value = captures.value.filter((c) => c.id !== id)
  }

  /** The application was queued: keep only its receipt, forget what was typed. */
  function submitted(result: SubmitReceipt) {
    values.value = {}
    labels.value = {}
    captures.value = []
    draftId.value = null
    receipt.value = result
  }

  return {
    consentFor,
    profile,
    values,
    draftId,
    captures,
    labels,
    receipt,
    elderly,
    setElderly,
    consent,
    wipe,
    chooseProfile,
    addCapture,
    removeCapture,
    replaceSlotCaptures,
    submitted,
  }
})
