// Pictures for the capture slots and the fake camera, made on the fly: Rust decodes, checks and
// normalises what it is given (kiosk-capture), so the flows hand it real images — a document-like
// page (paper with lines of dark strokes) that passes the quality gates, as a PNG file or as a
// Y4M clip Chromium's fake camera plays.
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Brightness of `(x, y)` on a page of lines of strokes; `seed` shifts the strokes so that two
 * pages differ (different files, different hashes). */
function pageLuma(x: number, y: number, width: number, paper: number, ink: number, seed: number): number {
  const margin = x < width / 12 || x > width - width / 12 || y < 60
  if (margin) return paper
  const line = Math.floor(y / 28) % 3 !== 2 && y % 28 < 18
  const glyph = (Math.floor(x / 14) + Math.floor(y / 28) + seed) % 5 !== 0 && x % 14 < 8
  return line && glyph ? ink : paper
}

function crc32(bytes: Buffer): number {
  let crc = ~0
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return ~crc >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A grey PNG of a document page, `width`×`height`. */
export function documentPng(seed = 0, width = 860, height = 600, paper = 226, ink = 40): Buffer {
  const rows = Buffer.alloc((width + 1) * height)
  for (let y = 0; y < height; y++) {
    rows[y * (width + 1)] = 0 // filter: none
    for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = pageLuma(x, y, width, paper, ink, seed)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 0 // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A file for a capture slot's file input: a document page as a PNG, just above the 600 px
 * short side a document slot asks for (Rust's pipeline in a debug build takes its time). */
export function documentFile(name: string, seed = 0) {
  return { name, mimeType: 'image/png', buffer: documentPng(seed) }
}

/** A photograph of an identity card as a PNG (ID slots ask for 300 px on the short side). */
export function cardFile(name: string, seed = 0) {
  return { name, mimeType: 'image/png', buffer: documentPng(seed, 480, 320) }
}

/** Writes a one-frame Y4M clip of a page for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`): `glare` makes the paper clip to white, as a card
 * under a lamp does. */
export function writeCameraClip(path: string, glare: boolean, width = 1280, height = 720): string {
  const paper = glare ? 254 : 200
  const luma = Buffer.alloc(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) luma[y * width + x] = pageLuma(x, y, width, paper, 30, 0)
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(
    path,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma]),
  )
  return path
}
