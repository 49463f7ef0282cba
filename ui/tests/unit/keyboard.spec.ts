import { describe, it, expect, beforeEach, afterEach } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import ElementPlus from 'element-plus'
import { createKioskI18n } from '../../src/i18n'
import OnScreenKeyboard from '../../src/components/keyboard/OnScreenKeyboard.vue'
import { createComposer, type PinyinEngine } from '../../src/components/keyboard/composer'
import { padFor } from '../../src/components/keyboard/padKind'
import {
  clearText,
  deleteBackward,
  digitChars,
  idNumberChars,
  insertText,
  phoneChars,
} from '../../src/components/keyboard/textEdit'
import type { PinyinCandidate } from '../../src/bindings/PinyinCandidate'
import type { PinyinPage } from '../../src/bindings/PinyinPage'

// The keyboard's own logic: editing at the caret, what each pad lets through, which pad a field
// asks for, and pinyin composing (paging, partial choices, backspace) against a stand-in for
// the Rust engine. The ranking itself is Rust's (crates/kiosk-ime) and is tested there.

describe('editing at the caret', () => {
  it('inserts at the caret and replaces a selection', () => {
    expect(insertText({ value: '张', start: 1, end: 1 }, '三')).toEqual({ value: '张三', start: 2, end: 2 })
    expect(insertText({ value: 'abcd', start: 1, end: 3 }, 'X')).toEqual({ value: 'aXd', start: 2, end: 2 })
    expect(insertText({ value: 'ab', start: 0, end: 0 }, 'Z')).toEqual({ value: 'Zab', start: 1, end: 1 })
  })

  it('keeps to the field length', () => {
    expect(insertText({ value: '1234', start: 4, end: 4 }, '567', 6)).toEqual({ value: '123456', start: 6, end: 6 })
    expect(insertText({ value: '123456', start: 6, end: 6 }, '7', 6).value).toBe('123456')
    expect(insertText({ value: '123456', start: 0, end: 6 }, '9', 6).value).toBe('9')
  })

  it('deletes the character before the caret, a selection, or nothing at the start', () => {
    expect(deleteBackward({ value: '张三', start: 2, end: 2 })).toEqual({ value: '张', start: 1, end: 1 })
    expect(deleteBackward({ value: 'abcd', start: 1, end: 3 })).toEqual({ value: 'ad', start: 1, end: 1 })
    expect(deleteBackward({ value: 'ab', start: 0, end: 0 })).toEqual({ value: 'ab', start: 0, end: 0 })
    // A character outside the BMP (𠮷) goes as a whole.
    expect(deleteBackward({ value: 'a𠮷', start: 3, end: 3 })).toEqual({ value: 'a', start: 1, end: 1 })
    expect(clearText()).toEqual({ value: '', start: 0, end: 0 })
  })
})

describe('number pads', () => {
  const at = (value: string, caret = value.length) => ({ value, start: caret, end: caret })

  it('ID numbers take digits and X only', () => {
    expect(idNumberChars(at('1101'), 'x')).toBe('X')
    expect(idNumberChars(at(''), '12a3-X')).toBe('123X')
  })

  it('phones take digits, and + only first', () => {
    expect(phoneChars(at(''), '+')).toBe('+')
    expect(phoneChars(at('+86'), '+')).toBe('')
    expect(phoneChars(at('138'), '5+')).toBe('5')
    expect(phoneChars(at('86138', 0), '+')).toBe('+')
    // No second + before the first.
    expect(phoneChars(at('+86138', 0), '+')).toBe('')
  })

  it('digits take digits only', () => {
    expect(digitChars(at(''), '12X+3')).toBe('123')
  })
})

