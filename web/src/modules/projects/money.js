// The money and area grammar of the server (src/money.c money_parse, src/area.c), in the
// browser, so that forms can refuse "五亿" or "1.234元" inline before anything is sent. Pure
// functions without imports: tests/e2e/projects.test.mjs checks them against the server.

const UNIT_POW = { '': 0n, 元: 0n, 万: 4n, 万元: 4n, 亿: 8n, 亿元: 8n }
// Digits (plain, or grouped by commas in threes), an optional fraction with digits on both
// sides of the point, then an optional unit — exactly src/money.c's grammar.
const MONEY_RE = /^[ \t]*(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?[ \t]*(元|万元|万|亿元|亿)?[ \t]*$/

/**
 * Parses money in the forms people write (5亿, 3.66亿元, 12453万元, 39.625万元, 1,234.56) into
 * BigInt fen, or null when the form is not recognised or is not a whole number of fen.
 */
export function parseMoney(input) {
  if (typeof input === 'number') input = Number.isFinite(input) ? String(input) : ''
  if (typeof input !== 'string') return null
  const m = MONEY_RE.exec(input)
  if (!m) return null
  const pow = UNIT_POW[m[4] || ''] + 2n // fen per unit, as a power of ten
  const frac = (m[3] || '').replace(/0+$/, '')
  if (BigInt(frac.length) > pow) return null
  const digits = m[2].replace(/,/g, '') + frac.padEnd(Number(pow), '0')
  const fen = BigInt(digits)
  if (fen > 9223372036854775807n) return null
  return m[1] ? -fen : fen
}

/** BigInt fen → the wire form "366000000.00". */
export function fenToYuan(fen) {
  const neg = fen < 0n
  const s = (neg ? -fen : fen).toString().padStart(3, '0')
  return (neg ? '-' : '') + s.slice(0, -2) + '.' + s.slice(-2)
}

const AREA_RE = /^[ \t]*(\d+)(?:\.(\d{1,2}))?[ \t]*(亩)?[ \t]*$/
/** Area in 亩 with at most two decimals ("4191.26", "229亩"), or null. */
export function parseArea(input) {
  if (typeof input === 'number') input = String(input)
  if (typeof input !== 'string') return null
  const m = AREA_RE.exec(input)
  return m ? `${m[1]}.${(m[2] || '').padEnd(2, '0')}` : null
}

