// Whether a press (mouse button, finger, pen) is down anywhere on the page, and a way to wait for
// its release. A change of layout the press itself causes waits for the release: a tap on
// 放弃办理 below a field makes the field's problems appear (Rust checks a field when it is left),
// the page grows, the button moves away from under the finger between press and release, and
// the tap is lost. The on-screen keyboard does the same with its closing
// (keyboardFocus.ts).

let pressed = false
let waiting: Array<() => void> = []

const onPress = () => {
  pressed = true
}

const onRelease = () => {
  pressed = false
  const released = waiting
  waiting = []
  // After the click this release completes has reached its target.
  if (released.length > 0) setTimeout(() => released.forEach((resolve) => resolve()), 0)
}

/** Follows presses on `target` (the app's document, from main.ts); returns how to stop. */
export function trackPresses(target: Document = document): () => void {
  const options = { capture: true, passive: true }
  target.addEventListener('pointerdown', onPress, options)
  target.addEventListener('pointerup', onRelease, options)
  target.addEventListener('pointercancel', onRelease, options)
  return () => {
    target.removeEventListener('pointerdown', onPress, options)
    target.removeEventListener('pointerup', onRelease, options)
    target.removeEventListener('pointercancel', onRelease, options)
    onRelease()
  }
}

/** Resolves at once when no press is down, else once it has been released and its click
 * delivered. */
export function afterRelease(): Promise<void> {
  if (!pressed) return Promise.resolve()
  return new Promise((resolve) => waiting.push(resolve))
}
