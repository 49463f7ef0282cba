// Runs before every unit test file. The files share one environment (`isolate: false` in
// vite.config.ts: 23 s -> 5 s, mostly jsdom set up once instead of per file), so each test
// leaves nothing behind: its mounted components are unmounted (a screen left mounted would
// still answer, e.g. as the step read aloud) and its Tauri IPC mock is cleared.
import { afterEach } from 'vitest'
import { disableAutoUnmount, enableAutoUnmount } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'

// The module is shared between files too: reset it, then hook this file's tests. Unmount first:
// a screen stops listening to Tauri events as it goes, through the mock that is cleared next.
disableAutoUnmount()
enableAutoUnmount((unmountAll) =>
  afterEach(() => {
    unmountAll()
    clearMocks()
  }),
)
