import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import { emit } from '@tauri-apps/api/event'
import IdCardReaderPanel from '../../src/components/capture/IdCardReaderPanel.vue'
import CapturePanel from '../../src/components/capture/CapturePanel.vue'
import { phaseAfterPresence, validityText } from '../../src/components/capture/idCardReader'
import { createKioskI18n } from '../../src/i18n'
import type { IdCardForForm } from '../../src/bindings/IdCardForForm'
import type { ReaderList } from '../../src/bindings/ReaderList'

const ready: ReaderList = {
  readers: [{ path: '/dev/ttyUSB0', kind: 'usb-serial', vidPid: '1a86:7523', label: 'CH340 USB-serial (ttyUSB0)', state: 'ready' }],
  offered: true,
}

const none: ReaderList = {
  readers: [
    {
      path: '/dev/ttyUSB0',
      kind: 'usb-serial',
      label: 'CH340',
      state: 'permission-denied',
      problem: { code: 'ID_READER_PERMISSION', zh: '终端账户没有权限使用读卡器端口。', en: 'No permission.' },
    },
  ],
  offered: false,
}

// What Rust answers for 张三 (GB 11643's example number) read for MOST's natural person.
const zhangSan: IdCardForForm = {
  device: '/dev/ttyUSB0',
  card: {
    kind: 'resident-id',
    documentType: 'resident-id',
    name: '张*',
    number: '110***********002X',
    validFrom: '2015-01-01',
    validUntil: 'long-term',
  },
  fill: {
    card: {
      kind: 'resident-id',
      documentType: 'resident-id',
      name: '张*',
      number: '110***********002X',
      validFrom: '2015-01-01',
      validUntil: 'long-term',
    },
    fields: [
      { path: 'person.name', value: '张三' },
      { path: 'person.document.number', value: '11010519491231002X' },
      { path: 'person.document.validity.from', value: '2015-01-01' },
      { path: 'person.document.validity.until', value: 'long-term' },
    ],
    readOnly: [{ path: 'person.name', sourceZh: '居民身份证读卡器', sourceEn: 'ID-card reader' }],
    problems: [
      {
        code: 'ETHNICITY_UNKNOWN',
        zh: '民族不在国家标准民族列表中，请从列表中选择。',
        en: 'Unknown ethnic group.',
        field: 'person.ethnicity',
      },
    ],
    warnings: [],
  },
  photo: {
    available: false,
    problem: { code: 'ID_PHOTO_DECODER_MISSING', zh: '证件照片不可用', en: 'No photo decoder.' },
  },
}

const form = { profile: 'most', kind: 'natural-person', role: 'person' } as const

describe('reader panel logic', () => {
  it('a card placed starts a read, the same card lying on does not, lifting it waits', () => {
    expect(phaseAfterPresence('waiting', { device: 'd', present: true })).toBe('reading')
    expect(phaseAfterPresence('read', { device: 'd', present: true })).toBe('read')
    expect(phaseAfterPresence('read', { device: 'd', present: false })).toBe('waiting')
    expect(phaseAfterPresence('reading', { device: 'd', present: false })).toBe('reading')
    expect(phaseAfterPresence('failed', { device: 'd', present: true })).toBe('reading')
    const unplugged = { code: 'ID_READER_UNPLUGGED', zh: '断开', en: 'gone' }
    expect(phaseAfterPresence('waiting', { device: 'd', present: false, problem: unplugged })).toBe('waiting')
    expect(phaseAfterPresence('no-reader', { device: 'd', present: true })).toBe('no-reader')
  })

  it('validity reads as on the card', () => {
    expect(validityText(zhangSan.card, '长期')).toBe('2015-01-01 – 长期')
    expect(validityText({ ...zhangSan.card, validUntil: '2038-06-01' }, '长期')).toBe('2015-01-01 – 2038-06-01')
    expect(validityText({ ...zhangSan.card, validFrom: undefined }, '长期')).toBe('')
  })
})

