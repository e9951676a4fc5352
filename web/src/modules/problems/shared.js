// Shared bits of the problems pages: tag colours per state and escalation level, and the
// category list (loaded once).
import { ref } from 'vue'
import { api } from '../../api.js'

export const STATE_TAG = { open: 'info', accepted: 'primary', in_progress: 'primary', replied: 'warning', closed: 'success', reopened: 'danger' }
export const ESC_TAG = { 0: 'info', 1: 'warning', 2: 'danger' }

export const categories = ref([])
let loading = null
export function loadCategories(force = false) {
  if (!loading || force) loading = api.get('/problem-categories').then((r) => (categories.value = r.items))
  return loading
}

/** Remote search of projects for a select: [{id, name, unit_id}]. */
export async function searchProjects(q) {
  const r = await api.get('/projects', { q, per_page: 30, sort: 'name' }, { silent: true }).catch(() => null)
  return r ? r.items.map((p) => ({ id: p.id, name: p.name, unit_id: p.unit_id, code: p.code })) : []
}