describe('which pad a field asks for', () => {
  const input = (attrs: Record<string, string>) => {
    const el = document.createElement('input')
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v)
    document.body.appendChild(el)
    return el
  }
  afterEach(() => (document.body.innerHTML = ''))

  it('reads data-osk first, then the type and inputmode', () => {
    expect(padFor(input({ 'data-osk': 'idnumber', inputmode: 'numeric' }))).toBe('idnumber')
    expect(padFor(input({ 'data-osk': 'phone' }))).toBe('phone')
    expect(padFor(input({ type: 'password' }))).toBe('password')
    expect(padFor(input({ inputmode: 'numeric' }))).toBe('digits')
    expect(padFor(input({ type: 'tel' }))).toBe('phone')
    expect(padFor(input({ type: 'email' }))).toBe('latin')
    expect(padFor(input({}))).toBe('text')
    expect(padFor(document.createElement('textarea'))).toBe('text')
  })

  it('opens for nothing that takes no typing', () => {
    expect(padFor(input({ 'data-osk': 'none' }))).toBeNull()
    expect(padFor(input({ type: 'checkbox' }))).toBeNull()
    expect(padFor(input({ readonly: '' }))).toBeNull()
    expect(padFor(input({ disabled: '' }))).toBeNull()
    const editor = document.createElement('div')
    editor.className = 'el-date-editor'
    const date = input({})
    editor.appendChild(date)
    expect(padFor(date)).toBeNull()
    expect(padFor(document.createElement('div'))).toBeNull()
  })
})

/** A stand-in for Rust: a few readings, pages of `size`, and choices that keep the rest. */
function fakeEngine() {
  const words: Record<string, string[]> = {
    beijingshi: ['北京市', '北京', '被', '北'],
    beijing: ['北京', '背景'],
    bei: ['被', '北', '贝'],
    shi: ['是', '市'],
    zhang: ['张', '长', '章', '涨', '掌', '丈', '仗', '帐'],
    a: ['啊'],
  }
  const consumed: Record<string, number> = { 北京市: 10, 北京: 7, 背景: 7, 被: 3, 北: 3, 贝: 3 }
  const asked: { input: string; page: number }[] = []
  const engine: PinyinEngine = {
    async pinyin(input, page, size): Promise<PinyinPage> {
      asked.push({ input, page })
      const all = words[input] ?? []
      return {
        input,
        composition: [input],
        candidates: all
          .slice(page * size, page * size + size)
          .map((text) => ({ text, consumed: consumed[text] ?? input.length, pinyin: input })),
        page,
        pageSize: size,
        total: all.length,
        hasMore: (page + 1) * size < all.length,
      }
    },
    async choose(input: string, candidate: PinyinCandidate) {
      return { text: candidate.text, rest: input.slice(candidate.consumed) }
    },
  }
  return { engine, asked }
}

