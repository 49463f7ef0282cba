import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'

/** Languages of the kiosk; zh-CN is the default on every screen. */
export type Locale = 'zh-CN' | 'en'

export function createKioskI18n(locale: Locale = 'zh-CN') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN, en },
  })
}
