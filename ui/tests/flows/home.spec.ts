// The home screen from the real `health` command of a fresh kiosk.
import { expect, test, useRealRust } from './bridge'

test('home screen shows the kiosk from the health command, in Chinese then English', async ({ page, bridge }) => {
  await useRealRust(page, bridge)
  await page.goto('/')
  await expect(page.getByTestId('title')).toHaveText('通办自助登记终端')
  await expect(page.getByTestId('kiosk-name')).toHaveText('金水区政务服务大厅 1 号')
  await expect(page.getByTestId('mode')).toHaveText('柜台模式')
  await expect(page.getByTestId('health-line')).toContainText('正常')
  await page.getByTestId('language').click()
  await expect(page.getByTestId('health-line')).toContainText('OK')
  await expect(page.getByTestId('mode')).toHaveText('Counter mode')
})

test('home screen says what to do when the database is unreachable', async ({ page, bridge }) => {
  // A broken database cannot be made from the page: `health` answers as Rust does then.
  const health = await bridge.invoke<Record<string, unknown>>('health')
  await useRealRust(page, bridge, {
    health: {
      ...health,
      databaseReachable: false,
      databaseProblem: {
        code: 'DATABASE_ERROR',
        zh: '本地数据库出错。请运行 kioskctl db check 或联系管理员。',
        en: 'The local database failed. Run `kioskctl db check` or call an administrator.',
      },
    },
  })
  await page.goto('/')
  await expect(page.getByTestId('problem')).toContainText('kioskctl db check')
  await expect(page.getByTestId('health-line')).toContainText('无法访问')
})
