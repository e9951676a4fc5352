// The code tables from GET /dicts, loaded once and shared by the selects that use them
// (the project form's 产业链 and 标签, the project list's filter) and the 字典管理 page.
import { ref } from 'vue'
import { api } from '../../api.js'
import { getLocale } from '../../i18n.js'

const cache = ref(null)
let pending = null

/** Loads every dictionary (once; again after invalidateDicts()). */
export async function loadDicts() {
  if (cache.value) return cache.value
  if (!pending) {
    pending = api
      .get('/dicts', {}, { silent: true })
      .then((r) => (cache.value = Object.fromEntries((r.items || []).map((d) => [d.type, d]))))
      .catch(() => (cache.value = null))
      .finally(() => (pending = null))
  }
  return pending
}

export function invalidateDicts() {
  cache.value = null
}

/**
 * The enabled codes of a dictionary, in order (for a select), or `fallback` until loaded.
 * `keep` adds codes a record already has, so a disabled item still shows where it is used.
 */
export function dictCodes(type, fallback = [], keep = []) {
  const d = cache.value?.[type]
  if (!d) return fallback
  const codes = d.items.filter((i) => i.enabled).map((i) => i.code)
  for (const k of [].concat(keep || [])) if (k && !codes.includes(k)) codes.push(k)
  return codes
}

/** The label of a code in the UI's language (the code itself when unknown). */
export function dictLabel(type, code) {
  const item = cache.value?.[type]?.items.find((i) => i.code === code)
  if (!item) return code
  return getLocale() === 'en' && item.label_en ? item.label_en : item.label_zh
}

/** Every code of a dictionary, disabled ones too (for filters over existing records). */
export function dictAllCodes(type, fallback = []) {
  const d = cache.value?.[type]
  return d ? d.items.map((i) => i.code) : fallback
}
