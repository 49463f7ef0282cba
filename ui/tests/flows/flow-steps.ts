// Steps a visitor or a clerk takes on the screens, shared by the flow tests and the screenshots.
// Everything they do goes to the real Rust commands through the loopback bridge.
import { expect, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { STAFF_PASSWORD, useRealRust, type Bridge } from './bridge'
import { ipcCalls, type IpcAnswers } from './ipc-mock'
import { cardFile, documentFile } from './images'

/** The hall's printer: paper is not part of the rules. */
export const paper: IpcAnswers = {
  print_document: { printer: 'hall-printer', jobId: 42 },
  list_printers: [{ name: 'HP_LaserJet_M404', isDefault: true }, { name: 'Receipt_80mm' }],
}

/** Signs `user` in through the login form of the page already open. */
export async function signInHere(page: Page, user = 'clerk') {
  await page.locator('#login-username').fill(user)
  await page.locator('#login-password').fill(STAFF_PASSWORD)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('tiles').waitFor()
}

/** Opens the app on the bridge and signs `user` in at the counter. */
export async function signIn(page: Page, bridge: Bridge, user = 'clerk', answers: IpcAnswers = paper) {
  await useRealRust(page, bridge, answers)
  await page.goto('/')
  await page.getByTestId('sign-in').click()
  await signInHere(page, user)
}

/** From the home screen: the flow's tile, the consent, and the platform when the hall serves
 * more than one. */
export async function startFlow(page: Page, kind: string, profile?: string) {
  await page.getByTestId(`tile-${kind}`).click()
  await page.getByTestId('consent-agree').click()
  if (profile) {
    await page.getByTestId(`profile-${profile}`).click()
    await expect(page.getByTestId(`profile-${profile}`)).toHaveClass(/is-checked/)
    await next(page)
  }
}

export const field = (page: Page, path: string) => page.getByTestId(`field-${path}`)

export const fill = (page: Page, path: string, value: string) => field(page, path).fill(value)

/** Types a value and leaves the field (Tab), so Rust checks it as when the visitor moves on. */
export async function fillAndLeave(page: Page, path: string, value: string) {
  await fill(page, path, value)
  await field(page, path).press('Tab')
}

/** Types a date into the Chinese date picker of `path` (`YYYY-MM-DD`), as on a keyboard. */
export async function date(page: Page, path: string, value: string) {
  const input = field(page, path).locator('input')
  await input.fill(value)
  await input.press('Enter')
}

/** Picks `option` (its label as shown) in the select of `path`. */
export async function choose(page: Page, path: string, option: string) {
  await field(page, path).click()
  await page.getByRole('option', { name: option, exact: true }).click()
  // The list has closed before the next field is touched.
  await expect(page.locator('.el-select-dropdown:visible')).toHaveCount(0)
}

/** Picks a division (province, city, district) in the address picker of `path`. Now and then
 * (about one run in five of the whole suite) the list closes after the province is tapped and
 * before the cities show; a visitor opens it again, and so does this helper (the cause is not
 * found yet; noted on issue 21). */
export async function pickDivision(page: Page, path: string, names: string[]) {
  const dropdown = page.locator('.el-cascader__dropdown:visible')
  await expect(async () => {
    if ((await dropdown.count()) === 0) await page.getByTestId(`division-${path}`).locator('.el-cascader').click()
    for (const [level, name] of names.entries()) {
      await dropdown.locator('.el-cascader-menu').nth(level).getByText(name, { exact: true }).click({ timeout: 5_000 })
    }
  }).toPass({ timeout: 30_000 })
  await expect(dropdown).toHaveCount(0)
}

/** Ticks "long-term" of the validity of `path`. */
export const longTerm = (page: Page, path: string) => page.getByTestId(`field-${path}.long-term`).click()

export const next = (page: Page) => page.getByTestId('wizard-next').click()

/** Goes on and waits until the step `step` (its `data-test="step-<step>"`) is shown: a click
 *  while Rust still answers for the previous step is dropped by the wizard. */
export async function nextTo(page: Page, step: string) {
  await expect(page.getByTestId('wizard-next')).toBeEnabled()
  await next(page)
  await expect(page.getByTestId(`step-${step}`)).toBeVisible()
}

/** "Send code", the code read from the platform's outbox (as from the phone), "verify". */
export async function verifySms(page: Page, bridge: Bridge, codePath: string, mobile: string) {
  await page.getByTestId(`sms-send-${codePath}`).click()
  await expect(page.getByTestId(`sms-sent-${codePath}`)).toContainText(/已发送|sent/)
  await fill(page, codePath, await bridge.smsCode(mobile))
  await page.getByTestId(`sms-verify-${codePath}`).click()
  await expect(page.getByTestId(`sms-verified-${codePath}`)).toBeVisible()
}

/** Hands files to the capture panel of `slot` through its file tab (as staff do with a USB stick). */
export async function upload(page: Page, slot: string, files: ReturnType<typeof documentFile> | ReturnType<typeof documentFile>[]) {
  const panel = page.getByTestId(`slot-${slot}`)
  const count = Array.isArray(files) ? files.length : 1
  const before = await panel.getByTestId('captured-item').count()
  await panel.getByTestId('capture-tab-file').click()
  await panel.getByTestId('file-input').setInputFiles(files)
  // Rust decodes, checks, crops and re-encodes each image: seconds in a debug build.
  await expect(panel.getByTestId('captured-item')).toHaveCount(before + count, { timeout: 30_000 })
}

/** Photographs of both sides of the identity document (manual review). */
export async function idPhotos(page: Page, seed = 10) {
  await upload(page, 'id-front', cardFile('id-front.png', seed))
  await upload(page, 'id-back', cardFile('id-back.png', seed + 1))
}

/** Hands the application in from the summary; resolves to its number and receipt code. */
export async function submit(page: Page): Promise<{ id: string; receiptCode: string }> {
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('done')).toBeVisible()
  return {
    id: await page.getByTestId('application-number').innerText(),
    receiptCode: await page.getByTestId('receipt-code').innerText(),
  }
}

/** One sync round that must deliver `count` applications, then what the platform holds of
 * application `id`. */
export async function deliver(bridge: Bridge, id: string, count = 1) {
  const report = await bridge.sync()
  expect(report.delivered, JSON.stringify(report)).toBe(count)
  return bridge.submission(id)
}

/** The text of the last document Rust wrote for `command` (e.g. `risk_letter_pdf`), read back
 * from the PDF as a reader would (pdftotext). */
export async function writtenText(page: Page, command: string): Promise<string> {
  const path = await writtenPath(page, command)
  return execFileSync('pdftotext', ['-layout', path, '-']).toString()
}

/** Where Rust wrote the last document of `command`. */
export async function writtenPath(page: Page, command: string): Promise<string> {
  const written = (await ipcCalls(page)).filter((c) => c.cmd === command && c.result).pop()
  const path = (written?.result as { path?: string } | undefined)?.path
  expect(path, `${command} wrote a document`).toBeTruthy()
  return path as string
}

/** The first page of a PDF Rust wrote, as the PNG a scanner would make of the printed sheet
 * (at `dpi`: 75 is just above the 600 px a document slot asks for). */
export function scanOf(pdf: string, name: string, dpi = 75) {
  const out = `${pdf}.scan`
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-singlefile', pdf, out])
  return { name, mimeType: 'image/png', buffer: readFileSync(`${out}.png`) }
}
