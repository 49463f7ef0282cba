// The on-screen keyboard of a self-service kiosk, typing into the natural-person wizard with its
// keys and handwriting pad only. The candidates come from the REAL engine: the ime_* commands
// go through the loopback bridge to the app's Rust commands (tests/flows/bridge.ts), which read
// Debian's pinyin lexicon and the zinnia handwriting model. At 1280×800 and 1920×1080 the
// keyboard never covers the field being typed in.
import { readFileSync } from 'node:fs'
import { type Locator, type Page } from '@playwright/test'
import { expect, test, useRealRust } from './bridge'
import { ipcCalls } from './ipc-mock'
import { fill } from './flow-steps'

const shots = process.env.UPDATE_DOC_SCREENSHOTS ? '../docs/screenshots' : 'test-results/screenshots'

interface StrokeFixture {
  character: string
  ink: { width: number; height: number; strokes: [number, number][][] }
}

/** A handwriting fixture of the Rust engine's tests (crates/kiosk-ime/tests/fixtures/strokes). */
function strokes(name: string): StrokeFixture {
  const url = new URL(`../../../crates/kiosk-ime/tests/fixtures/strokes/${name}`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as StrokeFixture
}

const key = (page: Page, id: string) => page.getByTestId(`key-${id}`)
const field = (page: Page, path: string) => page.getByTestId(`field-${path}`)
const keyboard = (page: Page) => page.getByTestId('osk')

/** Presses the keys for `text` (letters, digits, X; `'` is the syllable separator). */
async function press(page: Page, text: string) {
  for (const c of text) await key(page, c === "'" ? 'separator' : c.toLowerCase()).click()
}

/** The texts of the first `n` candidates in the bar. */
async function firstCandidates(bar: Locator, n = 5): Promise<string[]> {
  const texts = await bar.allInnerTexts()
  return texts.slice(0, n).map((t) => t.trim())
}

/** Types pinyin, waits for Rust's candidates and taps `wanted`, which must be among the first
 * five. */
async function typeAndChoose(page: Page, letters: string, wanted: string) {
  await press(page, letters)
  // The bar answers what is typed now, not an earlier keystroke.
  await expect(page.getByTestId('osk-bar')).toHaveAttribute('data-settled', 'true')
  const bar = page.locator('[data-test^="osk-candidate-"]')
  await expect.poll(() => firstCandidates(bar), { message: `${letters} offers ${wanted}` }).toContain(wanted)
  const at = (await firstCandidates(bar)).indexOf(wanted)
  await page.getByTestId(`osk-candidate-${at}`).click()
}

/** The keyboard is open and lies wholly below the field (bounding boxes). */
async function expectFieldAboveKeyboard(page: Page, path: string) {
  await expect(keyboard(page)).toBeVisible()
  await expect
    .poll(
      async () => {
        const box = await field(page, path).boundingBox()
        const osk = await keyboard(page).boundingBox()
        if (!box || !osk) return 'not laid out'
        if (box.y < 0) return `field above the window (${box.y})`
        if (box.y + box.height > osk.y) return `field bottom ${box.y + box.height} below keyboard top ${osk.y}`
        return 'clear'
      },
      { message: `${path} stays above the keyboard` },
    )
    .toBe('clear')
}

/** Focuses a field by tapping it; the keyboard opens with the pad the field asks for. */
async function tap(page: Page, path: string, pad: string) {
  await field(page, path).click()
  await expect(keyboard(page)).toHaveAttribute('data-pad', pad)
  await expectFieldAboveKeyboard(page, path)
}

/** Draws a fixture's strokes on the handwriting pad with the mouse. */
async function draw(page: Page, fixture: StrokeFixture) {
  const canvas = page.getByTestId('osk-handwriting-canvas')
  const box = await canvas.boundingBox()
  if (!box) throw new Error('no handwriting pad')
  const scale = Math.min(box.width / fixture.ink.width, box.height / fixture.ink.height)
  for (const stroke of fixture.ink.strokes) {
    const [[x0, y0], ...rest] = stroke
    await page.mouse.move(box.x + x0 * scale, box.y + y0 * scale)
    await page.mouse.down()
    for (const [x, y] of rest) await page.mouse.move(box.x + x * scale, box.y + y * scale)
    await page.mouse.up()
  }
}

/** A self-service visitor starts the natural-person registration and passes the account step. */
async function toPersonStep(page: Page) {
  await page.goto('/')
  await page.getByTestId('tile-natural-person').click()
  await page.getByTestId('consent-agree').click()
  await expect(page.getByTestId('step-account')).toBeVisible()
  await fill(page, 'account.accountName', 'zhangsan01')
  await fill(page, 'account.password', 'Kx9!pQ2#mZ')
  await fill(page, 'account.passwordConfirmation', 'Kx9!pQ2#mZ')
  // A click while Rust still checks the last field is dropped by the wizard: click again.
  await expect(async () => {
    await page.getByTestId('wizard-next').click()
    await expect(page.getByTestId('step-person')).toBeVisible({ timeout: 2_000 })
  }).toPass({ timeout: 20_000 })
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  const small = viewport.width === 1280
  // Written, not compared: where the keyboard scrolls the page differs by a few pixels of
  // layout timing, so the picture has two stable states (`--update-snapshots` is not needed;
  // UPDATE_DOC_SCREENSHOTS=1 writes docs/screenshots/osk-*.png).
  const shot = async (page: Page, name: string) => {
    if (small) await page.screenshot({ path: `${shots}/osk-${name}-zh.png` })
  }
  test.describe(`on-screen keyboard at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport, bridgeOptions: { selfService: true, hallProfile: 'tianjin' } })

    test('a name, an ID number, a mobile and a unit name typed with keys and handwriting only', async ({ page, bridge }) => {
      await useRealRust(page, bridge)
      await toPersonStep(page)

      // 张三 in pinyin.
      await tap(page, 'person.name', 'text')
      await press(page, 'zhangsan')
      await expect(page.getByTestId('osk-composing')).toHaveText('zhang san')
      await expect(page.getByTestId('osk-candidate-0')).toHaveText('张三')
      await shot(page, 'pinyin')
      await typeAndChoose(page, '', '张三')
      await expect(field(page, 'person.name')).toHaveValue('张三')

      // The ID number on the number pad: digits and X, no letters.
      await tap(page, 'person.document.number', 'idnumber')
      await expect(key(page, 'q')).toHaveCount(0)
      await press(page, '11010519491231002X')
      await shot(page, 'idnumber')
      await expect(field(page, 'person.document.number')).toHaveValue('11010519491231002X')

      // The mobile on the phone pad.
      await tap(page, 'person.mobile', 'phone')
      await expect(key(page, 'plus')).toBeVisible()
      await press(page, '13812345678')
      await expect(field(page, 'person.mobile')).toHaveValue('13812345678')

      // 北京市朝阳区 in parts: word by word, then all at once choosing only the first syllables.
      await tap(page, 'unitName', 'text')
      await typeAndChoose(page, 'beijingshi', '北京市')
      await typeAndChoose(page, 'chaoyangqu', '朝阳区')
      await expect(field(page, 'unitName')).toHaveValue('北京市朝阳区')
      await key(page, 'clear').click()
      await expect(field(page, 'unitName')).toHaveValue('')
      await typeAndChoose(page, 'beijingshichaoyangqu', '北京市')
      await expect(page.getByTestId('osk-composing')).toHaveText('chao yang qu')
      await typeAndChoose(page, '', '朝阳区')
      await expect(field(page, 'unitName')).toHaveValue('北京市朝阳区')
      await key(page, 'clear').click()

      // The unit name: pinyin, and 办 written on the handwriting pad.
      await typeAndChoose(page, 'tianjin', '天津')
      await typeAndChoose(page, 'tong', '通')
      await key(page, 'handwriting').click()
      await expectFieldAboveKeyboard(page, 'unitName')
      const ban = strokes('mmh-u529e.json')
      await draw(page, ban)
      const read = page.locator('[data-test^="osk-hw-candidate-"]')
      await expect.poll(() => firstCandidates(read), { message: 'the pad reads 办' }).toContain(ban.character)
      await shot(page, 'handwriting')
      await page.getByTestId(`osk-hw-candidate-${(await firstCandidates(read)).indexOf(ban.character)}`).click()
      await key(page, 'handwriting').click()
      await typeAndChoose(page, 'shifan', '示范')
      await typeAndChoose(page, 'keji', '科技')
      await typeAndChoose(page, 'youxiangongsi', '有限公司')
      await expect(field(page, 'unitName')).toHaveValue('天津通办示范科技有限公司')
      await expectFieldAboveKeyboard(page, 'unitName')

      // Every conversion was Rust's.
      const asked = (await ipcCalls(page)).map((c) => c.cmd)
      expect(asked).toContain('ime_pinyin')
      expect(asked).toContain('ime_choose')
      expect(asked).toContain('ime_handwriting')

      // Closing: the key hides it; focus elsewhere keeps it closed.
      await key(page, 'close').click()
      await expect(keyboard(page)).toBeHidden()
    })
  })
}

test.describe('session learning', () => {
  test.use({ bridgeOptions: { selfService: true, hallProfile: 'tianjin' } })

  test('a chosen name ranks first for the same visitor and is forgotten when the session is wiped', async ({ page, bridge }) => {
    await useRealRust(page, bridge)
    await toPersonStep(page)
    await tap(page, 'person.name', 'text')
    const first = page.getByTestId('osk-candidate-0')
    await press(page, 'lisi')
    await expect(first).toHaveText('里斯')
    await key(page, 'clear').click()
    await typeAndChoose(page, 'lisi', '李四')
    await key(page, 'clear').click()
    await press(page, 'lisi')
    await expect(first, 'this visitor chose 李四').toHaveText('李四')
    await key(page, 'clear').click()
    // The keyboard is put away first: the page moves back under the finger as it closes.
    await key(page, 'close').click()
    await expect(keyboard(page)).toBeHidden()

    await page.getByTestId('wizard-cancel').click()
    await expect(page.getByTestId('tiles')).toBeVisible()
    expect((await ipcCalls(page)).some((c) => c.cmd === 'ime_forget'), 'the wipe forgets the choices').toBe(true)
    await toPersonStep(page)
    await tap(page, 'person.name', 'text')
    await press(page, 'lisi')
    await expect(first, 'the next visitor starts afresh').toHaveText('里斯')
  })
})

test.describe('counter mode', () => {
  test('keeps the physical keyboard: no on-screen keyboard opens', async ({ page, bridge }) => {
    await useRealRust(page, bridge)
    await page.goto('/')
    await page.getByTestId('sign-in').click()
    await page.locator('#login-username').click()
    await expect(page.locator('#login-username')).toBeFocused()
    await expect(keyboard(page)).toBeHidden()
  })
})
