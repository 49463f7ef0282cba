// 长辈版 (elderly mode) on a self-service kiosk, against the app's REAL Rust commands through the
// loopback bridge (tests/flows/bridge.ts): the MIIT 适老化 figures measured on every
// self-service step (computed styles: main text ≥ 30 px, all text ≥ 24 px, line height ≥ 1.3 ×
// font size; touch targets ≥ 60 × 60 px, keyboard keys included; axe colour contrast AA, and
// AAA 7:1 reported), one question a screen finished through Rust, the steps read aloud by Rust's
// speech service (voice_speak → espeak-ng → a WAV played through Web Audio), and the
// "还需要更多时间吗？" prompt that extends instead of wiping.
// Screenshots: compared with docs/screenshots/elderly-*.png (`--update-snapshots` refreshes them).
import AxeBuilder from '@axe-core/playwright'
import { type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { expect, test, useRealRust } from './bridge'
import { ipcCalls } from './ipc-mock'
import { volatile } from './shots'
import { paper } from './flow-steps'

/** Compared with docs/screenshots/elderly-<name>.png, so they cannot go stale (shots.ts). */
const shot = (page: Page, name: string) =>
  expect(page).toHaveScreenshot(`elderly-${name}.png`, { mask: volatile(page), maskColor: '#d9dce3' })

// At 10:00 in China: the real-name check's service hours (08:00-18:00) decide what the capture
// step says when the platform cannot be reached, and the committed screenshots show the day's
// wording (run at 18:20, the test compared the evening's and failed).
test.use({ viewport: { width: 1280, height: 1024 }, bridgeOptions: { selfService: true, hallProfile: 'tianjin', at: '2026-12-04 02:00:00' } })

interface Figures {
  /** Text smaller than 24 px, or with lines closer than 1.3 × its size. */
  smallText: string[]
  /** Controls smaller than 60 × 60 px. */
  smallTargets: string[]
  /** The main texts' sizes (must be ≥ 30 px). */
  main: { what: string; px: number }[]
  /** Text below 7:1 against the background behind it (computed here: axe counts all 长辈版
   * text as large, where AAA asks only 4.5:1), with its ratio. */
  belowSeven: string[]
}

/** Measures what is on screen: every visible element with text of its own, every control. */
async function figures(page: Page, mainSelectors: string[]): Promise<Figures> {
  return page.evaluate((mains) => {
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect()
      const s = getComputedStyle(e)
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0
    }
    const name = (e: Element) => {
      const test = e.closest('[data-test]')?.getAttribute('data-test')
      const text = (e.textContent ?? '').trim().slice(0, 16)
      return `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}${test ? `@${test}` : ''} «${text}»`
    }
    const app = document.querySelector('.app')!
    const smallText: string[] = []
    for (const e of app.querySelectorAll('*')) {
      const own = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')
      if (!own || !visible(e)) continue
      const s = getComputedStyle(e)
      const size = parseFloat(s.fontSize)
      // Single-line controls (buttons, keys, tags, inputs) centre their one line: their line
      // height is not line spacing.
      const control = e.closest('button, .el-button, .el-tag, .osk__key, input, .el-input__wrapper, .el-select__wrapper')
      const lh = s.lineHeight === 'normal' ? size * 1.2 : parseFloat(s.lineHeight)
      if (size < 24) smallText.push(`${name(e)} ${size}px`)
      else if (!control && lh < size * 1.3 - 0.5) smallText.push(`${name(e)} line ${lh}/${size}`)
    }
    const smallTargets: string[] = []
    const controls = app.querySelectorAll(
      'button, a[href], .el-input__wrapper, .el-select__wrapper, .el-radio, .el-checkbox, [role="switch"], .el-date-editor',
    )
    for (const e of controls) {
      if (!visible(e)) continue
      const r = e.getBoundingClientRect()
      if (r.width < 60 || r.height < 60) smallTargets.push(`${name(e)} ${Math.round(r.width)}×${Math.round(r.height)}`)
    }
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number)
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
    }
    const behind = (e: Element | null): number[] => {
      for (let at = e; at; at = at.parentElement) {
        const c = rgb(getComputedStyle(at).backgroundColor)
        if (c.length < 4 || c[3] === 1) return c
      }
      return [255, 255, 255]
    }
    const belowSeven: string[] = []
    for (const e of app.querySelectorAll('*')) {
      const own = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')
      if (!own || !visible(e)) continue
      const [l1, l2] = [lum(rgb(getComputedStyle(e).color)), lum(behind(e))].sort((a, b) => b - a)
      const ratio = (l1 + 0.05) / (l2 + 0.05)
      if (ratio < 7) belowSeven.push(`${name(e)} ${ratio.toFixed(2)}:1`)
    }
    const main = mains.flatMap((sel) =>
      [...document.querySelectorAll(sel)].filter(visible).map((e) => ({ what: sel, px: parseFloat(getComputedStyle(e).fontSize) })),
    )
    return { smallText, smallTargets, main, belowSeven }
  }, mainSelectors)
}

