import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import { commands, CommandError } from '../../src/api/commands'
import { useStaffStore } from '../../src/stores/staff'
import { createKioskI18n } from '../../src/i18n'
import StaffView from '../../src/views/StaffView.vue'
import ReauthDialog from '../../src/components/ReauthDialog.vue'
import type { StaffSession } from '../../src/bindings/StaffSession'
import type { StaffInfo } from '../../src/bindings/StaffInfo'

const admin: StaffSession = { username: 'admin', displayName: '管理员', role: 'admin' }
const expired = { code: 'SESSION_EXPIRED', zh: '工作人员登录已超时，已自动退出。', en: 'The staff session has timed out.' }
const reauth = { code: 'REAUTH_REQUIRED', zh: '请再次输入您的密码。', en: 'Enter your password again.' }

describe('staff session', () => {
  beforeEach(() => {
    clearMocks()
    setActivePinia(createPinia())
  })

  it('a SESSION_EXPIRED answer signs out on screen and says why', async () => {
    mockIPC((cmd) => {
      if (cmd === 'staff_login') return admin
      throw expired
    })
    const staff = useStaffStore()
    await staff.login('admin', 'a long admin password')
    await expect(commands.queueStats()).rejects.toBeInstanceOf(CommandError)
    expect(staff.session).toBeNull()
    expect(staff.expired).toBe(true)
  })

  it('refresh notices a session Rust ended by its time limits', async () => {
    let current: StaffSession | null = admin
    mockIPC((cmd) => {
      if (cmd === 'staff_login') return admin
      if (cmd === 'staff_current') return current
      throw new Error(cmd)
    })
    const staff = useStaffStore()
    await staff.login('admin', 'a long admin password')
    await staff.refresh()
    expect(staff.expired).toBe(false)
    current = null
    await staff.refresh()
    expect(staff.session).toBeNull()
    expect(staff.expired).toBe(true)
  })

  it('a REAUTH_REQUIRED answer opens the dialog, the password goes to Rust, the action is retried', async () => {
    const calls: string[] = []
    let confirmed = false
    mockIPC((cmd, args) => {
      calls.push(cmd)
      if (cmd === 'staff_login') return admin
      if (cmd === 'staff_reauth') {
        if ((args as { password: string }).password !== 'a long admin password') {
          throw { code: 'STAFF_LOGIN_FAILED', zh: '用户名或密码不正确。', en: 'Wrong username or password.' }
        }
        confirmed = true
        return { ...admin, reauthUntil: 1 }
      }
      if (cmd === 'staff_unlock') {
        if (!confirmed) throw reauth
        return null
      }
      throw new Error(cmd)
    })
    const pinia = createPinia()
    setActivePinia(pinia)
    const staff = useStaffStore()
    await staff.login('admin', 'a long admin password')
    const wrapper = mount(ReauthDialog, { global: { plugins: [pinia, createKioskI18n(), ElementPlus] }, attachTo: document.body })
    const unlocking = commands.staffUnlock('clerk')
    await flushPromises()
    expect(staff.reauthPending).toBe(true)
    expect(await staff.reauth('wrong')).toBe(false)
    expect(staff.reauthProblem?.code).toBe('STAFF_LOGIN_FAILED')
    expect(staff.reauthPending, 'a wrong password keeps the dialog open').toBe(true)
    expect(await staff.reauth('a long admin password')).toBe(true)
    await expect(unlocking).resolves.toBeNull()
    expect(calls.filter((c) => c === 'staff_unlock')).toHaveLength(2)
    expect(staff.reauthPending).toBe(false)
    wrapper.unmount()
  })

  it('a cancelled re-authentication gives the refusal back', async () => {
    mockIPC((cmd) => {
      if (cmd === 'staff_login') return admin
      throw reauth
    })
    const staff = useStaffStore()
    await staff.login('admin', 'a long admin password')
    const exporting = commands.exportDestinations()
    await flushPromises()
    staff.cancelReauth()
    await expect(exporting).rejects.toMatchObject({ problem: { code: 'REAUTH_REQUIRED' } })
  })
})

describe('staff management screen', () => {
  beforeEach(() => clearMocks())

  it('an administrator sees accounts, unlocks a paused one and sees Rust refuse the last admin', async () => {
    let accounts: StaffInfo[] = [
      { username: 'admin', displayName: '管理员', role: 'admin', disabled: false },
      { username: 'clerk', displayName: '王工', role: 'operator', disabled: false, lockedUntil: Date.now() + 60_000 },
    ]
    const asked: { cmd: string; args: unknown }[] = []
    mockIPC((cmd, args) => {
      asked.push({ cmd, args })
      if (cmd === 'staff_login') return admin
      if (cmd === 'staff_list') return accounts
      if (cmd === 'staff_unlock') {
        accounts = accounts.map((a) => (a.username === 'clerk' ? { ...a, lockedUntil: undefined } : a))
        return null
      }
      if (cmd === 'staff_set_disabled') {
        throw { code: 'STAFF_LAST_ADMIN', zh: '这是最后一个可用的管理员账号，不能停用。', en: 'This is the last enabled administrator.' }
      }
      throw new Error(cmd)
    })
    const pinia = createPinia()
    setActivePinia(pinia)
    await useStaffStore().login('admin', 'a long admin password')
    const wrapper = mount(StaffView, { global: { plugins: [pinia, createKioskI18n(), ElementPlus] } })
    await flushPromises()
    expect(wrapper.get('[data-test="staff-state-clerk"]').text()).toBe('登录暂停中')
    await wrapper.get('[data-test="staff-unlock-clerk"]').trigger('click')
    await flushPromises()
    expect(asked.find((c) => c.cmd === 'staff_unlock')?.args).toEqual({ username: 'clerk' })
    expect(wrapper.get('[data-test="staff-state-clerk"]').text()).toBe('正常')
    await wrapper.get('[data-test="staff-toggle-admin"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test="staff-admin-problem"]').text()).toContain('最后一个可用的管理员')
  })

  it('an operator only sees the own-password form, and the passwords go to Rust', async () => {
    const asked: { cmd: string; args: unknown }[] = []
    mockIPC((cmd, args) => {
      asked.push({ cmd, args })
      if (cmd === 'staff_login') return { ...admin, username: 'clerk', role: 'operator' }
      if (cmd === 'staff_change_password') return null
      throw new Error(cmd)
    })
    const pinia = createPinia()
    setActivePinia(pinia)
    await useStaffStore().login('clerk', 'clerk password 1')
    const wrapper = mount(StaffView, { global: { plugins: [pinia, createKioskI18n(), ElementPlus] } })
    await flushPromises()
    expect(wrapper.find('[data-test="staff-accounts"]').exists()).toBe(false)
    await wrapper.get('input[data-test="own-current"]').setValue('clerk password 1')
    await wrapper.get('input[data-test="own-next"]').setValue('a new password 2')
    await wrapper.get('[data-test="own-password-form"]').trigger('submit')
    await flushPromises()
    expect(asked.find((c) => c.cmd === 'staff_change_password')?.args).toEqual({
      current: 'clerk password 1',
      newPassword: 'a new password 2',
    })
    expect(wrapper.get('[data-test="staff-admin-done"]').text()).toContain('密码已修改')
  })
})
