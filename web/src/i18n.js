// A small i18n for guatu: Chinese first (zh-CN), English second.
//
// Messages are nested objects, looked up with dotted keys: t('system.users.title').
// Modules add theirs through their index.js `messages` (see registry.js). A missing key falls
// back to zh-CN, then to the key itself. `{name}` in a message is replaced from params.
// The chosen locale is kept in localStorage under 'guatu.locale'.
import { reactive, computed } from 'vue'

const STORAGE_KEY = 'guatu.locale'
export const LOCALES = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
]
const DEFAULT_LOCALE = 'zh-CN'

const state = reactive({ locale: readStoredLocale() })
const dict = { 'zh-CN': {}, en: {} }

function readStoredLocale() {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    if (LOCALES.some((l) => l.value === v)) return v
  } catch {
    /* storage may be disabled */
  }
  return DEFAULT_LOCALE
}

function merge(into, from) {
  for (const [k, v] of Object.entries(from || {})) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (!into[k] || typeof into[k] !== 'object') into[k] = {}
      merge(into[k], v)
    } else {
      into[k] = v
    }
  }
}

/** Adds (deep-merges) messages for one locale. */
export function addMessages(locale, messages) {
  if (!dict[locale]) dict[locale] = {}
  merge(dict[locale], messages)
}

function lookup(locale, key) {
  let o = dict[locale]
  for (const part of key.split('.')) {
    if (o == null || typeof o !== 'object') return undefined
    o = o[part]
  }
  return typeof o === 'string' ? o : undefined
}

/** Whether a key has a message in the current locale or the default one. */
export function te(key) {
  return lookup(state.locale, key) !== undefined || lookup(DEFAULT_LOCALE, key) !== undefined
}

/** Translates a dotted key; `{x}` placeholders are filled from params. Reactive on locale. */
export function t(key, params) {
  if (!key) return ''
  const s = lookup(state.locale, key) ?? lookup(DEFAULT_LOCALE, key) ?? key
  if (!params) return s
  return s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined && params[k] !== null ? String(params[k]) : m))
}

export function getLocale() {
  return state.locale
}

export function setLocale(locale) {
  if (!LOCALES.some((l) => l.value === locale)) return
  state.locale = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    /* ignore */
  }
  applyDocumentLocale()
}

export function applyDocumentLocale() {
  if (typeof document !== 'undefined') document.documentElement.lang = state.locale === 'en' ? 'en' : 'zh-CN'
}

/**
 * Server messages come as "中文 / English". Shows the half for the current locale;
 * a message without the separator is shown as it is.
 */
export function localize(message) {
  if (typeof message !== 'string') return message == null ? '' : String(message)
  const i = message.indexOf(' / ')
  if (i < 0) return message
  return state.locale === 'en' ? message.slice(i + 3).trim() : message.slice(0, i).trim()
}

export function useI18n() {
  return { t, te, localize, locale: computed(() => state.locale), setLocale }
}

export const i18nPlugin = {
  install(app) {
    app.config.globalProperties.$t = t
    app.config.globalProperties.$localize = localize
    applyDocumentLocale()
  },
}