/** 适老化 figures of the screen now; `mains` name its main texts. */
async function expectElderlyFigures(page: Page, screen: string, mains: string[]) {
  const f = await figures(page, mains)
  expect(f.smallText, `${screen}: text under 24 px or lines under 1.3`).toEqual([])
  expect(f.smallTargets, `${screen}: touch targets under 60 × 60 px`).toEqual([])
  expect(f.main.length, `${screen}: main text found`).toBeGreaterThan(0)
  for (const m of f.main) expect(m.px, `${screen}: main text ${m.what}`).toBeGreaterThanOrEqual(30)
  belowSeven[screen] = [...(belowSeven[screen] ?? []), ...f.belowSeven]
}

/** Text below 7:1 per screen, written to the test's output for the report. */
const belowSeven: Record<string, string[]> = {}

/** axe: colour contrast AA must pass; what misses AAA (7:1) is noted. */
async function expectContrast(page: Page, screen: string) {
  const aa = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze()
  const failing = aa.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`))
  expect(failing, `${screen}: contrast below 4.5:1`).toEqual([])
  const aaa = await new AxeBuilder({ page }).withRules(['color-contrast-enhanced']).analyze()
  belowSeven[`${screen} (axe AAA)`] = aaa.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')))
}

/** Reads the step aloud with the speaker button; returns what the player measured. */
async function readAloud(page: Page) {
  const button = page.getByTestId('voice-speak')
  // In 长辈版 the step is being read by itself: the button stops that first.
  await expect(page.getByTestId('voice-caption')).toBeVisible()
  await button.click()
  await expect(button).toHaveAttribute('aria-pressed', 'false')
  await page.evaluate(() => delete (window as unknown as { __voiceLast?: unknown }).__voiceLast)
  await button.click()
  await expect(page.getByTestId('voice-caption')).toBeVisible()
  return page.evaluate(
    () => (window as unknown as { __voiceLast: { text: string; tapToAudioMs: number; synthesisMs: number; durationMs: number } }).__voiceLast,
  )
}

/** A document-like photo (1400 × 900 JPEG) for the capture step. */
function cardImage(): string {
  mkdirSync('test-results', { recursive: true })
  const path = 'test-results/elderly-card.jpg'
  execFileSync('convert', [
    '-size', '1400x900', 'xc:#e8e4d8', '-fill', '#333', '-pointsize', '60', '-annotate', '+100+200', 'ID CARD SPECIMEN',
    '-fill', '#8a6', '-draw', 'rectangle 900,250 1250,700', '-pointsize', '40', '-annotate', '+100+400', '1234 5678 9012', path,
  ])
  return path
}

/** Answers the question on screen (its field's path) and goes to the next. */
async function answer(page: Page, path: string) {
  const field = (p: string) => page.getByTestId(`field-${p}`)
  const values: Record<string, string> = {
    'account.accountName': 'zhaolihua01',
    'account.password': 'Kx9!pQ2#mZ',
    'account.passwordConfirmation': 'Kx9!pQ2#mZ',
    'person.name': '赵丽华',
    'person.document.number': '11010519491231002X',
    'person.mobile': '13812345678',
  }
  if (path.endsWith('smsCode')) {
    // Offline (no platform in this test): sending fails and the mobile is verified later.
    await page.getByTestId(`sms-send-${path}`).click()
    await page.getByTestId(`sms-later-${path}`).click()
    await expect(page.getByTestId(`sms-deferred-${path}`)).toBeVisible()
  }
  else if (path === 'person.document.validity') {
    const from = field('person.document.validity.from').locator('input')
    await from.fill('2015-03-01')
    await from.press('Enter')
    await field('person.document.validity.long-term').click()
  } else if (values[path]) await field(path).fill(values[path])
  await page.getByTestId('question-next').click()
}

test('长辈版: figures on every self-service step, one question a screen, each step read aloud', async ({ page, bridge }) => {
  test.setTimeout(180_000)
  // The hall's receipt printer is a device: answered here (flow-steps.ts `paper`).
  await useRealRust(page, bridge, paper)
  await page.goto('/')
  await expect(page.getByTestId('tile-natural-person')).toBeVisible()
  const sw = page.getByTestId('elderly-switch')
  await expect(sw).toHaveAttribute('aria-checked', 'false')
  await sw.click()
  await expect(sw).toHaveAttribute('aria-checked', 'true')
  await expect(page.locator('html')).toHaveClass(/elderly/)

  // Home: read by itself once 长辈版 is on, and again with the speaker button.
  await expect(page.getByTestId('voice-caption')).toContainText('欢迎使用自助登记')
  await expect(page.getByTestId('connectivity')).toHaveText('网络没连上，不影响办理')
  await expectElderlyFigures(page, 'home', ['.home__tile-title', '.home__welcome'])
  await expectContrast(page, 'home')
  await shot(page, 'home')
  expect((await readAloud(page)).text).toContain('长辈版')

  // Consent, in plain words.
  await page.getByTestId('tile-natural-person').click()
  await expect(page.getByTestId('consent')).toBeVisible()
  await expect(page.getByRole('heading', { name: /您的信息怎么用/ })).toBeVisible()
  await expect(page.getByTestId('voice-caption')).toContainText('自然人注册')
  await expectElderlyFigures(page, 'consent', ['.consent__terms dd', 'h2'])
  await expectContrast(page, 'consent')
  await shot(page, 'consent')
  await page.getByTestId('consent-agree').click()

  // The wizard, one question a screen: the account step.
  const progress = page.getByTestId('question-progress')
  await expect(progress).toContainText('第 1 题，共 3 题')
  await expect(page.locator('[data-test="one-question"] .field')).toHaveCount(1)
  await expect(page.getByTestId('wizard-next')).toBeHidden()
  expect((await readAloud(page)).text).toMatch(/^第1题，共3题：/)
  await page.getByTestId('field-account.accountName').click()
  await expect(page.getByTestId('osk')).toBeVisible()
  await expectElderlyFigures(page, 'question with keyboard', ['.field__label', '.one-question__progress'])
  await expectContrast(page, 'question')
  await shot(page, 'question-keyboard')
  const key = await page.getByTestId('key-q').boundingBox()
  expect(key!.width).toBeGreaterThanOrEqual(60)
  expect(key!.height).toBeGreaterThanOrEqual(60)

  // Answer question by question; each step is finished by Rust after its last question.
  const seen: string[] = []
  for (let i = 0; i < 20 && !(await page.getByTestId('step-summary').isVisible()); i++) {
    if (await page.getByTestId('step-capture').isVisible()) {
      // Offline, outside the population register's hours: document photos for manual review,
      // handed in through the file tab (a document-like JPEG made with ImageMagick).
      await expect(page.getByTestId('voice-caption')).toContainText('拍摄或上传')
      await expectElderlyFigures(page, 'capture', ['h2'])
      await expectContrast(page, 'capture')
      await shot(page, 'capture')
      for (const panel of await page.locator('[data-test^="slot-"]').all()) {
        await panel.getByTestId('capture-tab-file').click()
        await panel.getByTestId('file-input').setInputFiles(cardImage())
        await expect(panel.locator('img')).toHaveCount(1)
      }
      await page.getByTestId('wizard-next').click()
      await expect(page.getByTestId('step-summary')).toBeVisible()
      break
    }
    const row = page.locator('[data-test="one-question"] [data-test^="row-"]')
    await expect(row).toHaveCount(1)
    const path = (await row.getAttribute('data-test'))!.slice('row-'.length)
    if (path === 'person.name') {
      await expectElderlyFigures(page, 'question', ['.field__label', '.one-question__progress'])
      await shot(page, 'question')
    }
    seen.push(path)
    const before = await progress.textContent()
    await answer(page, path)
    // The next question: another field, or the same counter text on the next step (a one-question
    // step follows another); finishing a step runs its live checks, so allow for them (once, in
    // CI, the step after the personal details took longer than 20 s to appear: not a figure this
    // test measures, so the wait is generous).
    await expect
      .poll(
        async () => {
          if ((await page.getByTestId('step-summary').isVisible()) || (await page.getByTestId('step-capture').isVisible())) return true
          if ((await progress.count()) !== 1 || (await row.count()) !== 1) return false
          return (await progress.textContent()) !== before || (await row.getAttribute('data-test')) !== `row-${path}`
        },
        { timeout: 60_000 },
      )
      .toBe(true)
  }
  expect(seen).toEqual(expect.arrayContaining(['account.accountName', 'person.name', 'person.document.number', 'person.mobile']))
  const finished = (await ipcCalls(page)).filter((c) => c.cmd === 'finish_step').map((c) => c.args.step)
  expect(finished).toEqual(expect.arrayContaining(['account', 'person']))

  // Summary and done.
  await expect(page.getByTestId('summary-person.document.number')).toHaveText('110***********002X')
  await expect(page.getByTestId('voice-caption')).toContainText('核对')
  await expectElderlyFigures(page, 'summary', ['h2'])
  await expectContrast(page, 'summary')
  await shot(page, 'summary')
  await page.getByTestId('wizard-submit').click()
  await expect(page.getByTestId('done')).toBeVisible()
  await expect(page.getByTestId('voice-caption')).toContainText('申请已提交')
  await expectElderlyFigures(page, 'done', ['.done__code', 'h2, .el-result__title p'])
  await expectContrast(page, 'done')
  await shot(page, 'done')

  // No spoken text ever held what was typed.
  const spoken = (await ipcCalls(page)).filter((c) => c.cmd === 'voice_speak')
  expect(spoken.length).toBeGreaterThanOrEqual(6)
  expect(JSON.stringify(spoken)).not.toMatch(/赵丽华|11010519491231002X|13812345678|zhaolihua01/)

  // Going home ends the session: 长辈版 is off for the next visitor.
  await page.getByTestId('done-home').click()
  await expect(page.getByTestId('elderly-switch')).toHaveAttribute('aria-checked', 'false')
  await expect(page.locator('html')).not.toHaveClass(/elderly/)
  console.log(`below 7:1 per screen: ${JSON.stringify(belowSeven, null, 1)}`)
})

// The one figure measured against a time limit: it runs alone, after the other flows
// (playwright.config.ts, project "timed"), so it measures the kiosk and not a test beside it.
test('长辈版: a tap on the speaker is heard within 300 ms, at home and at a question', { tag: '@timed' }, async ({ page, bridge }) => {
  await useRealRust(page, bridge)
  await page.goto('/')
  await page.getByTestId('elderly-switch').click()
  await expect(page.locator('html')).toHaveClass(/elderly/)
  const home = await readAloud(page)
  expect(home.text).toContain('长辈版')
  expect(home.tapToAudioMs, 'tap to first audio (home)').toBeLessThan(300)
  console.log(`tap to first audio (home): ${home.tapToAudioMs} ms (synthesis ${home.synthesisMs} ms, ${home.durationMs} ms audio)`)

  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await expect(page.getByTestId('question-progress')).toContainText('第 1 题，共 3 题')
  const question = await readAloud(page)
  expect(question.text).toMatch(/^第1题，共3题：/)
  expect(question.tapToAudioMs, 'tap to first audio (question)').toBeLessThan(300)
  console.log(`tap to first audio (question): ${question.tapToAudioMs} ms (synthesis ${question.synthesisMs} ms)`)
})

test('长辈版: "还需要更多时间吗？" comes later, is read aloud, and 需要 keeps everything', async ({ page, bridge }) => {
  test.setTimeout(120_000)
  await page.clock.install()
  await useRealRust(page, bridge)
  await page.goto('/')
  await page.getByTestId('elderly-switch').click()
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await page.getByTestId('field-account.accountName').fill('zhaolihua01')
  const rules = (await ipcCalls(page)).length // rules come from Rust: 120 s → 360 s in 长辈版, 60 s prompt

  // The usual 100 s pass without a prompt; at 300 s of quiet it asks.
  await page.clock.runFor(290_000)
  await expect(page.getByTestId('idle-countdown')).toHaveCount(0)
  await page.clock.runFor(12_000)
  await expect(page.getByRole('heading', { name: '还需要更多时间吗？' })).toBeVisible()
  await page.clock.runFor(1_000)
  await expect.poll(async () => (await ipcCalls(page)).slice(rules).some((c) => JSON.stringify(c.args).includes('more-time'))).toBe(true)
  const stay = page.getByTestId('idle-stay')
  await expect(stay).toHaveText('需要')
  const box = await stay.boundingBox()
  expect(box!.height).toBeGreaterThanOrEqual(60)
  // As in self-service.spec.ts: with the clock installed, a pointer tap's own pointerdown
  // already counts as activity and removes the prompt under the pointer; the button's handler
  // is what is tested here.
  await stay.dispatchEvent('click')
  await expect(page.getByTestId('idle-countdown')).toHaveCount(0)
  await expect(page.getByTestId('field-account.accountName')).toHaveValue('zhaolihua01')

  // Not answered: after the whole prompt the session is wiped and 长辈版 is off.
  await page.clock.runFor(361_000)
  await expect(page.getByTestId('tiles')).toBeVisible()
  await expect(page.getByTestId('elderly-switch')).toHaveAttribute('aria-checked', 'false')
})

test('长辈版 left on at an idle home screen is turned off for the next visitor', async ({ page, bridge }) => {
  await page.clock.install()
  await useRealRust(page, bridge)
  await page.goto('/')
  await page.getByTestId('elderly-switch').click()
  await expect(page.locator('html')).toHaveClass(/elderly/)
  await page.clock.runFor(301_000)
  await expect(page.getByRole('heading', { name: '还需要更多时间吗？' })).toBeVisible()
  await page.clock.runFor(61_000)
  await expect(page.getByTestId('elderly-switch')).toHaveAttribute('aria-checked', 'false')
  await expect(page.locator('html')).not.toHaveClass(/elderly/)
})
