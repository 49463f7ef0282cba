import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { createKioskI18n } from './i18n'
import { createKioskRouter } from './router'
import { reportFirstPaint } from './firstPaint'
import { trackPresses } from './composables/pressRelease'

// A layout change a press causes waits for its release (composables/pressRelease.ts).
trackPresses(document)
const pinia = createPinia()
const router = createKioskRouter(pinia)
createApp(App).use(pinia).use(router).use(createKioskI18n()).use(ElementPlus).mount('#app')
// The first screen is drawn once the router has resolved it (bench/run reads the mark).
void router.isReady().then(() => reportFirstPaint())
