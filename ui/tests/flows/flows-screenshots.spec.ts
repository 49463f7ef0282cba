// Every flow's main steps in both languages, compared with docs/screenshots/flow-*.png (see
// shots.ts), on the real Rust commands; and in self-service mode every control of the wizard is
// a touch target of at least 48 px, at 1280×800 and at 1920×1080.
import { expect, test, useRealRust } from './bridge'
import { choose, date, fill, longTerm, next, nextTo, paper, pickDivision, signIn, upload } from './flow-steps'
import { documentFile } from './images'
import { langs, setLanguage, shoot } from './shots'
import { password, zhangSan } from './people'

for (const lang of langs) {
  test.describe(`flows in ${lang}`, () => {
    test.use({ bridgeOptions: { platform: true, at: '2026-12-04 02:00:00' } })

    test(`legal-entity, real-name, binding and status screens in ${lang}`, async ({ page, bridge }) => {
      const other = await bridge.submitFixture('tianjin-natural-person')
      await bridge.sync()
      await signIn(page, bridge)
      await setLanguage(page, lang)
      await page.getByTestId('tile-legal-entity').click()
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-tianjin').click()
      await nextTo(page, 'account')
      await fill(page, 'account.accountName', 'hepingtech')
      await fill(page, 'account.password', password)
      await fill(page, 'account.passwordConfirmation', password)
      await nextTo(page, 'unit')
      await choose(page, 'unit.entityType', lang === 'en' ? 'Enterprise' : '企业（法人）')
      await fill(page, 'unit.name', '天津市和平区示例科技有限公司')
      await fill(page, 'unit.uscc', '91120101MA05L7Q86N')
      await nextTo(page, 'unit-details')
      await choose(page, 'unit.nature', '民营企业')
      await fill(page, 'unit.contactName', '孙敏')
      await fill(page, 'unit.contactMobile', '13612345672')
      await fill(page, 'unit.email', 'office@heping-tech.cn')
      await choose(page, 'unit.supervisingDepartment', '天津市和平区科学技术局')
      await pickDivision(page, 'unit.registeredAddress', ['天津市', '天津市', '和平区'])
      await fill(page, 'unit.registeredAddress.detail', '南京路 100 号')
      await pickDivision(page, 'unit.locatedAddress', ['天津市', '天津市', '河东区'])
      await fill(page, 'unit.locatedAddress.detail', '六纬路 8 号 3 楼')
      await page.getByTestId('field-unit.email').click()
      await shoot(page, `flow-entity-details-${lang}`)
      await nextTo(page, 'bank')
      await fill(page, 'unit.bankAccount.holder', '天津市和平区示例科技有限公司')
      await fill(page, 'unit.bankAccount.bank', '中国银行天津和平支行')
      await fill(page, 'unit.bankAccount.number', '6217000012345678')
      await nextTo(page, 'legal-representative')
      await fill(page, 'legalRepresentative.name', zhangSan.name)
      await fill(page, 'legalRepresentative.document.number', zhangSan.id)
      await date(page, 'legalRepresentative.document.validity.from', '2015-03-01')
      await longTerm(page, 'legalRepresentative.document.validity')
      await fill(page, 'legalRepresentative.mobile', zhangSan.mobile)
      await nextTo(page, 'risk-letter')
      await page.getByTestId('print-risk-letter').click()
      await expect(page.getByTestId('risk-letter-printed')).toBeVisible()
      await shoot(page, `flow-entity-risk-letter-${lang}`)
      await nextTo(page, 'capture')
      await upload(page, 'business-licence', documentFile('licence.png', 1))
      await shoot(page, `flow-entity-capture-${lang}`)
      await nextTo(page, 'summary')
      await shoot(page, `flow-entity-summary-${lang}`)

      await page.getByTestId('wizard-cancel').click()
      await page.getByTestId('tile-real-name').click()
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-most').click()
      await expect(page.getByTestId('profile-most')).toHaveClass(/is-checked/)
      await shoot(page, `flow-real-name-platform-${lang}`)

      await page.getByTestId('wizard-cancel').click()
      await page.getByTestId('tile-legacy-binding').click()
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-zhengzhou').click()
      await next(page)
      await choose(page, 'userType', lang === 'en' ? 'Individual applicant' : '申报个人用户')
      await fill(page, 'mobile', zhangSan.mobile)
      await shoot(page, `flow-legacy-binding-${lang}`)

      await page.getByTestId('wizard-cancel').click()
      await page.getByTestId('tile-status').click()
      await page.getByTestId('status-code').fill(other.receiptCode)
      await page.getByTestId('status-last4').fill('2840')
      await page.getByTestId('status-submit').click()
      await expect(page.getByTestId('status-state')).toBeVisible()
      await shoot(page, `flow-status-${lang}`)
    })
  })

  test.describe(`self-service wizard in ${lang}`, () => {
    test.use({ bridgeOptions: { selfService: true } })

    test(`self-service wizard in ${lang}: touch targets of at least 48 px`, async ({ page, bridge }) => {
      await useRealRust(page, bridge, paper)
      await page.goto('/')
      await setLanguage(page, lang)
      await page.getByTestId('tile-password-reset-appeal').click()
      await page.getByTestId('consent-agree').click()
      await page.getByTestId('profile-most').click()
      await nextTo(page, 'request')
      await shoot(page, `flow-appeal-self-service-${lang}`)
      for (const size of [
        { width: 1280, height: 800 },
        { width: 1920, height: 1080 },
      ]) {
        await page.setViewportSize(size)
        const small = await page.evaluate(() =>
          Array.from(document.querySelectorAll('main button, main .el-select__wrapper, main .el-input__wrapper, main .el-radio, main .el-checkbox'))
            .filter((e) => (e as HTMLElement).offsetParent !== null)
            .map((e) => ({ text: (e.textContent ?? '').trim() || e.className, h: e.getBoundingClientRect().height }))
            .filter((e) => e.h < 48),
        )
        expect(small, `touch targets under 48 px at ${size.width}`).toEqual([])
      }
    })
  })
}
