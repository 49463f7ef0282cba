// Every journey of docs/journeys.md, walked as the manual describes it, with the real Rust
// rules (loopback bridge) and, for an online hall, a real platformd: SMS codes are read from
// the platform's outbox as the visitor reads them on the phone; nothing is typed that a
// visitor could not know.
import { type Page } from '@playwright/test'
import { STAFF_PASSWORD, expect, test, useRealRust, type Bridge } from './bridge'
import { choose, date, fill } from './flow-steps'

/** Devices and paper: the hall's printer is not part of the rules. */
const devices = {
  print_document: { printer: 'hall-printer', jobId: 42 },
}

async function signInAtCounter(page: Page, bridge: Bridge) {
  await useRealRust(page, bridge, devices)
  await page.goto('/')
  await page.getByTestId('sign-in').click()
  await page.locator('#login-username').fill('clerk')
  await page.locator('#login-password').fill(STAFF_PASSWORD)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('tiles').waitFor()
}

async function startFlow(page: Page, kind: string, profile?: string) {
  await page.getByTestId(`tile-${kind}`).click()
  await page.getByTestId('consent-agree').click()
  if (profile) {
    await page.getByTestId(`profile-${profile}`).click()
    await page.getByTestId('wizard-next').click()
  }
}

const next = (page: Page) => page.getByTestId('wizard-next').click()

/** Sends the SMS code, reads it from the platform's outbox and verifies it. */
async function verifySms(page: Page, bridge: Bridge, codePath: string, mobile: string) {
  await page.getByTestId(`sms-send-${codePath}`).click()
  await expect(page.getByTestId(`sms-sent-${codePath}`)).toContainText('已发送')
  const code = await bridge.smsCode(mobile)
  await fill(page, codePath, code)
  await page.getByTestId(`sms-verify-${codePath}`).click()
  await expect(page.getByTestId(`sms-verified-${codePath}`)).toBeVisible()
}

test.describe('Tianjin natural person, online', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin', at: '2026-12-04 02:00:00' } })

  test('inside the population database hours: SMS verified, real name verified live, accepted by the platform', async ({ page, bridge }) => {
    await signInAtCounter(page, bridge)
    await startFlow(page, 'natural-person')
    await expect(page.getByTestId('wizard-platform')).toContainText('天津')
    await fill(page, 'account.accountName', 'zhangsan01')
    await fill(page, 'account.password', 'Kx9!pQ2#mZ')
    await fill(page, 'account.passwordConfirmation', 'Kx9!pQ2#mZ')
    await next(page)
    await expect(page.getByTestId('step-person')).toBeVisible()
    await fill(page, 'person.name', '张三')
    await fill(page, 'person.document.number', '11010519491231002X')
    await date(page, 'person.document.validity.from', '2015-03-01')
    await page.getByTestId('field-person.document.validity.long-term').click()
    await fill(page, 'person.mobile', '13812345678')
    await verifySms(page, bridge, 'account.smsCode', '13812345678')
    await next(page)
    await expect(page.getByTestId('note-REAL_NAME_VERIFIED')).toContainText('已通过平台实名核验')
    await expect(page.getByTestId('step-summary')).toBeVisible()
    await expect(page.getByTestId('summary-person.document.number')).toHaveText('110***********002X')
    await expect(page.getByTestId('summary-account.smsCode')).toHaveText('已验证')
    await page.getByTestId('wizard-submit').click()
    await expect(page.getByTestId('done')).toBeVisible()
    const id = await page.getByTestId('application-number').innerText()
    const report = await bridge.sync()
    expect(report.delivered, JSON.stringify(report)).toBe(1)
    const received = (await bridge.submissions()).find((s) => s.id === id)
    expect(received?.payload).toMatchObject({
      profile: 'tianjin',
      kind: 'natural-person',
      person: { name: '张三', mobile: '13812345678', document: { number: '11010519491231002X' } },
      realNameCheck: { outcome: 'verified' },
    })
    expect(received?.payload, 'the used code is not handed in, its proof is').not.toHaveProperty('account.smsCode')
  })
})

test.describe('Tianjin natural person at 19:00', () => {
  test.use({ bridgeOptions: { platform: true, hallProfile: 'tianjin', at: '2026-12-04 11:00:00' } })

  test('outside the hours: said in plain words, document photos, manual review at the platform', async ({ page, bridge }) => {
    await signInAtCounter(page, bridge)
    await startFlow(page, 'natural-person')
    await fill(page, 'account.accountName', 'zhangsan02')
    await fill(page, 'account.password', 'Kx9!pQ2#mZ')
    await fill(page, 'account.passwordConfirmation', 'Kx9!pQ2#mZ')
    await next(page)
    await fill(page, 'person.name', '张三')
    await choose(page, 'person.document.docType', '居民身份证')
    await fill(page, 'person.document.number', '11010519491231002X')
    await date(page, 'person.document.validity.from', '2015-03-01')
    await page.getByTestId('field-person.document.validity.long-term').click()
    await fill(page, 'person.mobile', '13812345678')
    await verifySms(page, bridge, 'account.smsCode', '13812345678')
    await next(page)
    await expect(page.getByTestId('note-REAL_NAME_MANUAL_REVIEW')).toContainText('08:00-18:00')
    await expect(page.getByTestId('step-capture')).toBeVisible()
    await expect(page.getByTestId('manual-review-note')).toBeVisible()
  })
})
