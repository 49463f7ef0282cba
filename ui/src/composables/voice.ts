// Voice guidance in the web view: the screen on top says which step it shows (`useSpokenStep`);
// the header's speaker button reads it aloud, and in 长辈版 it is read by itself whenever the
// step changes. What is said is composed and spoken in Rust (`voice_speak`: the step's prompts,
// never what the visitor typed); this file only plays the WAV Rust returns.
import { onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref } from 'vue'
import { commands } from '../api/commands'
import type { SpokenStep } from '../bindings/SpokenStep'
import { problemOf } from '../stores/staff'
import type { Problem } from '../bindings/Problem'

/** Which registration wins: a screen, a part of it (one question), a prompt over it. */
export const SPOKEN_SCREEN = 0
export const SPOKEN_PART = 1
export const SPOKEN_PROMPT = 2

/** The screens that registered a step; the highest layer (then the latest) is on top. */
const registered = shallowRef<{ id: number; layer: number; step: () => SpokenStep | null }[]>([])
let nextId = 0

/** The step to read now: the top registration's that has one, or null (nothing to read). */
export function currentSpokenStep(): SpokenStep | null {
  const order = [...registered.value].sort((a, b) => b.layer - a.layer || b.id - a.id)
  for (const r of order) {
    const step = r.step()
    if (step) return step
  }
  return null
}

/** A screen says which step it shows while it is mounted (`layer`: see SPOKEN_*). */
export function useSpokenStep(step: () => SpokenStep | null, layer = SPOKEN_SCREEN) {
  const id = nextId++
  onMounted(() => (registered.value = [...registered.value, { id, layer, step }]))
  onBeforeUnmount(() => (registered.value = registered.value.filter((r) => r.id !== id)))
}

/** Reactive key of the step on top, so a watcher can tell when another step opened. */
export function spokenStepKey(): string {
  const step = currentSpokenStep()
  return step ? JSON.stringify(step) : ''
}

/** What the player last did, for the screen (caption) and the tests (timing). */
export interface VoiceState {
  /** The words being said (a caption), or null when quiet. */
  caption: Ref<string | null>
  /** Reading is being prepared or played. */
  busy: Ref<boolean>
  /** The last failure (engine missing…), shown next to the button. */
  problem: Ref<Problem | null>
  /** Milliseconds from the request to the first audible sample of the last reading (the
   * sound was scheduled at `start` + the WAV's leading silence). */
  lastTapToAudioMs: Ref<number | null>
}

const caption = ref<string | null>(null)
const busy = ref(false)
const problem = ref<Problem | null>(null)
const lastTapToAudioMs = ref<number | null>(null)
let context: AudioContext | null = null
let playing: AudioBufferSourceNode | null = null
let generation = 0

function decodeBase64(text: string): ArrayBuffer {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes.buffer
}

/** Stops what is being read. */
export function stopSpeaking() {
  generation++
  try {
    playing?.stop()
  } catch {
    // already ended
  }
  playing = null
  caption.value = null
  busy.value = false
}

/** Reads `step` aloud (Rust speaks it; the web view plays the WAV through Web Audio). */
export async function speak(step: SpokenStep, options: { english: boolean; slow: boolean }) {
  stopSpeaking()
  const mine = generation
  const tapped = performance.now()
  busy.value = true
  problem.value = null
  try {
    // Created on the visitor's tap (browsers allow sound after a gesture).
    context ??= new AudioContext()
    if (context.state === 'suspended') await context.resume().catch(() => undefined)
    const spoken = await commands.voiceSpeak({ step, language: options.english ? 'english' : 'mandarin', slow: options.slow })
    if (mine !== generation) return
    const buffer = await context.decodeAudioData(decodeBase64(spoken.wavBase64))
    if (mine !== generation) return
    const source = context.createBufferSource()
    source.buffer = buffer
    source.connect(context.destination)
    source.onended = () => {
      if (mine === generation) {
        caption.value = null
        busy.value = false
        playing = null
      }
    }
    playing = source
    source.start()
    lastTapToAudioMs.value = Math.round(performance.now() - tapped + spoken.leadingSilenceMs)
    caption.value = spoken.text
    ;(window as unknown as { __voiceLast?: unknown }).__voiceLast = {
      text: spoken.text,
      durationMs: spoken.durationMs,
      synthesisMs: spoken.synthesisMs,
      tapToAudioMs: lastTapToAudioMs.value,
    }
  } catch (error) {
    if (mine !== generation) return
    problem.value = problemOf(error)
    busy.value = false
    caption.value = null
  }
}

/** The player's state. */
export function useVoice(): VoiceState {
  return { caption, busy, problem, lastTapToAudioMs }
}

/** In 长辈版 every newly opened step is read by itself (after a short pause, so a step that
 * is passed through at once is not read). */
export function useAutoSpeak(enabled: () => boolean, options: () => { english: boolean; slow: boolean }) {
  let timer: ReturnType<typeof setTimeout> | null = null
  watch(
    () => (enabled() ? spokenStepKey() : ''),
    (key) => {
      if (timer) clearTimeout(timer)
      if (!key) return
      // Another step opened: what was being read belongs to the last one.
      if (busy.value) stopSpeaking()
      const scheduled = generation
      timer = setTimeout(() => {
        // The visitor tapped 朗读 (or stopped it) meanwhile: theirs wins.
        if (generation !== scheduled) return
        const step = currentSpokenStep()
        if (step && enabled()) void speak(step, options())
      }, 400)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => timer && clearTimeout(timer))
}
