/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The Tauri shell loads `ui/dist` (release) or this dev server (debug builds).
export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    include: ['tests/unit/**/*.spec.ts'],
    // One environment for all files, set up once (tests/unit/setup.ts cleans up after each test).
    isolate: false,
    setupFiles: ['tests/unit/setup.ts'],
  },
})
