// Staff check the capture devices on /capture-check: Chromium's fake camera feeds the live
// preview; the Rust side (normalising, the tray, SANE, the card reader) is mocked over IPC.
import { test, expect, type Page } from '@playwright/test'
import { admin, counterAnswers, signIn } from './fixtures'
import type { Captured } from '../../src/bindings/Captured'
import type { IdCardForForm } from '../../src/bindings/IdCardForForm'
import type { ReaderList } from '../../src/bindings/ReaderList'
import type { SourcesReport } from '../../src/bindings/SourcesReport'

declare const process: { env: Record<string, string | undefined> }

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
    ],
  },
})

// A 1×1 JPEG stands in for Rust's thumbnail.
const thumbnail =
  'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q=='

const fromCamera: Captured = {
  id: '0193a600-0000-7000-8000-000000000001',
  slot: 'id-front',
  fileName: 'id-front-camera.jpg',
  mediaType: 'image/jpeg',
  sha256: 'cd'.repeat(32),
  size: 214_000,
  width: 1600,
  height: 900,
  thumbnail,
  warnings: [
    {
      code: 'QUALITY_TOO_BRIGHT',
      zh: '图片过亮或有反光。请将证件放平并避免反光，关闭闪光灯后重新拍摄。',
      en: 'The image is too bright or has glare.',
    },
  ],
}

const fromFile: Captured = { ...fromCamera, id: '0193a600-0000-7000-8000-000000000002', fileName: '营业执照.jpg', warnings: [] }

const scanned: Captured = { ...fromFile, id: '0193a600-0000-7000-8000-000000000003', fileName: 'scan-business-licence.jpg' }

const sources: SourcesReport = {
  sources: [
    { id: '/dev/video0', kind: 'camera', label: 'USB Document Camera' },
    { id: 'test:0', kind: 'scanner', label: 'Noname frontend-tester virtual device' },
    { id: '/dev/ttyUSB0', kind: 'id-card-reader', label: 'CH340 USB-serial (ttyUSB0)' },
  ],
  problems: [],
}

// What Rust answers for a card read without a form (the staff device check).
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

const readers: ReaderList = {
  readers: [{ path: '/dev/ttyUSB0', kind: 'usb-serial', vidPid: '1a86:7523', label: 'CH340 USB-serial (ttyUSB0)', state: 'ready' }],
  offered: true,
}

type Call = { cmd: string; args: unknown; options?: { headers?: Record<string, string> } }

async function calls(page: Page, cmd: string): Promise<Call[]> {
  return page.evaluate(
    (cmd) =>
      (window as unknown as { __IPC_CALLS__: Call[] }).__IPC_CALLS__
        .filter((c) => c.cmd === cmd)
        .map((c) => ({
          cmd: c.cmd,
          // Raw bodies: only their length and first bytes cross back.
          args: c.args instanceof Uint8Array ? { length: c.args.length, head: Array.from(c.args.slice(0, 2)) } : c.args,
          options: c.options,
        })),
    cmd,
  )
}

/** Hands `bytes` to the panel as a file, either chosen in the file dialog or dropped on it. */
async function giveFile(page: Page, how: 'choose' | 'drop', name: string, bytes: number[]) {
  await page.getByTestId(how === 'choose' ? 'file-input' : 'file-drop').evaluate(
    (element, [how, name, bytes]) => {
      const files = new DataTransfer()
      files.items.add(new File([new Uint8Array(bytes as number[])], name as string, { type: 'image/jpeg' }))
      if (how === 'choose') {
        ;(element as HTMLInputElement).files = files.files
        element.dispatchEvent(new Event('change', { bubbles: true }))
      } else {
        element.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }))
      }
    },
    [how, name, bytes] as const,
  )
}

async function openCheck(page: Page, extra: Record<string, unknown> = {}) {
  await signIn(
    page,
    counterAnswers({
      staff_login: admin,
      capture_sources: sources,
      capture_upload: { sequence: [fromCamera, fromFile] },
      capture_discard: null,
      capture_clear: null,
      capture_scan: scanned,
      id_reader_list: { byArgs: ['slot'], answers: { 'id-front': readers, 'business-licence': { ...readers, offered: false }, null: readers } },
      id_reader_watch_start: null,
      id_reader_watch_stop: null,
      id_reader_read: card,
      signed_letter_application: '0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11',
      ...extra,
    }),
  )
  await page.getByTestId('tile-settings').click()
  await page.getByTestId('settings-capture-check').click()
  await expect(page.getByTestId('capture-check')).toBeVisible()
}

