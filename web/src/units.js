// The unit tree (district → HQs, towns, departments, enterprises, banks), shared by every
// page that shows or picks units. GET /units is read in pages of 500 and cached.
import { ref } from 'vue'
import { fetchAll } from './api.js'

export const unitList = ref([])
let pending = null

/** Loads all units once (again with force=true, e.g. after an edit). */
export function loadUnits(force = false) {
  if (!pending || force) {
    pending = fetchAll('/units')
      .then((items) => {
        unitList.value = items
        return items
      })
      .catch((e) => {
        pending = null
        throw e
      })
  }
  return pending
}

/** Forgets the cache; the next loadUnits() reads the server again. */
export function invalidateUnits() {
  pending = null
}

/** Builds [{...unit, children:[…]}] from a flat list; a unit whose parent is absent is a root. */
export function buildUnitTree(list, keep = null) {
  const nodes = new Map()
  for (const u of list) if (!keep || keep.has(u.id)) nodes.set(u.id, { ...u, children: [] })
  const roots = []
  for (const n of nodes.values()) {
    const parent = n.parent_id != null ? nodes.get(n.parent_id) : null
    if (parent) parent.children.push(n)
    else roots.push(n)
  }
  for (const n of nodes.values()) if (!n.children.length) delete n.children
  return roots
}

/** Ids of the units matching `pred`, plus all their ancestors (for a filtered tree). */
export function withAncestors(list, pred) {
  const byId = new Map(list.map((u) => [u.id, u]))
  const keep = new Set()
  for (const u of list) {
    if (!pred(u)) continue
    let cur = u
    while (cur && !keep.has(cur.id)) {
      keep.add(cur.id)
      cur = cur.parent_id != null ? byId.get(cur.parent_id) : null
    }
  }
  return keep
}

/** Ids of a unit and everything below it. */
export function descendantIds(list, id) {
  const out = new Set([id])
  let grew = true
  while (grew) {
    grew = false
    for (const u of list) {
      if (u.parent_id != null && out.has(u.parent_id) && !out.has(u.id)) {
        out.add(u.id)
        grew = true
      }
    }
  }
  return out
}
