// Editing a text field the way a keyboard does, as pure functions over its value and
// selection, plus the one DOM step that writes the result back (value, caret, `input` event —
// which Element Plus' el-input listens to, so v-model follows).

/** A field's text and selection (`start` = `end` is a caret). */
export interface FieldText {
  value: string
  start: number
  end: number
}

/** What keys a pad may type: every character, or only those the pad shows. */
export type CharFilter = (current: FieldText, text: string) => string

/** Replaces the selection with `text` (cut to `maxLength` characters in all, when given). */
export function insertText(field: FieldText, text: string, maxLength?: number): FieldText {
  const { value } = field
  const start = clamp(field.start, 0, value.length)
  const end = clamp(Math.max(field.end, start), 0, value.length)
  let inserted = text
  if (maxLength !== undefined && maxLength >= 0) {
    const room = Math.max(0, maxLength - (value.length - (end - start)))
    inserted = Array.from(inserted).slice(0, room).join('')
  }
  const next = value.slice(0, start) + inserted + value.slice(end)
  const caret = start + inserted.length
  return { value: next, start: caret, end: caret }
}

/** Deletes the selection, or the character before the caret (a whole surrogate pair). */
export function deleteBackward(field: FieldText): FieldText {
  const { value } = field
  const start = clamp(field.start, 0, value.length)
  const end = clamp(Math.max(field.end, start), 0, value.length)
  if (end > start) return { value: value.slice(0, start) + value.slice(end), start, end: start }
  if (start === 0) return { value, start: 0, end: 0 }
  const before = value.slice(0, start)
  const width = /[\uDC00-\uDFFF]$/.test(before) && before.length >= 2 ? 2 : 1
  const caret = start - width
  return { value: value.slice(0, caret) + value.slice(start), start: caret, end: caret }
}

/** Empties the field. */
export function clearText(): FieldText {
  return { value: '', start: 0, end: 0 }
}

/** Keeps what an ID-number pad types: digits, and X (a typed x becomes X). */
export const idNumberChars: CharFilter = (_current, text) => text.toUpperCase().replace(/[^0-9X]/g, '')

/** Keeps digits only (SMS codes, numeric fields). */
export const digitChars: CharFilter = (_current, text) => text.replace(/[^0-9]/g, '')

/** Keeps what a phone pad types: digits, and `+` only as the very first character. */
export const phoneChars: CharFilter = (current, text) => {
  let out = ''
  for (const c of text) {
    if (/[0-9]/.test(c)) out += c
    else if (c === '+' && current.start === 0 && out === '' && !current.value.slice(current.end).startsWith('+')) out += c
  }
  return out
}

/** Keeps everything. */
export const anyChars: CharFilter = (_current, text) => text

function clamp(n: number, low: number, high: number) {
  return Math.min(Math.max(n, low), high)
}

/** The text and selection of an input or textarea. */
export function readField(el: HTMLInputElement | HTMLTextAreaElement): FieldText {
  const value = el.value
  let start = value.length
  let end = value.length
  try {
    // `selectionStart` is null (or throws) for input types without a selection (email, number).
    if (el.selectionStart !== null && el.selectionEnd !== null) {
      start = el.selectionStart
      end = el.selectionEnd
    }
  } catch {
    /* the caret stays at the end */
  }
  return { value, start, end }
}

/** Writes `next` into the element and tells the framework, as typing would. */
export function writeField(el: HTMLInputElement | HTMLTextAreaElement, next: FieldText) {
  if (el.value !== next.value) {
    el.value = next.value
    el.dispatchEvent(new Event('input', { bubbles: true }))
  }
  try {
    el.setSelectionRange(next.start, next.end)
  } catch {
    /* input types without a selection */
  }
}

/** The element's `maxlength`, when it sets one. */
export function maxLengthOf(el: HTMLInputElement | HTMLTextAreaElement): number | undefined {
  return el.maxLength > 0 ? el.maxLength : undefined
}