test('staff take a picture with the camera, see the advice, and take it again', async ({ page }) => {
  await openCheck(page)
  await expect(page.getByTestId('capture-source')).toHaveCount(3)
  await expect(page.getByTestId('capture-sources')).toContainText('USB Document Camera')
  // The fake camera plays: a live preview with the card guide over it.
  await expect
    .poll(() => page.getByTestId('camera-video').evaluate((v: HTMLVideoElement) => v.videoWidth))
    .toBeGreaterThan(0)
  await expect(page.getByTestId('camera-guide')).toBeVisible()
  const take = page.getByTestId('camera-take')
  expect((await take.boundingBox())?.height, 'a large touch target').toBeGreaterThanOrEqual(48)
  await take.click()
  await expect(page.getByTestId('captured-item')).toHaveCount(1)
  await expect(page.getByTestId('captured-warning')).toContainText('避免反光')
  const [upload] = await calls(page, 'capture_upload')
  expect(upload.args, 'a JPEG frame as the raw body').toMatchObject({ head: [0xff, 0xd8] })
  expect(upload.options?.headers).toEqual({ slot: 'id-front', 'file-name': 'id-front-camera.jpg' })
  await page.screenshot({ path: 'test-results/capture-check.png', fullPage: true })
  await page.getByTestId('camera-retake').click()
  await expect(page.getByTestId('captured-item')).toHaveCount(0)
  expect((await calls(page, 'capture_discard'))[0].args).toEqual({ ids: [fromCamera.id] })
})

test('staff drop a file, scan a page, read a card and the letter code', async ({ page }) => {
  await openCheck(page, { capture_upload: fromFile })
  await page.getByTestId('capture-check-slot').getByText('营业执照').click()
  await page.getByTestId('capture-tab-file').click()
  await giveFile(page, 'drop', '营业执照.jpg', [0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xd9])
  await expect(page.getByTestId('captured-item')).toHaveCount(1)
  const [upload] = await calls(page, 'capture_upload')
  expect(upload.options?.headers).toEqual({
    slot: 'business-licence',
    'file-name': encodeURIComponent('营业执照.jpg'),
  })
  await page.getByTestId('capture-tab-scanner').click()
  await expect(page.getByTestId('scanner-list')).toContainText('Noname frontend-tester')
  await page.getByTestId('scanner-scan').click()
  await expect(page.getByTestId('captured-item')).toHaveCount(2)
  expect((await calls(page, 'capture_scan'))[0].args).toEqual({ slot: 'business-licence', device: 'test:0' })
  // No reader tab for a business licence: the reader is offered for identity documents only.
  await expect(page.getByTestId('capture-tab-reader')).toHaveCount(0)
  await page.getByTestId('capture-check-slot').getByText('身份证人像面').click()
  await page.getByTestId('capture-tab-reader').click()
  await expect(page.getByTestId('id-reader-state')).toContainText('请将证件平放在读卡器上')
  // Rust's watcher reports a card: the panel reads it and shows it masked.
  await page.evaluate(() =>
    (window as unknown as { __EMIT__: (e: string, p: unknown) => void }).__EMIT__('id-card-present', {
      device: '/dev/ttyUSB0',
      present: true,
    }),
  )
  await expect(page.getByTestId('id-reader-number')).toHaveText('110***********1233')
  await expect(page.getByTestId('id-reader-validity')).toHaveText('2018-06-01 – 2038-06-01')
  expect((await calls(page, 'id_reader_read'))[0].args).toEqual({ device: null })
  await expect(page.getByTestId('capture-check')).not.toContainText('自动填写')
  await page.getByTestId('capture-check-letter').first().click()
  await expect(page.getByTestId('capture-check-letter-result')).toContainText('0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11')
  // Leaving the screen empties the tray in Rust.
  await page.evaluate(() => (location.hash = '#/'))
  await page.getByTestId('tiles').waitFor()
  await expect.poll(async () => (await calls(page, 'capture_clear')).length).toBeGreaterThan(0)
})

test('a corrupt file is refused with the Rust advice in Chinese', async ({ page }) => {
  await openCheck(page, {
    capture_upload: {
      error: {
        code: 'CAPTURE_CORRUPT_IMAGE',
        zh: '图片文件已损坏或不完整。请重新拍摄或重新复制文件后再试。',
        en: 'The image file is damaged or incomplete.',
      },
    },
  })
  await page.getByTestId('capture-tab-file').click()
  await giveFile(page, 'choose', 'broken.jpg', [0x6e, 0x6f, 0x74])
  await expect(page.getByTestId('capture-problem')).toContainText('图片文件已损坏')
  await expect(page.getByTestId('captured-item')).toHaveCount(0)
})
