// The dispatch texts the server writes in Chinese when it generates them (src/dispatch.c):
// the weekly meeting's title and the agenda items' "kind：subject" titles. In English the
// generated part is said in English; the subject (project, node, unit names) is user data.
import { getLocale, t, te } from '../../i18n.js'

const WEEKLY = /^(\d{4})年第(\d{1,2})周重点项目调度会$/

/** A meeting's title: "2026年第46周重点项目调度会" → "Key projects dispatch meeting, week 46 of 2026" in English. */
export function meetingTitle(title) {
  const m = WEEKLY.exec(title || '')
  if (!m || getLocale() !== 'en') return title || ''
  return `Key projects dispatch meeting, week ${Number(m[2])} of ${m[1]}`
}

/** A generated agenda item's title without its Chinese kind prefix in English (the section heading names the kind). */
export function itemTitle(item) {
  const title = item?.title || ''
  if (getLocale() !== 'en' || !item || item.kind === 'custom') return title
  const i = title.indexOf('：')
  return i > 0 && i <= 12 ? title.slice(i + 1) : title
}

/** A decision's status: the server's Chinese words (办理中 for a problem, 推进中 for a node), the catalogue's in English. */
export function decisionStatus(d) {
  const key = `dispatch.decisionStatus.${d?.status}`
  return getLocale() === 'en' && te(key) ? t(key) : d?.status_name || ''
}
