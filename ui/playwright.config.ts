import { defineConfig } from '@playwright/test'

// UI flows against the BUILT front end (`ui/dist`, served by `vite preview`), with the Tauri IPC
// replaced by an in-page mock (tests/flows/ipc-mock.ts). Debian's Chromium; no browser download.
const port = Number(process.env.UI_FLOWS_PORT ?? 4873)

export default defineConfig({
  testDir: 'tests/flows',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    testIdAttribute: 'data-test',
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
})
