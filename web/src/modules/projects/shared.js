// What the project pages (项目库, project page, battle map) share: the code lists of the
// project fields, the light colours, the client-side money/area grammar (the same one the
// server's money_parse accepts, so the form can say "金额格式无法识别" before sending) and
// the small look-ups (leaders, templates, custom fields) that several pages need.
import { ref } from 'vue'
import { api, fetchAll } from '../../api.js'
import { session, hasRole } from '../../session.js'
import { parseMoney, parseArea } from './money.js'

export { parseMoney, fenToYuan, parseArea } from './money.js'

export const LEVELS = ['province', 'city', 'district']
export const STAGES = ['reserve', 'preparation', 'construction', 'completed', 'production']
export const LIGHTS = ['red', 'yellow', 'green']
export const CATEGORIES = ['产业项目', '基础设施', '社会民生', '城市更新', '其他']
export const CHAINS = ['新材料', '信创', '硬质材料', '现代物流', '先进装备制造', '电子信息', '能源', '商贸服务']
export const TAGS = ['省市重点', '集中开工', '领导联系', '招商引资', '重大民生']
export const FIELD_TYPES = ['text', 'number', 'money', 'date', 'choice']
export const NODE_KINDS = [
  'land_acquisition',
  'land_approval',
  'land_listing',
  'planning_permit',
  'construction_permit',
  'start',
  'topping_out',
  'completion',
  'production',
  'other',
]

export const LIGHT_COLORS = { red: '#e5484d', yellow: '#f5a524', green: '#30a46c' }

/** Roles that keep the library (create, import, templates, baselines). */
export function isOffice(user = session.user) {
  return hasRole(['admin', 'office'], user)
}

/** Element Plus form rule for a money field (required or not). */
export function moneyRule(t, label, required = false) {
  return {
    trigger: 'blur',
    validator: (_r, v, cb) => {
      const s = v === null || v === undefined ? '' : String(v).trim()
      if (!s) return required ? cb(new Error(t('common.required', { field: label }))) : cb()
      const fen = parseMoney(s)
      if (fen === null) return cb(new Error(t('projects.moneyForm')))
      if (fen < 0n) return cb(new Error(t('projects.moneyNegative')))
      cb()
    },
  }
}

/** At most `max` (money, BigInt fen or null): "the year's plan cannot exceed the total investment". */
export function notAboveRule(t, message, max) {
  return {
    trigger: 'blur',
    validator: (_r, v, cb) => {
      const fen = parseMoney(String(v ?? '').trim())
      const top = max()
      return fen !== null && top !== null && fen > top ? cb(new Error(message())) : cb()
    },
  }
}

export function areaRule(t) {
  return {
    trigger: 'blur',
    validator: (_r, v, cb) => {
      const s = v === null || v === undefined ? '' : String(v).trim()
      if (!s || parseArea(s) !== null) return cb()
      // say what is wrong: the sign, the decimals, or not a number at all
      if (/^-\s*\d/.test(s)) return cb(new Error(t('projects.areaNegative')))
      if (/^\d+\.\d{3,}\s*(亩)?$/.test(s)) return cb(new Error(t('projects.areaDecimals')))
      return cb(new Error(t('projects.areaForm')))
    },
  }
}

// ---- look-ups shared by the pages (loaded once per session) ----

export const leaders = ref([])
let leadersPending = null
/**
 * The users with role leader. Only admin and office may list users; everybody else gets the
 * leaders named in the data they read (mergeLeaders), which is all their filters need.
 */
export function loadLeaders() {
  if (!leadersPending) {
    leadersPending = isOffice()
      ? fetchAll('/users', { role: 'leader' }, 2000)
          .then((items) => mergeLeaders(items.map((u) => ({ id: u.id, name: u.name || u.login }))))
          .catch(() => {})
      : Promise.resolve()
  }
  return leadersPending
}
export function mergeLeaders(list) {
  const byId = new Map(leaders.value.map((l) => [l.id, l]))
  let grew = false
  for (const l of list) {
    if (l.id == null || byId.has(l.id)) continue
    byId.set(l.id, { id: l.id, name: l.name || String(l.id) })
    grew = true
  }
  if (grew) leaders.value = [...byId.values()].sort((a, b) => String(a.name).localeCompare(String(b.name), 'zh-CN'))
}

export const customFields = ref([])
/** Administrator-defined project fields: [{key,label,type,options,required}]. */
export async function loadCustomFields() {
  try {
    const r = await api.get('/project-fields', {}, { silent: true })
    customFields.value = Array.isArray(r) ? r : r?.items || []
  } catch {
    customFields.value = []
  }
  return customFields.value
}

export const categories = ref([...CATEGORIES])
/** Project categories from the server's code table (admin-editable), the built-in list until then. */
export async function loadCategories() {
  try {
    const r = await api.get('/project-categories', {}, { silent: true })
    const names = (Array.isArray(r) ? r : r?.items || []).map((c) => (typeof c === 'string' ? c : c.name)).filter(Boolean)
    if (names.length) categories.value = names
  } catch {
    /* keep the built-in list */
  }
  return categories.value
}

export const templates = ref([])
export async function loadTemplates() {
  try {
    const r = await api.get('/node-templates', {}, { silent: true })
    templates.value = Array.isArray(r) ? r : r?.items || []
  } catch {
    templates.value = []
  }
  return templates.value
}

/** The year shown by default: this year. */
export function thisYear() {
  return new Date().getFullYear()
}
/** The last few and next year, newest first, for year pickers. */
export function yearOptions() {
  const y = thisYear()
  return [y + 1, y, y - 1, y - 2, y - 3]
}
