// Staff check the capture devices on /capture-check. Chromium's fake camera plays a page under
// glare (a Y4M clip made here); every picture goes to Rust's real pipeline (decode, quality
// gates, crop, re-encode, the tray) and the QR code of a real printed risk letter is read back.
// The hall's hardware list, the scanner and the GA 467 card reader are answered by the test.
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, useRealRust } from './bridge'
import { emitEvent, ipcCalls } from './ipc-mock'
import { paper, scanOf, signInHere } from './flow-steps'
import { documentFile, writeCameraClip } from './images'
import type { Captured } from '../../src/bindings/Captured'
import type { IdCardForForm } from '../../src/bindings/IdCardForForm'
import type { ReaderList } from '../../src/bindings/ReaderList'
import type { SourcesReport } from '../../src/bindings/SourcesReport'
import type { Page } from '@playwright/test'

declare const process: { env: Record<string, string | undefined> }

const here = fileURLToPath(new URL('.', import.meta.url))
const clip = writeCameraClip(resolve(tmpdir(), 'tongban-flows-camera-glare.y4m'), true)

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${clip}`,
    ],
  },
})

const sources: SourcesReport = {
  sources: [
    { id: '/dev/video0', kind: 'camera', label: 'USB Document Camera' },
    { id: 'test:0', kind: 'scanner', label: 'Noname frontend-tester virtual device' },
    { id: '/dev/ttyUSB0', kind: 'id-card-reader', label: 'CH340 USB-serial (ttyUSB0)' },
  ],
  problems: [],
}

/** What the scanner gives (no scanner here: Rust's answer after a scan). */
const scanned: Captured = {
  id: '0193a600-0000-7000-8000-000000000003',
  slot: 'business-licence',
  fileName: 'scan-business-licence.jpg',
  mediaType: 'image/jpeg',
  sha256: 'cd'.repeat(32),
  size: 214_000,
  width: 1600,
  height: 1100,
  thumbnail: '',
  warnings: [],
}

/** What Rust answers for a card read without a form (the staff device check; no reader here). */
const card: IdCardForForm = {
  device: '/dev/ttyUSB0',
  card: {
    kind: 'resident-id',
    documentType: 'resident-id',
    name: '李*',
    number: '110***********1233',
    validFrom: '2018-06-01',
    validUntil: '2038-06-01',
  },
  photo: { available: false, problem: { code: 'ID_PHOTO_DECODER_MISSING', zh: '证件照片不可用', en: 'No photo.' } },
}

/** The serial readers Rust finds (offered for identity documents only). */
const readers: ReaderList = {
  readers: [{ path: '/dev/ttyUSB0', kind: 'usb-serial', vidPid: '1a86:7523', label: 'CH340 USB-serial (ttyUSB0)', state: 'ready' }],
  offered: true,
}

/** The card reader, answered by the test (a device, not a rule). */
const reader = {
  id_reader_list: { byArgs: ['slot'], answers: { 'id-front': readers, 'business-licence': { ...readers, offered: false }, null: readers, undefined: readers } },
  id_reader_watch_start: null,
  id_reader_watch_stop: null,
  id_reader_read: card,
}

async function openCheck(page: Page, bridge: Parameters<typeof useRealRust>[1]) {
  await useRealRust(page, bridge, { ...paper, ...reader, capture_sources: sources, capture_scan: scanned })
  await page.goto('/')
  await page.getByTestId('sign-in').click()
  await signInHere(page, 'admin')
  await page.getByTestId('tile-settings').click()
  await page.getByTestId('settings-capture-check').click()
  await expect(page.getByTestId('capture-check')).toBeVisible()
}

test('staff take a picture with the camera, see the advice, and take it again', async ({ page, bridge }) => {
  await openCheck(page, bridge)
  await expect(page.getByTestId('capture-source')).toHaveCount(3)
  await expect(page.getByTestId('capture-sources')).toContainText('USB Document Camera')
  // The fake camera plays: a live preview with the card guide over it.
  await expect.poll(() => page.getByTestId('camera-video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0)
  await expect(page.getByTestId('camera-guide')).toBeVisible()
  const take = page.getByTestId('camera-take')
  expect((await take.boundingBox())?.height, 'a large touch target').toBeGreaterThanOrEqual(48)
  await take.click()
  await expect(page.getByTestId('captured-item')).toHaveCount(1, { timeout: 30_000 })
  // Glare on the card: Rust's quality gate says so.
  await expect(page.getByTestId('captured-warning')).toContainText('避免反光')
  const [upload] = (await ipcCalls(page)).filter((c) => c.cmd === 'capture_upload')
  expect((upload.args.head as number[]).slice(0, 2), 'a JPEG frame as the raw body').toEqual([0xff, 0xd8])
  expect(upload.options?.headers).toEqual({ slot: 'id-front', 'file-name': 'id-front-camera.jpg' })
  expect((upload.result as Captured).warnings.map((w) => w.code)).toContain('QUALITY_TOO_BRIGHT')
  await page.getByTestId('camera-retake').click()
  await expect(page.getByTestId('captured-item')).toHaveCount(0)
  expect((await ipcCalls(page)).find((c) => c.cmd === 'capture_discard')?.args).toEqual({ ids: [(upload.result as Captured).id] })
})

test('staff drop a file, scan a page, read a card and the number on a signed risk letter', async ({ page, bridge }) => {
  // A legal-entity draft and its printed risk letter, as the wizard makes them.
  const application = JSON.parse(readFileSync(resolve(here, '../../../tests/fixtures/applications/tianjin-legal-entity.json'), 'utf8'))
  const draftId = await bridge.invoke<string>('draft_save', { draft: { profile: 'tianjin', kind: 'legal-entity', application } })
  const letter = await bridge.invoke<{ path: string }>('risk_letter_pdf', { draftId })
  await openCheck(page, bridge)
  await page.getByTestId('capture-check-slot').getByText('营业执照').click()
  await page.getByTestId('capture-tab-file').click()
  const licence = documentFile('营业执照.png', 5)
  await page.getByTestId('file-input').setInputFiles(licence)
  await expect(page.getByTestId('captured-item')).toHaveCount(1, { timeout: 30_000 })
  const [upload] = (await ipcCalls(page)).filter((c) => c.cmd === 'capture_upload')
  expect(upload.options?.headers).toEqual({ slot: 'business-licence', 'file-name': encodeURIComponent('营业执照.png') })
  await page.getByTestId('capture-tab-scanner').click()
  await expect(page.getByTestId('scanner-list')).toContainText('Noname frontend-tester')
  await page.getByTestId('scanner-scan').click()
  await expect(page.getByTestId('captured-item')).toHaveCount(2)
  expect((await ipcCalls(page)).find((c) => c.cmd === 'capture_scan')?.args).toEqual({ slot: 'business-licence', device: 'test:0' })
  // No reader tab for a business licence: the reader is offered for identity documents only.
  await expect(page.getByTestId('capture-tab-reader')).toHaveCount(0)
  await page.getByTestId('capture-check-slot').getByText('身份证人像面').click()
  await page.getByTestId('capture-tab-reader').click()
  await expect(page.getByTestId('id-reader-state')).toContainText('请将证件平放在读卡器上')
  // Rust's watcher reports a card: the panel reads it and shows it masked.
  await emitEvent(page, 'id-card-present', { device: '/dev/ttyUSB0', present: true })
  await expect(page.getByTestId('id-reader-number')).toHaveText('110***********1233')
  await expect(page.getByTestId('id-reader-validity')).toHaveText('2018-06-01 – 2038-06-01')
  expect((await ipcCalls(page)).find((c) => c.cmd === 'id_reader_read')?.args).toEqual({ device: null })
  await expect(page.getByTestId('capture-check')).not.toContainText('自动填写')
  // The signed letter comes back through the file tab; Rust reads its QR code.
  await page.getByTestId('capture-check-slot').getByText('风险承诺书').click()
  await page.getByTestId('capture-tab-file').click()
  await page.getByTestId('file-input').setInputFiles(scanOf(letter.path, 'signed-letter.png', 150))
  await expect(page.getByTestId('captured-item')).toHaveCount(3, { timeout: 30_000 })
  await page.getByTestId('capture-check-letter').last().click()
  await expect(page.getByTestId('capture-check-letter-result')).toContainText(draftId)
  // Leaving the screen empties the tray in Rust.
  await page.evaluate(() => (location.hash = '#/'))
  await page.getByTestId('tiles').waitFor()
  await expect.poll(async () => (await ipcCalls(page)).filter((c) => c.cmd === 'capture_clear').length).toBeGreaterThan(0)
})

test('a corrupt file is refused with the Rust advice in Chinese', async ({ page, bridge }) => {
  await openCheck(page, bridge)
  await page.getByTestId('capture-tab-file').click()
  await page.getByTestId('file-input').setInputFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x6e, 0x6f, 0x74]) })
  await expect(page.getByTestId('capture-problem')).toBeVisible({ timeout: 30_000 })
  const refused = (await ipcCalls(page)).find((c) => c.cmd === 'capture_upload')?.error
  expect(refused?.code).toMatch(/^CAPTURE_/)
  await expect(page.getByTestId('capture-problem')).toContainText(refused?.zh.slice(0, 8) ?? '?')
  await expect(page.getByTestId('captured-item')).toHaveCount(0)
})
