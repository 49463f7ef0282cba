// Which pad the on-screen keyboard opens for a focused element, read from its attributes:
// `data-osk` first (`text`, `latin`, `password`, `idnumber`, `phone`, `digits`, `none`), then
// the input's type and `inputmode`. The wizard sets `data-osk` from the field (see
// `keyboardFor` in views/flows/wizard.ts); other inputs get a sensible default.

/** The pads: full keyboard with Chinese input (`text`), the same starting in English
 * (`latin`: e-mail, account names, codes), letters without candidates (`password`), digits and
 * X (`idnumber`), digits and + (`phone`), digits only (`digits`). */
export type PadKind = 'text' | 'latin' | 'password' | 'idnumber' | 'phone' | 'digits'

const KINDS: readonly PadKind[] = ['text', 'latin', 'password', 'idnumber', 'phone', 'digits']

/** Input types that take typed text; others (date, checkbox, file...) get no keyboard. */
const TYPED = ['text', 'search', 'password', 'email', 'url', 'tel', 'number', '']

/** An element the keyboard can type into. */
export type Editable = HTMLInputElement | HTMLTextAreaElement

export function isEditable(el: EventTarget | null): el is Editable {
  if (el instanceof HTMLTextAreaElement) return !el.disabled && !el.readOnly
  if (el instanceof HTMLInputElement) return !el.disabled && !el.readOnly && TYPED.includes(el.type)
  return false
}

/** The pad for `el`, or null when the keyboard should stay closed for it. */
export function padFor(el: EventTarget | null): PadKind | null {
  if (!isEditable(el)) return null
  // Date pickers have their own calendar.
  if (el.closest('.el-date-editor, [data-osk-none]')) return null
  const asked = el.getAttribute('data-osk')
  if (asked === 'none') return null
  if (asked && (KINDS as readonly string[]).includes(asked)) return asked as PadKind
  if (el instanceof HTMLInputElement) {
    if (el.type === 'password') return 'password'
    if (el.type === 'email' || el.type === 'url') return 'latin'
    if (el.type === 'tel') return 'phone'
    if (el.type === 'number') return 'digits'
  }
  const mode = el.getAttribute('inputmode')
  if (mode === 'numeric' || mode === 'decimal') return 'digits'
  if (mode === 'tel') return 'phone'
  if (mode === 'email' || mode === 'url') return 'latin'
  return 'text'
}

/** Whether `kind` is one of the small number pads. */
export function isNumberPad(kind: PadKind): boolean {
  return kind === 'idnumber' || kind === 'phone' || kind === 'digits'
}
