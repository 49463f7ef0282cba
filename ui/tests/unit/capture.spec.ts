import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import CapturePanel from '../../src/components/capture/CapturePanel.vue'
import {
  CARD_ASPECT,
  IMAGE_ACCEPT,
  acceptFor,
  cameraErrorKey,
  capturedLook,
  cardGuide,
  chosenFiles,
  roomLeft,
  takesDocuments,
} from '../../src/components/capture/capture'
import { createKioskI18n } from '../../src/i18n'
import type { Captured } from '../../src/bindings/Captured'

const captured = (id: string): Captured => ({
  id,
  slot: 'id-front',
  fileName: '正面.jpg',
  mediaType: 'image/jpeg',
  sha256: 'ab'.repeat(32),
  size: 182_000,
  width: 1600,
  height: 1009,
  thumbnail: 'data:image/jpeg;base64,AAAA',
  warnings: [{ code: 'QUALITY_BLURRY', zh: '图片模糊。请保持证件和设备稳定。', en: 'The image is blurry.' }],
})

describe('capture logic', () => {
  it('the frame guide has the ID card proportions and stays inside the preview', () => {
    for (const [w, h] of [[1920, 1080], [640, 480], [480, 800]]) {
      const g = cardGuide(w, h)
      expect((g.width * w) / (g.height * h), `${w}x${h}`).toBeCloseTo(CARD_ASPECT, 1)
      expect(g.left + g.width).toBeLessThanOrEqual(100)
      expect(g.top + g.height).toBeLessThanOrEqual(100)
      expect(g.left).toBeCloseTo(100 - g.left - g.width, 0)
    }
  })

  it('camera failures map to advice a person can act on', () => {
    expect(cameraErrorKey({ name: 'NotAllowedError' })).toBe('capture.camera.denied')
    expect(cameraErrorKey({ name: 'NotFoundError' })).toBe('capture.camera.missing')
    expect(cameraErrorKey({ name: 'NotReadableError' })).toBe('capture.camera.busy')
    expect(cameraErrorKey(new Error('x'))).toBe('capture.camera.failed')
  })

  it('every chosen file goes to Rust, no more than the slot has room for', () => {
    const files = [
      new File(['a'], 'a.jpg', { type: 'image/jpeg' }),
      new File(['b'], 'notes.txt', { type: 'text/plain' }),
      new File(['c'], 'IMG_0001.HEIC', { type: '' }),
    ]
    expect(chosenFiles(files, 2).map((f) => f.name), 'Rust answers the .txt with what the slot takes').toEqual(['a.jpg', 'notes.txt'])
    expect(chosenFiles(files, 0)).toEqual([])
    expect(roomLeft([captured('1')], 2)).toBe(1)
    expect(roomLeft([captured('1'), captured('2')], 1)).toBe(0)
  })

  it("the picker offers the slot's types: images, and PDF or Word where the profile takes them", () => {
    expect(acceptFor(null)).toBe(IMAGE_ACCEPT)
    expect(acceptFor(['image/jpeg', 'image/png'])).toBe(IMAGE_ACCEPT)
    const tianjin = acceptFor([
      'application/pdf',
      'image/jpeg',
      'image/png',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ])
    for (const part of ['image/jpeg', '.pdf', 'application/msword', '.doc', '.docx']) expect(tianjin.split(',')).toContain(part)
    expect(takesDocuments(['application/pdf', 'image/jpeg'])).toBe(true)
    expect(takesDocuments(['image/jpeg'])).toBe(false)
  })

  it('a captured file looks like its stored type', () => {
    expect(capturedLook({ mediaType: 'image/jpeg' })).toBe('image')
    expect(capturedLook({ mediaType: 'application/pdf' })).toBe('pdf')
    expect(capturedLook({ mediaType: 'application/msword' })).toBe('word')
    expect(capturedLook({ mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).toBe('word')
  })
})

describe('capture panel', () => {
  beforeEach(() => {
    clearMocks()
    setActivePinia(createPinia())
  })

  function mountPanel(props: Record<string, unknown> = {}) {
    return mount(CapturePanel, {
      props: { slot: 'id-front', label: '身份证人像面', maxFiles: 2, modelValue: [], ...props },
      global: { plugins: [createKioskI18n(), ElementPlus] },
    })
  }

  it('a chosen file goes to Rust as raw bytes and comes back as a thumbnail with its warning', async () => {
    const calls: { cmd: string; payload: unknown }[] = []
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload })
      if (cmd === 'capture_upload') return captured('c1')
      if (cmd === 'capture_discard') return null
      throw new Error(`unexpected ${cmd}`)
    })
    const wrapper = mountPanel({ sources: ['file'] })
    const input = wrapper.get('[data-test="file-input"]')
    const file = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], '身份证.jpg', { type: 'image/jpeg' })
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    await flushPromises()
    const upload = calls.find((c) => c.cmd === 'capture_upload')
    expect(upload?.payload, 'the raw body, not a JSON array').toBeInstanceOf(Uint8Array)
    expect(Array.from(upload?.payload as Uint8Array)).toEqual([0xff, 0xd8, 0xff, 0xd9])
    const emitted = wrapper.emitted('update:modelValue')
    expect(emitted?.at(-1)?.[0]).toEqual([captured('c1')])
    await wrapper.setProps({ modelValue: emitted?.at(-1)?.[0] as Captured[] })
    expect(wrapper.get('[data-test="captured-thumb"]').attributes('src')).toBe('data:image/jpeg;base64,AAAA')
    expect(wrapper.get('[data-test="captured-warning"]').text()).toContain('图片模糊')
    await wrapper.get('[data-test="captured-remove"]').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.cmd === 'capture_discard')?.payload).toEqual({ ids: ['c1'] })
    expect(wrapper.emitted('update:modelValue')?.at(-1)?.[0]).toEqual([])
  })

  it('a PDF goes with its profile and kind and is listed with its first page; a Word file with an icon', async () => {
    const headers: unknown[] = []
    const pdf: Captured = {
      ...captured('p1'),
      slot: 'business-licence',
      fileName: '营业执照.pdf',
      mediaType: 'application/pdf',
      width: 0,
      height: 0,
      pages: 3,
      thumbnail: 'data:image/jpeg;base64,UERG',
      warnings: [],
    }
    const word: Captured = {
      ...pdf,
      id: 'w1',
      fileName: '承诺书.docx',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      pages: undefined,
      thumbnail: '',
      size: 2_400_000,
    }
    mockIPC((cmd) => {
      if (cmd === 'capture_upload') return pdf
      throw new Error(`unexpected ${cmd}`)
    })
    const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: (...a: unknown[]) => unknown } }).__TAURI_INTERNALS__
    const inner = internals.invoke
    internals.invoke = (cmd: unknown, args: unknown, options: unknown) => {
      headers.push((options as { headers?: unknown } | undefined)?.headers)
      return inner(cmd, args, options)
    }
    const wrapper = mountPanel({
      slot: 'business-licence',
      sources: ['file'],
      maxFiles: 10,
      mediaTypes: ['application/pdf', 'image/jpeg', 'application/msword'],
      flow: { profile: 'tianjin', kind: 'legal-entity' },
    })
    expect(wrapper.get('[data-test="file-input"]').attributes('accept')).toContain('.pdf')
    expect(wrapper.get('[data-test="file-hint"]').text()).toContain('Word')
    const input = wrapper.get('[data-test="file-input"]')
    Object.defineProperty(input.element, 'files', { value: [new File(['%PDF-'], '营业执照.pdf', { type: 'application/pdf' })] })
    await input.trigger('change')
    await flushPromises()
    expect(headers[0]).toMatchObject({ slot: 'business-licence', profile: 'tianjin', kind: 'legal-entity' })
    await wrapper.setProps({ modelValue: [pdf, word] })
    const items = wrapper.findAll('[data-test="captured-item"]')
    expect(items[0].get('[data-test="captured-thumb"]').attributes('src')).toBe('data:image/jpeg;base64,UERG')
    expect(items[0].get('[data-test="captured-meta"]').text()).toContain('3 页')
    expect(items[1].find('[data-test="captured-thumb"]').exists()).toBe(false)
    expect(items[1].get('[data-test="captured-icon"]').text()).toBe('W')
    expect(items[1].get('[data-test="captured-name"]').text()).toBe('承诺书.docx')
    expect(items[1].get('[data-test="captured-meta"]').text()).toContain('2.3 MB')
  })

  it('a PDF without a preview shows an icon and says why', async () => {
    mockIPC(() => null)
    const pdf: Captured = {
      ...captured('p2'),
      fileName: 'a.pdf',
      mediaType: 'application/pdf',
      thumbnail: '',
      warnings: [],
      previewProblem: { code: 'PREVIEW_FAILED', zh: '文件已收到，但无法生成首页预览。', en: 'No preview.' },
    }
    const wrapper = mountPanel({ sources: ['file'], modelValue: [pdf] })
    expect(wrapper.get('[data-test="captured-icon"]').text()).toBe('PDF')
    expect(wrapper.get('[data-test="captured-no-preview"]').text()).toContain('无法生成首页预览')
  })

  it('a refusal from Rust is shown in the current language and nothing is added', async () => {
    mockIPC((cmd) => {
      if (cmd === 'capture_upload') {
        throw { code: 'QUALITY_TOO_DARK', zh: '图片太暗。请打开补光灯。', en: 'The image is too dark.' }
      }
      throw new Error(`unexpected ${cmd}`)
    })
    const wrapper = mountPanel({ sources: ['file'] })
    const input = wrapper.get('[data-test="file-input"]')
    Object.defineProperty(input.element, 'files', { value: [new File(['x'], 'dark.jpg', { type: 'image/jpeg' })] })
    await input.trigger('change')
    await flushPromises()
    expect(wrapper.get('[data-test="capture-problem"]').text()).toContain('图片太暗')
    expect(wrapper.emitted('update:modelValue')).toBeUndefined()
  })

  it('a full slot disables taking more', async () => {
    mockIPC(() => null)
    const wrapper = mountPanel({ sources: ['file'], maxFiles: 1, modelValue: [captured('c1')] })
    expect(wrapper.find('[data-test="capture-full"]').exists()).toBe(true)
    expect(wrapper.get('[data-test="file-input"]').attributes('disabled')).toBeDefined()
  })

  it('without a camera the camera tab says so instead of failing', async () => {
    mockIPC(() => null)
    const wrapper = mountPanel({ sources: ['camera'] })
    await flushPromises()
    expect(wrapper.get('[data-test="camera-error"]').text()).toContain('没有找到摄像头')
    expect(wrapper.get('[data-test="camera-take"]').attributes('disabled')).toBeDefined()
  })
})
