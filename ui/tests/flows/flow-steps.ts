// Steps a visitor takes in the wizards, shared by the flow tests and the screenshots.
import { expect, type Page } from '@playwright/test'
import { signIn } from './fixtures'
import { flowAnswers } from './flow-fixtures'


/** A small file for a capture slot's file input. */
export function file(name: string, bytes: number[] = [0xff, 0xd8, 0xff, 0xd9]) {
  return { name, mimeType: 'image/jpeg', buffer: Buffer.from(bytes) }
}

/** Hands files to the capture panel of `slot` through its file tab (as staff do with a USB stick). */
export async function upload(page: Page, slot: string, files: ReturnType<typeof file> | ReturnType<typeof file>[]) {
  const panel = page.getByTestId(`slot-${slot}`)
  await panel.getByTestId('capture-tab-file').click()
  await panel.getByTestId('file-input').setInputFiles(files)
}

export const fill = (page: Page, path: string, value: string) => page.getByTestId(`field-${path}`).fill(value)

/** Types a date into the Chinese date picker of `path` (`YYYY-MM-DD`), as on a keyboard. */
export async function date(page: Page, path: string, value: string) {
  const input = page.getByTestId(`field-${path}`).locator('input')
  await input.fill(value)
  await input.press('Enter')
}

export async function choose(page: Page, path: string, option: string) {
  await page.getByTestId(`field-${path}`).click()
  await page.getByRole('option', { name: option, exact: true }).click()
}

export async function pickDivision(page: Page, path: string, names: string[]) {
  await page.getByTestId(`division-${path}`).locator('.el-cascader').click()
  for (const [level, name] of names.entries()) {
    await page.locator('.el-cascader__dropdown:visible .el-cascader-menu').nth(level).getByText(name, { exact: true }).click()
  }
  await expect(page.locator('.el-cascader__dropdown:visible')).toHaveCount(0)
}

export async function start(page: Page, kind: string, profile: string, answers = flowAnswers()) {
  await signIn(page, answers)
  await page.getByTestId(`tile-${kind}`).click()
  await page.getByTestId('consent-agree').click()
  await page.getByTestId(`profile-${profile}`).click()
}

export const next = (page: Page) => page.getByTestId('wizard-next').click()
/** Goes on and waits until the step `step` (its `data-test="step-<step>"`) is shown: a click
 *  while Rust still answers for the previous step is dropped by the wizard, so under load a
 *  second `next` may otherwise land too early. */
export async function nextTo(page: Page, step: string) {
  await next(page)
  await expect(page.getByTestId(`step-${step}`)).toBeVisible()
}

/** Tianjin natural person: account, then the person (the profile's order), then past the work
 * step. `sms: 'later'` ticks "verify the mobile later" (offline) instead of typing a code. */
export async function fillTianjinPerson(page: Page, sms: 'code' | 'later' = 'code') {
  await expect(page.getByTestId('step-account')).toBeVisible()
  await fill(page, 'account.accountName', 'zhaolihua01')
  await fill(page, 'account.password', 'Kx9!pQ2#mZ')
  await fill(page, 'account.passwordConfirmation', 'Kx9!pQ2#mZ')
  if (sms === 'code') await fill(page, 'account.smsCode', '123456')
  else await page.getByTestId('sms-later-account.smsCode').click()
  await next(page)
  await expect(page.getByTestId('step-person')).toBeVisible()
  await fill(page, 'person.name', '赵丽华')
  await fill(page, 'person.document.number', '11010519491231002X')
  await fill(page, 'person.document.validity.from', '2015-03-01')
  await page.getByTestId('field-person.document.validity.long-term').click()
  await fill(page, 'person.mobile', '13812345678')
  await next(page)
  await expect(page.getByTestId('step-work')).toBeVisible()
  await next(page)
}

export async function fillTianjinEntity(page: Page) {
  await next(page)
  await fill(page, 'account.accountName', 'jinshuitech')
  await fill(page, 'account.password', 'Kx9!pQ2#mZ')
  await fill(page, 'account.passwordConfirmation', 'Kx9!pQ2#mZ')
  await next(page)
  await expect(page.getByTestId('step-unit')).toBeVisible()
  await choose(page, 'unit.entityType', '企业（法人）')
  await fill(page, 'unit.name', '天津市和平区示例科技有限公司')
  await fill(page, 'unit.uscc', '91120101MA05XXXX1Q')
  await next(page)
  await expect(page.getByTestId('step-unit-details')).toBeVisible()
  await fill(page, 'unit.nature', '有限责任公司')
  await fill(page, 'unit.contactName', '孙敏')
  await fill(page, 'unit.contactMobile', '13912345678')
  await fill(page, 'unit.email', 'office@example.cn')
  await fill(page, 'unit.supervisingDepartment', '天津市科学技术局')
  await pickDivision(page, 'unit.registeredAddress', ['天津市', '天津市', '和平区'])
  await fill(page, 'unit.registeredAddress.detail', '南京路 100 号')
  await pickDivision(page, 'unit.locatedAddress', ['天津市', '天津市', '河东区'])
  await fill(page, 'unit.locatedAddress.detail', '六纬路 8 号 3 楼')
  await next(page)
  await expect(page.getByTestId('step-bank')).toBeVisible()
  await fill(page, 'unit.bankAccount.holder', '天津市和平区示例科技有限公司')
  await fill(page, 'unit.bankAccount.bank', '中国银行天津分行')
  await fill(page, 'unit.bankAccount.number', '6217000012345678')
  await next(page)
  await expect(page.getByTestId('step-legal-representative')).toBeVisible()
  await fill(page, 'legalRepresentative.name', '钱伟')
  await fill(page, 'legalRepresentative.document.number', '120101198001011234')
  await fill(page, 'legalRepresentative.mobile', '13712345678')
}

