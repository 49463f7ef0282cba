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

/** The file picker's `accept` list when the slot's media types are not known: images. */
export const IMAGE_ACCEPT = 'image/jpeg,image/png,image/webp,image/tiff,.heic,.heif'

const DOCUMENT_ACCEPT: Record<string, string> = {
  'application/pdf': 'application/pdf,.pdf',
  'application/msword': 'application/msword,.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document,.docx',
}

/** The file picker's `accept` list for a slot's media types (from the profile Rust serves):
 * images in every format Rust reads when it takes JPG or PNG, plus its document types by media
 * type and extension (USB sticks often give files no type). Only a hint to the picker: Rust
 * checks every file's content. */
export function acceptFor(mediaTypes: readonly string[] | null | undefined): string {
  if (!mediaTypes?.length) return IMAGE_ACCEPT
  const parts: string[] = []
  if (mediaTypes.some((t) => t === 'image/jpeg' || t === 'image/png')) parts.push(IMAGE_ACCEPT)
  for (const t of mediaTypes) if (DOCUMENT_ACCEPT[t]) parts.push(DOCUMENT_ACCEPT[t])
  return parts.join(',') || IMAGE_ACCEPT
}

/** Whether the slot takes documents (PDF or Word) besides images. */
export function takesDocuments(mediaTypes: readonly string[] | null | undefined): boolean {
  return (mediaTypes ?? []).some((t) => t in DOCUMENT_ACCEPT)
}

/** The dropped or chosen files to hand to Rust: at most `room` of them. Every one goes (Rust
 * answers a file it does not take with the formats the slot accepts), none is dropped silently. */
export function chosenFiles(files: readonly File[], room: number): File[] {
  return files.slice(0, Math.max(0, room))
}

/** How a captured file is shown: a picture (its thumbnail), or a PDF or Word icon. */
export type CapturedLook = 'image' | 'pdf' | 'word'

/** The look of a captured file, from the media type Rust stored it under. */
export function capturedLook(item: Pick<Captured, 'mediaType'>): CapturedLook {
  if (item.mediaType === 'application/pdf') return 'pdf'
  if (item.mediaType.startsWith('image/')) return 'image'
  return 'word'
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
