// Sentences the server composes in Chinese around user data — the traffic lights' reasons
// (src/projects.c) and the dispatch agenda's details (src/dispatch.c) — said in English when
// the UI is in English. Each pattern matches the generated words only; the names and dates
// inside («…», after a colon) are user data and kept as they are. Text no pattern knows
// (what people typed) is shown unchanged.
import { getLocale } from './i18n.js'

const N = '([^「」]+)'
const RULES = [
  [new RegExp(`节点「${N}」计划(\\S+?)完成，已逾期(\\d+)天`, 'g'), 'node «$1» due $2, $3 days overdue'],
  [new RegExp(`节点「${N}」计划(\\S+?)，已逾期(\\d+)天`, 'g'), 'node «$1» due $2, $3 days overdue'],
  [new RegExp(`节点「${N}」计划(\\S+?)，今天到期`, 'g'), 'node «$1» due today ($2)'],
  [new RegExp(`节点「${N}」计划(\\S+?)，还剩(\\d+)天到期`, 'g'), 'node «$1» due $2, in $3 days'],
  [new RegExp(`节点「${N}」将于(\\S+?)到期`, 'g'), 'node «$1» due $2'],
  [/(\d{4})年计划投资([\d,.]+)万元，已完成([\d,.]+)万元（([\d.-]+)%），落后时序进度（([\d.-]+)%）([\d.-]+)个百分点/g,
    '$1 plan ¥$2×10k, done ¥$3×10k ($4%), $6 points behind the time elapsed ($5%)'],
  [/年度投资完成率([\d.-]+)%，落后时序进度([\d.-]+)个百分点/g, 'investment $1% of the year’s plan, $2 points behind the time elapsed'],
  [/责任单位：/g, 'Responsible: '],
  [/牵头单位：/g, 'Lead unit: '],
  [/承办单位：/g, 'Handled by: '],
  [/承办部门：/g, 'Department: '],
  [/计划完成：/g, 'Planned: '],
  [/办结时限：/g, 'Due: '],
  [/办理时限：/g, 'Due: '],
  [/答复时限：/g, 'Reply due: '],
  [/提问：/g, 'Asked: '],
  [/提出：/g, 'Raised: '],
  [/诉求#/g, 'Request #'],
  [/；/g, '; '],
  [/。/g, '. '],
]

/** A server-composed sentence in the current language (English: the generated words translated). */
export function serverText(s) {
  if (getLocale() !== 'en' || typeof s !== 'string') return s
  let out = s
  for (const [re, to] of RULES) out = out.replace(re, to)
  return out.trim()
}
