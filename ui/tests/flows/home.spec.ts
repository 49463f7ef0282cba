import { test, expect } from '@playwright/test'
import { mockIpc } from './ipc-mock'

const healthy = {
  appVersion: '0.1.0',
  dataDir: '/var/lib/tongban',
  kioskName: '金水区政务服务大厅 1 号',
  mode: 'counter',
  databaseReachable: true,
}

test('home screen shows the kiosk from the health command, in Chinese then English', async ({ page }) => {
  await mockIpc(page, { health: healthy })
  await page.goto('/')
  await expect(page.getByTestId('title')).toHaveText('通办自助登记终端')
  await expect(page.getByTestId('kiosk-name')).toHaveText('金水区政务服务大厅 1 号')
  await expect(page.getByTestId('mode')).toHaveText('柜台模式')
  await expect(page.getByTestId('health-line')).toContainText('正常')
  await page.getByTestId('language').click()
  await expect(page.getByTestId('health-line')).toContainText('OK')
  await expect(page.getByTestId('mode')).toHaveText('Counter mode')
})

test('home screen says what to do when the database is unreachable', async ({ page }) => {
  await mockIpc(page, {
    health: {
      ...healthy,
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
