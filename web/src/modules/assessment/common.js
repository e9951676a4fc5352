// Helpers shared by the assessment pages: the current month (China time), previous months,
// the task kinds and groups, PDF download of a list endpoint.
import { request, saveBlob } from '../../api.js'
import { getLocale } from '../../i18n.js'

export const KINDS = ['land', 'demolition', 'investment', 'count', 'node']
export const GROUPS = ['town', 'department', 'hq']

/** "YYYY-MM" of today in Asia/Shanghai. */
export function thisMonth() {
  const d = new Date(Date.now() + 8 * 3600 * 1000)
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

/** "YYYY-Qn" of today in Asia/Shanghai. */
export function thisQuarter() {
  const d = new Date(Date.now() + 8 * 3600 * 1000)
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}

/** The last n quarters, newest first. */
export function recentQuarters(n = 8) {
  const [y, q] = thisQuarter().split('-Q').map(Number)
  const out = []
  for (let i = 0; i < n; i++) {
    const t = y * 4 + (q - 1) - i
    out.push(`${Math.floor(t / 4)}-Q${(t % 4) + 1}`)
  }
  return out
}

/** Downloads endpoint?params&format=pdf as a file. */
export async function downloadPdf(path, params, baseName) {
  const res = await request('GET', path, { params: { ...params, format: 'pdf' }, raw: true })
  saveBlob(await res.blob(), `${baseName}.pdf`)
}

/** Rank change → { cls, text } for an arrow. */
export function changeOf(v) {
  if (v === null || v === undefined) return { cls: 'rc-new', arrow: '●', n: 0 }
  if (v > 0) return { cls: 'rc-up', arrow: '▲', n: v }
  if (v < 0) return { cls: 'rc-down', arrow: '▼', n: -v }
  return { cls: 'rc-same', arrow: '—', n: 0 }
}

/** An accountability entry's reasons in the current language (reasons_en from the server; lists published before it have Chinese only). */
export function reasonsOf(e) {
  return getLocale() === 'en' && Array.isArray(e?.reasons_en) && e.reasons_en.length === (e.reasons || []).length ? e.reasons_en : e?.reasons || []
}
