// What the progress pages share: state colours, month helpers, the money check the server
// applies (so the form can say "bad amount" before sending), and photo upload.
import { request } from '../../api.js'
import { parseMoney, fenToYuan } from '../projects/money.js'
import { formatWan } from '../../format.js'

export const STATE_TAG = { submitted: 'warning', returned: 'danger', approved: 'success', not_due: 'info', due: 'warning', late: 'danger', complete: 'success' }

/** "YYYY-MM" of a Date (local time). */
export function periodOf(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
}
/** Last month: the period being reported now. */
export function lastPeriod() {
  const d = new Date()
  return periodOf(new Date(d.getFullYear(), d.getMonth() - 1, 1))
}
/** True for months after the current one (the server refuses them). */
export function isFutureMonth(date) {
  const now = new Date()
  return date.getFullYear() * 12 + date.getMonth() > now.getFullYear() * 12 + now.getMonth()
}

// The forms money_parse accepts: 1234, 1,234.56, 12.5万, 3.66亿元 …
const MONEY = /^\s*(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*(元|万|万元|亿|亿元)?\s*$/
export function moneyOk(v) {
  return v !== '' && v !== null && v !== undefined && MONEY.test(String(v))
}

/**
 * The amount to send: what was typed, with the picked unit added when the number has none
 * ("1250.5" + 万元 → "1250.5万元"; "3亿" stays "3亿"). null when it cannot be read.
 */
export function amountWithUnit(v, unit = '万元') {
  const s = String(v ?? '').trim()
  if (!s) return null
  const out = /[元万亿]$/.test(s) ? s : s + unit
  const fen = parseMoney(out)
  return fen === null || fen < 0n ? null : out
}

/** The typed amount in 万元 as the lists show it ("1,250.50"), or null. */
export function parsedWan(v, unit = '万元') {
  const s = amountWithUnit(v, unit)
  if (s === null) return null
  return formatWan(fenToYuan(parseMoney(s)))
}

export const MAX_PHOTO = 8 * 1024 * 1024

/** Uploads one photo (a File) to a report; resolves to the attachment. */
export function uploadPhoto(reportId, file) {
  return request('POST', `/reports/${reportId}/photos`, { upload: file })
}