describe('reader panel', () => {
  beforeEach(() => {
    clearMocks()
    setActivePinia(createPinia())
  })

  function mountPanel(props: Record<string, unknown> = {}) {
    return mount(IdCardReaderPanel, {
      props: { form, ...props },
      global: { plugins: [createKioskI18n(), ElementPlus] },
    })
  }

  it('reads as soon as a card is placed and shows it masked, with what was not filled', async () => {
    const calls: { cmd: string; payload: unknown }[] = []
    mockIPC(
      (cmd, payload) => {
        calls.push({ cmd, payload })
        if (cmd === 'id_reader_list') return ready
        if (cmd === 'id_reader_watch_start' || cmd === 'id_reader_watch_stop') return null
        if (cmd === 'id_reader_read') return zhangSan
        throw new Error(`unexpected ${cmd}`)
      },
      { shouldMockEvents: true },
    )
    const wrapper = mountPanel()
    await flushPromises()
    expect(wrapper.get('[data-test="id-reader-state"]').text()).toContain('请将证件平放在读卡器上')
    expect(calls.some((c) => c.cmd === 'id_reader_watch_start')).toBe(true)
    await emit('id-card-present', { device: '/dev/ttyUSB0', present: true })
    await flushPromises()
    const read = calls.find((c) => c.cmd === 'id_reader_read')
    expect(read?.payload).toEqual({ device: null, profile: 'most', kind: 'natural-person', role: 'person' })
    expect(wrapper.emitted('read')?.[0]?.[0]).toEqual(zhangSan)
    const shown = wrapper.get('[data-test="id-reader-result"]').text()
    expect(shown).toContain('张*')
    expect(shown).toContain('110***********002X')
    expect(shown).toContain('2015-01-01 – 长期')
    expect(shown).toContain('居民身份证')
    expect(wrapper.text()).not.toContain('11010519491231002X')
    expect(wrapper.text()).not.toContain('张三')
    expect(wrapper.text(), 'the panel claims no filling it does not do').not.toContain('自动填写')
    expect(wrapper.get('[data-test="id-reader-unfilled"]').text()).toContain('民族不在国家标准民族列表中')
    expect(wrapper.get('[data-test="id-reader-photo"]').text()).toContain('照片不可用')
    // The same card still lying there does not start a second read.
    await emit('id-card-present', { device: '/dev/ttyUSB0', present: true })
    await flushPromises()
    expect(calls.filter((c) => c.cmd === 'id_reader_read')).toHaveLength(1)
    wrapper.unmount()
    await flushPromises()
    expect(calls.at(-1)?.cmd, 'leaving the screen stops the watcher').toBe('id_reader_watch_stop')
  })

  it('a failed read shows the Rust advice and the button tries again', async () => {
    let attempt = 0
    mockIPC(
      (cmd) => {
        if (cmd === 'id_reader_list') return ready
        if (cmd === 'id_reader_watch_start' || cmd === 'id_reader_watch_stop') return null
        if (cmd === 'id_reader_read') {
          attempt += 1
          if (attempt === 1) {
            throw { code: 'ID_READER_CARD_REMOVED', zh: '读取过程中证件被移开或未放稳。', en: 'The card was moved.' }
          }
          return zhangSan
        }
        throw new Error(`unexpected ${cmd}`)
      },
      { shouldMockEvents: true },
    )
    const wrapper = mountPanel()
    await flushPromises()
    await wrapper.get('[data-test="id-reader-read"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test="id-reader-problem"]').text()).toContain('证件被移开')
    expect(wrapper.emitted('read')).toBeUndefined()
    await wrapper.get('[data-test="id-reader-read"]').trigger('click')
    await flushPromises()
    expect(wrapper.emitted('read')).toHaveLength(1)
    expect(wrapper.find('[data-test="id-reader-problem"]').exists()).toBe(false)
  })

  it('without a working reader it says so and never watches', async () => {
    const calls: string[] = []
    mockIPC((cmd) => {
      calls.push(cmd)
      if (cmd === 'id_reader_list') return none
      if (cmd === 'id_reader_watch_stop') return null
      throw new Error(`unexpected ${cmd}`)
    })
    const wrapper = mountPanel()
    await flushPromises()
    const state = wrapper.get('[data-test="id-reader-state"]').text()
    expect(state).toContain('没有可用的身份证读卡器')
    expect(state).toContain('没有权限')
    expect(wrapper.find('[data-test="id-reader-read"]').exists()).toBe(false)
    expect(calls).not.toContain('id_reader_watch_start')
  })

  it('a reader unplugged while waiting is shown without losing the screen', async () => {
    mockIPC(
      (cmd) => {
        if (cmd === 'id_reader_list') return ready
        if (cmd === 'id_reader_watch_start' || cmd === 'id_reader_watch_stop') return null
        throw new Error(`unexpected ${cmd}`)
      },
      { shouldMockEvents: true },
    )
    const wrapper = mountPanel()
    await flushPromises()
    await emit('id-card-present', {
      device: '/dev/ttyUSB0',
      present: false,
      problem: { code: 'ID_READER_UNPLUGGED', zh: '读卡器连接已断开。', en: 'Unplugged.' },
    })
    await flushPromises()
    expect(wrapper.get('[data-test="id-reader-device-problem"]').text()).toContain('读卡器连接已断开')
    expect(wrapper.get('[data-test="id-reader-state"]').text()).toContain('请将证件平放在读卡器上')
  })
})

describe('capture panel reader tab', () => {
  beforeEach(() => {
    clearMocks()
    setActivePinia(createPinia())
  })

  function mountCapture(slot: string, list: ReaderList) {
    const asked: unknown[] = []
    mockIPC((cmd, payload) => {
      if (cmd === 'id_reader_list') {
        asked.push(payload)
        return list
      }
      return null
    })
    const wrapper = mount(CapturePanel, {
      props: { slot, label: '证件', maxFiles: 1, modelValue: [], sources: ['file', 'reader'] },
      global: { plugins: [createKioskI18n(), ElementPlus] },
    })
    return { wrapper, asked }
  }

  it('appears only where Rust offers a reader for the slot', async () => {
    const offered = mountCapture('id-front', ready)
    await flushPromises()
    expect(offered.asked).toEqual([{ slot: 'id-front' }])
    expect(offered.wrapper.find('[data-test="capture-tab-reader"]').exists()).toBe(true)
    const licence = mountCapture('business-licence', { ...ready, offered: false })
    await flushPromises()
    expect(licence.wrapper.find('[data-test="capture-tab-reader"]').exists()).toBe(false)
    expect(licence.wrapper.find('[data-test="capture-tab-file"]').exists()).toBe(true)
  })
})
