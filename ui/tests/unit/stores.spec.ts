import { describe, it, expect, beforeEach } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks'
import { useStaffStore } from '../../src/stores/staff'
import { useVisitorStore } from '../../src/stores/visitor'
import { useQueueStore } from '../../src/stores/queue'
import type { StaffSession } from '../../src/bindings/StaffSession'

const admin: StaffSession = { username: 'admin', displayName: '管理员', role: 'admin' }

describe('staff store', () => {
  beforeEach(() => {
    clearMocks()
    setActivePinia(createPinia())
  })

  it('keeps the session Rust returns and knows an administrator', async () => {
    mockIPC((cmd, args) => {
      if (cmd === 'staff_login') {
        expect(args).toEqual({ username: 'admin', password: 'a long admin password' })
        return admin
      }
      if (cmd === 'staff_logout') return null
      throw new Error(cmd)
    })
    const staff = useStaffStore()
    expect(await staff.login('admin', 'a long admin password')).toBe(true)
    expect(staff.isAdmin).toBe(true)
    await staff.logout()
    expect(staff.session).toBeNull()
  })

  it('keeps the Rust problem of a refused login and no session', async () => {
    mockIPC(() => {
      throw { code: 'STAFF_LOCKED', zh: '账号已被锁定，请 15 分钟后再试，或请管理员解锁。', en: 'The account is locked.' }
    })
    const staff = useStaffStore()
    expect(await staff.login('clerk', 'x')).toBe(false)
    expect(staff.session).toBeNull()
    expect(staff.problem?.code).toBe('STAFF_LOCKED')
  })
})

describe('visitor store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('wipe forgets consent, platform, every typed value and the receipt', () => {
    const visitor = useVisitorStore()
    visitor.consent('natural-person')
    visitor.profile = 'tianjin'
    visitor.values.idNumber = '11010519491231002X'
    visitor.submitted({ id: 'x', receiptCode: 'KG695-HRKAD', summary: {}, attachments: [] })
    expect(visitor.values, 'submission forgets what was typed').toEqual({})
    visitor.values.name = '赵丽华'
    visitor.wipe()
    expect(visitor.consentFor).toBeNull()
    expect(visitor.profile).toBeNull()
    expect(visitor.values).toEqual({})
    expect(visitor.receipt).toBeNull()
  })

  it('the draft, the captures and the picked names go with the session', () => {
    const visitor = useVisitorStore()
    visitor.consent('legal-entity')
    visitor.chooseProfile('tianjin')
    visitor.draftId = '0193a5f2-7c1e-7d3a-9b1e-4f2a6c8d0e11'
    visitor.labels['unit.registeredAddress.divisionCode'] = '天津市 / 天津市 / 和平区'
    visitor.addCapture({ id: 'c1', slot: 'business-licence', fileName: 'l.jpg', mediaType: 'image/jpeg', sha256: 'ab', size: 3, width: 1, height: 1, thumbnail: '', warnings: [] })
    visitor.addCapture({ id: 'c2', slot: 'bank-account-permit', fileName: 'b.jpg', mediaType: 'image/jpeg', sha256: 'cd', size: 3, width: 1, height: 1, thumbnail: '', warnings: [] })
    visitor.removeCapture('c1')
    expect(visitor.captures.map((c) => c.id)).toEqual(['c2'])
    visitor.submitted({ id: 'x', receiptCode: 'KG695-HRKAD', summary: {}, attachments: [] })
    expect(visitor.captures, 'submitted captures leave the session').toEqual([])
    expect(visitor.draftId).toBeNull()
    expect(visitor.labels).toEqual({})
    expect(visitor.receipt?.id).toBe('x')
  })

  it('choosing another platform drops what was typed for the former one', () => {
    const visitor = useVisitorStore()
    visitor.chooseProfile('tianjin')
    visitor.values['person.name'] = '赵丽华'
    visitor.chooseProfile('tianjin')
    expect(visitor.values['person.name'], 'same platform keeps the values').toBe('赵丽华')
    visitor.chooseProfile('most')
    expect(visitor.values).toEqual({})
  })

  it('a new consent starts from an empty form', () => {
    const visitor = useVisitorStore()
    visitor.values.name = 'left over'
    visitor.consent('legal-entity')
    expect(visitor.values).toEqual({})
    expect(visitor.consentFor).toBe('legal-entity')
  })
})

describe('queue store', () => {
  beforeEach(() => {
    clearMocks()
    setActivePinia(createPinia())
  })

  it('asks Rust for the chosen state and keeps the problem when it fails', async () => {
    const seen: unknown[] = []
    mockIPC((cmd, args) => {
      if (cmd === 'queue_list') {
        seen.push(args)
        throw { code: 'BUSY', zh: '本地数据库正忙，请稍后再试。', en: 'Busy; try again.' }
      }
      return { byState: {}, dueNow: 0, sealedLocally: 0 }
    })
    const queue = useQueueStore()
    queue.filter = 'needs-action'
    await queue.refresh()
    expect(seen).toEqual([{ filter: 'needs-action', limit: 200 }])
    expect(queue.problem?.code).toBe('BUSY')
    expect(queue.loading).toBe(false)
  })
})
