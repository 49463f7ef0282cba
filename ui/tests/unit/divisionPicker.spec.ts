import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import DivisionPicker from '../../src/views/flows/DivisionPicker.vue'
import { createKioskI18n } from '../../src/i18n'

function mountPicker() {
  const pinia = createPinia()
  setActivePinia(pinia)
  return mount(DivisionPicker, {
    props: { path: 'unit.address' },
    global: { plugins: [pinia, createKioskI18n(), ElementPlus] },
    attachTo: document.body,
  })
}

describe('division picker', () => {
  beforeEach(() => clearMocks())

  it('says why when Rust cannot read the divisions, instead of showing an empty list', async () => {
    mockIPC((cmd) => {
      if (cmd === 'divisions') {
        throw { code: 'DIVISIONS_UNREADABLE', zh: '行政区划数据无法读取，请联系管理员。', en: 'The divisions cannot be read; call an administrator.' }
      }
      throw new Error(`unexpected command ${cmd}`)
    })
    const wrapper = mountPicker()
    await wrapper.get('.el-cascader').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test=division-problem]').text()).toBe('行政区划数据无法读取，请联系管理员。')
    wrapper.unmount()
  })

  it('shows no problem when the provinces come', async () => {
    mockIPC((cmd) => {
      if (cmd === 'divisions') return [{ code: '410000', name: '河南省' }]
      throw new Error(`unexpected command ${cmd}`)
    })
    const wrapper = mountPicker()
    await wrapper.get('.el-cascader').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-test=division-problem]').exists()).toBe(false)
    wrapper.unmount()
  })
})
