import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { createKioskI18n } from './i18n'
import { createKioskRouter } from './router'

const pinia = createPinia()
createApp(App).use(pinia).use(createKioskRouter(pinia)).use(createKioskI18n()).use(ElementPlus).mount('#app')