describe('pinyin composing', () => {
  it('asks Rust after every letter and shows its page', async () => {
    const { engine, asked } = fakeEngine()
    const typed: string[] = []
    const composer = createComposer(engine, { insert: (t) => typed.push(t) }, 3)
    for (const c of 'bei') await composer.type(c)
    expect(asked.map((a) => a.input)).toEqual(['b', 'be', 'bei'])
    expect(composer.state.page?.candidates.map((c) => c.text)).toEqual(['被', '北', '贝'])
    expect(typed).toEqual([])
  })

  it('a choice of the first syllables writes them and keeps the rest to convert', async () => {
    const { engine } = fakeEngine()
    const typed: string[] = []
    const composer = createComposer(engine, { insert: (t) => typed.push(t) }, 3)
    for (const c of 'beijingshi') await composer.type(c)
    await composer.choose(1) // 北京: the first two syllables
    expect(typed).toEqual(['北京'])
    expect(composer.state.letters).toBe('shi')
    expect(composer.state.page?.candidates[0].text).toBe('是')
    await composer.commitFirst()
    expect(typed).toEqual(['北京', '是'])
    expect(composer.composing()).toBe(false)
  })

  it('pages forward and back', async () => {
    const { engine, asked } = fakeEngine()
    const composer = createComposer(engine, { insert: () => {} }, 3)
    for (const c of 'zhang') await composer.type(c)
    await composer.nextPage()
    expect(composer.state.page?.page).toBe(1)
    expect(composer.state.page?.candidates.map((c) => c.text)).toEqual(['涨', '掌', '丈'])
    await composer.nextPage()
    await composer.nextPage()
    expect(composer.state.page?.page).toBe(2)
    expect(composer.state.page?.hasMore).toBe(false)
    await composer.previousPage()
    expect(asked.at(-1)).toEqual({ input: 'zhang', page: 1 })
  })

  it('backspace takes back letters, then leaves the field to the keyboard', async () => {
    const { engine } = fakeEngine()
    const composer = createComposer(engine, { insert: () => {} })
    await composer.type('a')
    expect(await composer.backspace()).toBe(true)
    expect(composer.state.letters).toBe('')
    expect(composer.state.page).toBeNull()
    expect(await composer.backspace()).toBe(false)
  })

  it('separators only between letters; enter writes the letters as typed', async () => {
    const { engine } = fakeEngine()
    const typed: string[] = []
    const composer = createComposer(engine, { insert: (t) => typed.push(t) })
    await composer.type("'")
    expect(composer.state.letters).toBe('')
    for (const c of "xi''an") await composer.type(c)
    expect(composer.state.letters).toBe("xi'an")
    composer.commitLetters()
    expect(typed).toEqual(['xian'])
  })

  it('an answer to an older question is dropped', async () => {
    const slow: PinyinEngine = {
      pinyin: (input, page, size) =>
        new Promise((done) =>
          setTimeout(
            () =>
              done({ input, composition: [input], candidates: [{ text: input, consumed: input.length, pinyin: input }], page, pageSize: size, total: 1, hasMore: false }),
            input.length === 1 ? 30 : 1,
          ),
        ),
      choose: async (_input, c) => ({ text: c.text, rest: '' }),
    }
    const composer = createComposer(slow, { insert: () => {} })
    const first = composer.type('a')
    const second = composer.type('b')
    await Promise.all([first, second])
    expect(composer.state.page?.input).toBe('ab')
  })

  it('a tap is kept when letters are typed while Rust answers it', async () => {
    const { engine } = fakeEngine()
    let answer: () => void = () => {}
    const slow: PinyinEngine = {
      pinyin: engine.pinyin,
      choose: (input, candidate) =>
        new Promise((done) => (answer = () => void engine.choose(input, candidate).then(done))),
    }
    const typed: string[] = []
    const composer = createComposer(slow, { insert: (t) => typed.push(t) }, 3)
    for (const c of 'beijingshi') await composer.type(c)
    const tapped = composer.choose(1) // 北京, Rust still answering...
    void composer.choose(0) // ...a second tap on the same page is ignored
    await composer.type('a') // ...and the visitor types on
    answer()
    await tapped
    expect(typed).toEqual(['北京'])
    expect(composer.state.letters).toBe('shia')
  })

  it('a refusal from Rust is shown instead of candidates', async () => {
    const refusing: PinyinEngine = {
      pinyin: async () => {
        throw { problem: { code: 'IME_DATA_MISSING', zh: '未安装拼音词库', en: 'not installed' } }
      },
      choose: async () => ({ text: '', rest: '' }),
    }
    const composer = createComposer(refusing, { insert: () => {} })
    await composer.type('a')
    expect(composer.state.problem?.code).toBe('IME_DATA_MISSING')
    expect(composer.state.page).toBeNull()
  })
})

