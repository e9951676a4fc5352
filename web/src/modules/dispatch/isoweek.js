// ISO 8601 weeks (Monday first; week 1 holds the year's first Thursday), the one week
// numbering of the weekly dispatch report: its picker, titles, file names and the weekly
// meetings' default titles (src/dispatch.c, src/dispatch_weekly.c) all use it.

const DAY = 86400000

/** The ISO week of a local date: { year, week, monday: Date, sunday: Date, key: "2026-W48" }. */
export function isoWeekOf(d) {
  const x = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()))
  const wd = (x.getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
  const monday = new Date(x - wd * DAY)
  const thursday = new Date(+monday + 3 * DAY)
  const year = thursday.getUTCFullYear()
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY / 7) + 1
  return { year, week, monday, sunday: new Date(+monday + 6 * DAY), key: `${year}-W${String(week).padStart(2, '0')}` }
}

const md = (d) => `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`

/** The `count` ISO weeks up to the one holding `today`, newest first. */
export function recentWeeks(today, count = 60) {
  const out = []
  const cur = isoWeekOf(today)
  for (let i = 0; i < count; i++) {
    const m = new Date(+cur.monday - i * 7 * DAY)
    const w = isoWeekOf(new Date(m.getUTCFullYear(), m.getUTCMonth(), m.getUTCDate()))
    out.push({ ...w, range: `${md(w.monday)} — ${md(w.sunday)}` })
  }
  return out
}
