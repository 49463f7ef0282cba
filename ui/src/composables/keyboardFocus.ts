// Which field the on-screen keyboard types into: follows focus across the page (focusin /
// focusout), opens for fields that take typed text, closes when focus leaves every such field,
// and keeps the focused field above the docked keyboard by padding the page (`--osk-height`
// on <html>, class `osk-open`) and scrolling the field into the space left.
// When a press moves focus away (a tap on "登录" under the password field), the keyboard closes
// only once the press is released: closing removes the page's padding and the page moves, so
// closing at the press would move the button away from under the finger and lose the tap.
import { onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref } from 'vue'
import { padFor, type Editable, type PadKind } from '../components/keyboard/padKind'

/** Space kept between the field and the keyboard (and the top of the window). */
export const FIELD_MARGIN = 24

export function useKeyboardFocus(enabled: Ref<boolean>, keyboard: Ref<HTMLElement | null>) {
  const target = shallowRef<Editable | null>(null)
  const kind = ref<PadKind | null>(null)
  const open = ref(false)

  const insideKeyboard = (el: EventTarget | null) =>
    el instanceof Node && keyboard.value !== null && keyboard.value.contains(el)

  function follow(el: EventTarget | null) {
    if (!enabled.value || insideKeyboard(el)) return
    const pad = padFor(el)
    if (!pad) return
    target.value = el as Editable
    kind.value = pad
    open.value = true
  }

  function close(blur = false) {
    const el = target.value
    open.value = false
    target.value = null
    kind.value = null
    if (blur && el && document.activeElement === el) el.blur()
  }

  // A press (mouse button, finger, pen) is down: a close it causes waits for the release.
  let pressed = false
  let closeOnRelease = false

  /** Follows the field focus landed in, or closes when it landed outside every field. */
  function settle() {
    const active = document.activeElement
    if (insideKeyboard(active)) return
    if (padFor(active) && enabled.value) return follow(active)
    if (!open.value) return
    if (pressed) closeOnRelease = true
    else close()
  }

  const onFocusIn = (event: FocusEvent) => follow(event.target)
  // Focus moves in two steps (out, then in): look once it has landed.
  const onFocusOut = () => setTimeout(settle, 0)
  const onPointerDown = (event: PointerEvent) => {
    pressed = true
    // A tap on the field that already has focus (after the keyboard was closed) opens it again.
    if (!open.value && event.target === document.activeElement) follow(event.target)
  }
  const onPointerUp = () => {
    pressed = false
    if (!closeOnRelease) return
    closeOnRelease = false
    // After the click this release completes has reached its target.
    setTimeout(settle, 0)
  }

  /** Scrolls so the focused field sits between the top of the window and the keyboard. */
  function keepVisible() {
    const el = target.value
    if (!el || !open.value) return
    const height = keyboard.value?.getBoundingClientRect().height ?? 0
    document.documentElement.style.setProperty('--osk-height', `${Math.ceil(height)}px`)
    const box = (el.closest('.el-input, .el-textarea, .el-select') ?? el).getBoundingClientRect()
    const bottomLimit = window.innerHeight - height - FIELD_MARGIN
    if (box.bottom > bottomLimit) window.scrollBy({ top: box.bottom - bottomLimit, behavior: 'auto' })
    else if (box.top < FIELD_MARGIN) window.scrollBy({ top: box.top - FIELD_MARGIN, behavior: 'auto' })
  }

  // A field removed while focused (the next wizard step, the session wiped, another screen)
  // sends no focusout in every engine: while open, watch the page for it.
  const removal =
    typeof MutationObserver === 'undefined'
      ? null
      : new MutationObserver(() => {
          if (open.value && !target.value?.isConnected) close()
        })
  watch(open, (isOpen) => {
    document.documentElement.classList.toggle('osk-open', isOpen)
    if (isOpen) removal?.observe(document.body, { childList: true, subtree: true })
    else {
      removal?.disconnect()
      document.documentElement.style.removeProperty('--osk-height')
    }
  })
  watch(enabled, (on) => {
    if (!on) close()
    else follow(document.activeElement)
  })

  onMounted(() => {
    document.addEventListener('focusin', onFocusIn)
    document.addEventListener('focusout', onFocusOut)
    document.addEventListener('pointerdown', onPointerDown, true)
    document.addEventListener('pointerup', onPointerUp, true)
    document.addEventListener('pointercancel', onPointerUp, true)
    window.addEventListener('resize', keepVisible)
    follow(document.activeElement)
  })
  onBeforeUnmount(() => {
    removal?.disconnect()
    document.removeEventListener('focusin', onFocusIn)
    document.removeEventListener('focusout', onFocusOut)
    document.removeEventListener('pointerdown', onPointerDown, true)
    document.removeEventListener('pointerup', onPointerUp, true)
    document.removeEventListener('pointercancel', onPointerUp, true)
    window.removeEventListener('resize', keepVisible)
    close()
    document.documentElement.classList.remove('osk-open')
  })

  return { target, kind, open, close, keepVisible }
}
