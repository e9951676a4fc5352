// Display formatters. Money and area arrive from the API as decimal strings
// ("366000000.00" yuan, "3110.60" 亩) and are converted with BigInt arithmetic on the digits,
// so nothing is ever rounded through a float. Rounding is half away from zero.
// Each formatter returns '' for an empty value; tables show a dash for ''.

import { t, te } from './i18n.js'

// a unit word in the current language (units.* in messages.js), Chinese where no catalogue is loaded
const unitWord = (k, zh) => (te('units.' + k) ? t('units.' + k) : zh)

const DEC = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/

/** Parses a decimal string (or integer / bigint) into a BigInt scaled by 10^scale, or null. */
export function toScaled(value, scale = 2) {
  if (value === null || value === undefined || value === '') return null
  if (typeof value === 'bigint') return value * 10n ** BigInt(scale)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null
    value = Number.isInteger(value) ? String(value) : value.toFixed(Math.min(scale + 1, 20))
  }
  const m = DEC.exec(String(value).replace(/,/g, ''))
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return null
  const neg = m[1] === '-'
  const intPart = m[2] || '0'
  const frac = m[3] || ''
  let n = BigInt(intPart + frac.padEnd(scale, '0').slice(0, scale))
  // Round on the first dropped digit.
  if (frac.length > scale && frac.charCodeAt(scale) >= 53 /* '5' */) n += 1n
  return neg ? -n : n
}

/** n / d rounded half away from zero (BigInt). */
export function roundDiv(n, d) {
  const neg = n < 0n !== d < 0n
  const an = n < 0n ? -n : n
  const ad = d < 0n ? -d : d
  const q = (an * 2n + ad) / (ad * 2n)
  return neg && q !== 0n ? -q : q
}

function groupDigits(s) {
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Writes a BigInt that counts units of 10^-digits as a decimal string. */
export function scaledToString(n, digits = 2, group = true) {
  const neg = n < 0n
  let s = (neg ? -n : n).toString()
  if (digits > 0) s = s.padStart(digits + 1, '0')
  let ip = digits > 0 ? s.slice(0, -digits) : s
  const fp = digits > 0 ? s.slice(-digits) : ''
  if (group) ip = groupDigits(ip)
  return (neg ? '-' : '') + ip + (digits > 0 ? '.' + fp : '')
}

function scaleTo(value, inScale, unitPow, digits) {
  // value in 10^-inScale units; result in units of 10^-digits of (10^unitPow).
  const n = toScaled(value, inScale)
  if (n === null) return null
  const shift = inScale + unitPow - digits
  return shift >= 0 ? roundDiv(n, 10n ** BigInt(shift)) : n * 10n ** BigInt(-shift)
}

/** Yuan string → yuan display: "366000000.00" → "366,000,000.00". */
export function formatYuan(value, { digits = 2, group = true, unit = false } = {}) {
  const n = scaleTo(value, 2, 0, digits)
  if (n === null) return ''
  return scaledToString(n, digits, group) + (unit ? ' ' + unitWord('yuan', '元') : '')
}

/** Yuan string → 万元: "366000000.00" → "36,600.00". */
export function formatWan(value, { digits = 2, group = true, unit = false } = {}) {
  const n = scaleTo(value, 2, 4, digits)
  if (n === null) return ''
  return scaledToString(n, digits, group) + (unit ? ' ' + unitWord('wan', '万元') : '')
}

/** Yuan string → 亿元: "366000000.00" → "3.66". */
export function formatYi(value, { digits = 2, group = true, unit = false } = {}) {
  const n = scaleTo(value, 2, 8, digits)
  if (n === null) return ''
  return scaledToString(n, digits, group) + (unit ? ' ' + unitWord('yi', '亿元') : '')
}

/** Picks 亿元 from 1亿 up, else 万元; always with the unit. */
export function formatMoney(value, { digits = 2, group = true } = {}) {
  const n = toScaled(value, 2)
  if (n === null) return ''
  const abs = n < 0n ? -n : n
  return abs >= 10000000000n ? formatYi(value, { digits, group, unit: true }) : formatWan(value, { digits, group, unit: true })
}

/** Area in 亩 (hundredths): "3110.6" → "3,110.60 亩". */
export function formatMu(value, { digits = 2, group = true, unit = true } = {}) {
  const n = scaleTo(value, 2, 0, digits)
  if (n === null) return ''
  return scaledToString(n, digits, group) + (unit ? ' ' + unitWord('mu', '亩') : '')
}

/** part / whole as a percentage with two decimals: ("4191.26","4291.26") → "97.67%". */
export function formatRate(part, whole, { digits = 2, unit = true } = {}) {
  const p = toScaled(part, 6)
  const w = toScaled(whole, 6)
  if (p === null || w === null || w === 0n) return ''
  const n = roundDiv(p * 100n * 10n ** BigInt(digits), w)
  return scaledToString(n, digits, false) + (unit ? '%' : '')
}

function pad(n) {
  return String(n).padStart(2, '0')
}

function toDate(value) {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value)
  const s = String(value)
  // A time with a zone (Z or ±hh:mm) is converted to local time; without, it is shown as written.
  if (/[T ]\d{2}:\d{2}/.test(s) && /(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const d = new Date(s)
    return Number.isNaN(d.getTime()) ? null : d
  }
  return null
}

/** YYYY-MM-DD. */
export function formatDate(value) {
  const d = toDate(value)
  if (d) return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  if (value === null || value === undefined || value === '') return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value))
  return m ? `${m[1]}-${m[2]}-${m[3]}` : String(value)
}

/** YYYY-MM-DD HH:mm (with :ss when seconds=true). */
export function formatDateTime(value, { seconds = false } = {}) {
  const d = toDate(value)
  if (d) {
    const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
    return seconds ? `${base}:${pad(d.getSeconds())}` : base
  }
  if (value === null || value === undefined || value === '') return ''
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?/.exec(String(value))
  return m ? `${m[1]} ${m[2]}${seconds && m[3] ? m[3] : ''}` : formatDate(value)
}

/** Today as YYYY-MM-DD in local time. */
export function today() {
  return formatDate(new Date())
}

/** Formatters by name, as DataTable columns use them: { key, format: 'wan' }. */
export const formatters = {
  yuan: (v) => formatYuan(v),
  wan: (v) => formatWan(v),
  yi: (v) => formatYi(v),
  money: (v) => formatMoney(v),
  mu: (v) => formatMu(v),
  date: (v) => formatDate(v),
  datetime: (v) => formatDateTime(v),
  datetimes: (v) => formatDateTime(v, { seconds: true }),
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** A month of the year (1–12) as the current language names it: 10 → "10月" / "Oct". */
export function monthName(m) {
  return te('units.month') ? t('units.month', { m, mon: MON[(Number(m) - 1 + 12) % 12] }) : `${m}月`
}
