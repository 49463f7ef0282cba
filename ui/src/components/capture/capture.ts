// Logic of the capture panel that does not need a DOM: kept here so it is unit-tested.
import type { Captured } from '../../bindings/Captured'
import type { Problem } from '../../bindings/Problem'
import type { SourceInfo } from '../../bindings/SourceInfo'

/** The ways an image can come in. */
export type SourceTab = 'camera' | 'scanner' | 'file' | 'reader'

export const SOURCE_TABS: readonly SourceTab[] = ['camera', 'scanner', 'file', 'reader']

/** Width / height of an ID-1 card (85.6 mm × 53.98 mm): the resident ID card, bank cards. */
export const CARD_ASPECT = 85.6 / 53.98

/** Largest file the webview reads into memory before handing it to Rust. Rust applies the
 * real limits (and says so in both languages); this only keeps a huge file off the heap. */
export const TRANSPORT_LIMIT_BYTES = 64 * 1024 * 1024

/** The message of a Rust `Problem` in the current language. */
export function problemText(problem: Problem, locale: string): string {
  return locale === 'en' ? problem.en : problem.zh
}

/** How many more images the slot takes. */
export function roomLeft(list: readonly Captured[], maxFiles: number): number {
  return Math.max(0, maxFiles - list.length)
}

/** The frame guide for a card in a `width` × `height` preview: centred, 80 % of the width
 * (or 80 % of the height when the preview is narrow), with the card's proportions. In percent
 * of the preview, ready for CSS. */
export function cardGuide(width: number, height: number): { left: number; top: number; width: number; height: number } {
  if (width <= 0 || height <= 0) return { left: 10, top: 10, width: 80, height: 80 }
  let w = width * 0.8
  let h = w / CARD_ASPECT
  if (h > height * 0.8) {
    h = height * 0.8
    w = h * CARD_ASPECT
  }
  const pct = (v: number, of: number) => Math.round((v / of) * 1000) / 10
  return { left: pct((width - w) / 2, width), top: pct((height - h) / 2, height), width: pct(w, width), height: pct(h, height) }
}

/** i18n key explaining why the camera could not start, from the `getUserMedia` error. */
export function cameraErrorKey(error: unknown): string {
  const name = typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'capture.camera.denied'
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'capture.camera.missing'
    case 'NotReadableError':
    case 'AbortError':
      return 'capture.camera.busy'
    default:
      return 'capture.camera.failed'
  }
}

/** The scanners among the sources Rust lists, in its order. */
export function scannersOf(sources: readonly SourceInfo[]): SourceInfo[] {
  return sources.filter((s) => s.kind === 'scanner')
}

/** Image files among dropped or chosen files (by type, or by extension when the type is empty
 * as for some USB sticks); at most `room` of them. */
export function imageFiles(files: readonly File[], room: number): File[] {
  const looksLikeImage = (f: File) =>
    f.type.startsWith('image/') || /\.(jpe?g|png|webp|tiff?|heic|heif)$/i.test(f.name)
  return files.filter(looksLikeImage).slice(0, Math.max(0, room))
}

/** A file's bytes, for the raw IPC body. */
export async function fileBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer())
}

/** The current video frame as JPEG bytes (the camera's full resolution). */
export async function frameFromVideo(video: HTMLVideoElement): Promise<Uint8Array> {
  const canvas = document.createElement('canvas')
  canvas.width = video.videoWidth
  canvas.height = video.videoHeight
  const context = canvas.getContext('2d')
  if (!context) throw new Error('no 2d canvas')
  context.drawImage(video, 0, 0, canvas.width, canvas.height)
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92))
  if (!blob) throw new Error('the frame could not be encoded')
  return fileBytes(blob)
}