describe('the keyboard on a field', () => {
  beforeEach(() => {
    mockIPC((cmd) => {
      if (cmd === 'ime_pinyin') throw { code: 'IME_DATA_MISSING', zh: '未安装拼音词库', en: 'Not installed' }
      return null
    })
  })
  afterEach(() => clearMocks())

  function mountWith(attrs: Record<string, string>) {
    const model = ref('')
    const Host = defineComponent({
      setup: () => () =>
        h('div', [
          h('input', {
            ...attrs,
            'data-test': 'field',
            value: model.value,
            onInput: (e: Event) => (model.value = (e.target as HTMLInputElement).value),
          }),
          h(OnScreenKeyboard, { forceOn: true }),
        ]),
    })
    const wrapper = mount(Host, { attachTo: document.body, global: { plugins: [createPinia(), createKioskI18n(), ElementPlus] } })
    return { wrapper, model }
  }

  it('an ID-number field opens the number pad; keys write through `input` events', async () => {
    const { wrapper, model } = mountWith({ 'data-osk': 'idnumber' })
    const field = wrapper.get('[data-test=field]').element as HTMLInputElement
    field.focus()
    await flushPromises()
    expect(wrapper.get('[data-test=osk]').attributes('data-pad')).toBe('idnumber')
    expect(wrapper.find('[data-test="key-q"]').exists()).toBe(false)
    for (const key of ['1', '1', '0', 'x', 'backspace', '5']) await wrapper.get(`[data-test="key-${key}"]`).trigger('click')
    expect(model.value).toBe('1105')
    await wrapper.get('[data-test="key-clear"]').trigger('click')
    expect(model.value).toBe('')
    wrapper.unmount()
  })

  it('closes when the focused field leaves the page', async () => {
    const shown = ref(true)
    const Host = defineComponent({
      setup: () => () =>
        h('div', [shown.value ? h('input', { 'data-test': 'field' }) : null, h(OnScreenKeyboard, { forceOn: true })]),
    })
    const wrapper = mount(Host, { attachTo: document.body, global: { plugins: [createPinia(), createKioskI18n(), ElementPlus] } })
    ;(wrapper.get('[data-test=field]').element as HTMLInputElement).focus()
    await flushPromises()
    expect(wrapper.get('[data-test=osk]').isVisible()).toBe(true)
    shown.value = false
    await flushPromises()
    await new Promise((done) => setTimeout(done, 0))
    await flushPromises()
    expect(wrapper.get('[data-test=osk]').isVisible()).toBe(false)
    wrapper.unmount()
  })

  it('a tap on a button under the field closes the keyboard only after the tap lands', async () => {
    // Closing removes the page's padding and the page moves: closed at the press, the button
    // would leave the finger before the release and the tap would be lost.
    let taps = 0
    const Host = defineComponent({
      setup: () => () =>
        h('div', [
          h('input', { 'data-test': 'field' }),
          h('button', { 'data-test': 'submit', onClick: () => (taps += 1) }, 'OK'),
          h(OnScreenKeyboard, { forceOn: true }),
        ]),
    })
    const wrapper = mount(Host, { attachTo: document.body, global: { plugins: [createPinia(), createKioskI18n(), ElementPlus] } })
    const tick = async () => {
      await new Promise((done) => setTimeout(done, 0))
      await flushPromises()
    }
    ;(wrapper.get('[data-test=field]').element as HTMLInputElement).focus()
    await flushPromises()
    const button = wrapper.get('[data-test=submit]').element as HTMLButtonElement
    button.dispatchEvent(new Event('pointerdown', { bubbles: true }))
    button.focus()
    await tick()
    expect(wrapper.get('[data-test=osk]').isVisible(), 'still open while pressed').toBe(true)
    expect(document.documentElement.classList.contains('osk-open')).toBe(true)
    button.dispatchEvent(new Event('pointerup', { bubbles: true }))
    button.click()
    await tick()
    expect(taps).toBe(1)
    expect(wrapper.get('[data-test=osk]').isVisible(), 'closed after the release').toBe(false)
    expect(document.documentElement.classList.contains('osk-open')).toBe(false)
    wrapper.unmount()
  })

  it('a text field shows Rust’s refusal in the candidate bar and Enter writes the letters', async () => {
    const { wrapper, model } = mountWith({})
    ;(wrapper.get('[data-test=field]').element as HTMLInputElement).focus()
    await flushPromises()
    await wrapper.get('[data-test="key-n"]').trigger('click')
    await wrapper.get('[data-test="key-i"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test=osk-message]').text()).toContain('未安装拼音词库')
    expect(model.value).toBe('')
    await wrapper.get('[data-test="key-enter"]').trigger('click')
    expect(model.value).toBe('ni')
    wrapper.unmount()
  })
})
