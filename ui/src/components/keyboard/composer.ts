// Pinyin composing on the on-screen keyboard: the letters typed so far, the page of candidates
// Rust ranks for them, paging, and choosing — a candidate may spell only the first syllables,
// the rest stays to be converted. The engine (Rust, `ime_pinyin` / `ime_choose`) and the field
// the text goes into are passed in, so the logic is tested without either.
import { reactive } from 'vue'
import type { Chosen } from '../../bindings/Chosen'
import type { PinyinCandidate } from '../../bindings/PinyinCandidate'
import type { PinyinPage } from '../../bindings/PinyinPage'
import type { Problem } from '../../bindings/Problem'

/** The Rust engine's two calls. */
export interface PinyinEngine {
  pinyin(input: string, page: number, pageSize: number): Promise<PinyinPage>
  choose(input: string, candidate: PinyinCandidate): Promise<Chosen>
}

/** Where converted text goes (the focused field). */
export interface TextSink {
  insert(text: string): void
}

export interface ComposerState {
  /** Letters typed and not yet converted (a-z and apostrophes). */
  letters: string
  /** The candidates shown for them. */
  page: PinyinPage | null
  /** Why no candidates are shown (Rust's problem), if that is the case. */
  problem: Problem | null
}

/** The longest run of letters the keyboard keeps (Rust converts at most 64). */
export const MAX_LETTERS = 64

function problemOf(error: unknown): Problem {
  const problem = (error as { problem?: Problem })?.problem
  if (problem) return problem
  return { code: 'IME_FAILED', zh: '输入法暂时无法使用。', en: 'The input method is not available right now.' }
}

export function createComposer(engine: PinyinEngine, sink: TextSink, pageSize = 6) {
  const state = reactive<ComposerState>({ letters: '', page: null, problem: null })
  let asked = 0

  /** Asks for page `page` of the current letters; answers to older questions are dropped. */
  async function refresh(page = 0) {
    const letters = state.letters
    const question = ++asked
    if (!letters) {
      state.page = null
      state.problem = null
      return
    }
    try {
      const answer = await engine.pinyin(letters, page, pageSize)
      if (question !== asked) return
      state.page = answer
      state.problem = null
    } catch (error) {
      if (question !== asked) return
      state.page = null
      state.problem = problemOf(error)
    }
  }

  let choosing = false

  /** Chooses the candidate at `index` of the shown page. A tap is never lost: letters typed
   * while Rust answers are kept after what the candidate leaves; a second tap meanwhile (the
   * same page, already used) is ignored. */
  async function choose(index: number) {
    const candidate = state.page?.candidates[index]
    if (!candidate || choosing) return
    const letters = state.letters
    choosing = true
    try {
      const chosen = await engine.choose(letters, candidate)
      sink.insert(chosen.text)
      const typedSince = state.letters.startsWith(letters) ? state.letters.slice(letters.length) : null
      state.letters = typedSince === null ? '' : chosen.rest + typedSince
      await refresh(0)
    } catch (error) {
      state.problem = problemOf(error)
    } finally {
      choosing = false
    }
  }

  /** Drops the letters (field focus moved, keyboard closed, clear key). */
  function clear() {
    asked++
    state.letters = ''
    state.page = null
    state.problem = null
  }

  /** Enter: the letters as typed. */
  function commitLetters() {
    const text = state.letters.replace(/'/g, '')
    clear()
    if (text) sink.insert(text)
  }

  return {
    state,
    /** Whether letters wait for conversion. */
    composing: () => state.letters.length > 0,
    /** A letter (or the syllable separator `'`) was typed. */
    async type(letter: string) {
      const c = letter.toLowerCase()
      if (!/^[a-z']$/.test(c)) return
      if (c === "'" && (state.letters === '' || state.letters.endsWith("'"))) return
      if (state.letters.length >= MAX_LETTERS) return
      state.letters += c
      await refresh(0)
    },
    /** Backspace: takes back a letter; false when there was none (the field's turn). */
    async backspace(): Promise<boolean> {
      if (!state.letters) return false
      state.letters = state.letters.slice(0, -1)
      await refresh(0)
      return true
    },
    choose,
    /** Space: the first candidate, or the letters as typed when there is none. */
    async commitFirst() {
      if (state.page?.candidates.length) await choose(0)
      else commitLetters()
    },
    commitLetters,
    async nextPage() {
      if (state.page?.hasMore) await refresh(state.page.page + 1)
    },
    async previousPage() {
      if (state.page && state.page.page > 0) await refresh(state.page.page - 1)
    },
    clear,
  }
}

export type Composer = ReturnType<typeof createComposer>
