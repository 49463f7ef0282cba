import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import CapturePanel from '../../src/components/capture/CapturePanel.vue'
import { CARD_ASPECT, cameraErrorKey, cardGuide, imageFiles, roomLeft } from '../../src/components/capture/capture'
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

  it('only image files are taken, and no more than the slot has room for', () => {
    const files = [
      new File(['a'], 'a.jpg', { type: 'image/jpeg' }),
      new File(['b'], 'notes.txt', { type: 'text/plain' }),
      new File(['c'], 'IMG_0001.HEIC', { type: '' }),
      new File(['d'], 'd.png', { type: 'image/png' }),
    ]
    expect(imageFiles(files, 2).map((f) => f.name)).toEqual(['a.jpg', 'IMG_0001.HEIC'])
    expect(imageFiles(files, 0)).toEqual([])
    expect(roomLeft([captured('1')], 2)).toBe(1)
    expect(roomLeft([captured('1'), captured('2')], 1)).toBe(0)
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
