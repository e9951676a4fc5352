// Collects the module plug-ins: every web/src/modules/<name>/index.js exports (default or named)
//   { routes: [...], menu: [...], messages: { 'zh-CN': {...}, en: {...} } }
// Routes join the main layout (meta.layout === false puts one outside it, meta.public skips
// login). Menu entries with the same top-level path from several modules are merged, so a
// module can add items to another module's group. Entries are sorted by `order`.
import { addMessages } from './i18n.js'
import { hasRole } from './session.js'
import shared from './messages.js'

const found = import.meta.glob('./modules/*/index.js', { eager: true })

export const modules = Object.entries(found)
  .map(([file, mod]) => {
    const def = mod.default || mod
    return {
      name: file.split('/')[2],
      routes: def.routes || [],
      menu: def.menu || [],
      messages: def.messages || {},
    }
  })
  .sort((a, b) => a.name.localeCompare(b.name))

for (const [locale, msgs] of Object.entries(shared)) addMessages(locale, msgs)
for (const m of modules) {
  for (const [locale, msgs] of Object.entries(m.messages)) addMessages(locale, msgs)
}

export const moduleRoutes = modules.flatMap((m) => m.routes)

function byOrder(a, b) {
  return (a.order ?? 100) - (b.order ?? 100) || String(a.path).localeCompare(String(b.path))
}

function mergeMenu(list) {
  const out = []
  const byPath = new Map()
  for (const item of list) {
    const prev = byPath.get(item.path)
    if (prev) {
      // Same group from another module: keep the first title/icon, merge the children.
      if (!prev.icon && item.icon) prev.icon = item.icon
      if (prev.order === undefined && item.order !== undefined) prev.order = item.order
      if (item.children) prev.children = mergeMenu([...(prev.children || []), ...item.children])
      if (prev.roles && item.roles) prev.roles = [...new Set([...prev.roles, ...item.roles])]
      else if (!item.roles) delete prev.roles
      continue
    }
    const copy = { ...item }
    if (item.children) copy.children = mergeMenu(item.children)
    byPath.set(item.path, copy)
    out.push(copy)
  }
  return out.sort(byOrder)
}

/** The whole menu tree, merged and sorted. */
export const menuTree = mergeMenu(modules.flatMap((m) => m.menu))

/**
 * The menu the user may see. A leaf shows when the user has one of its roles; a group shows
 * when its own roles (if any) allow and at least one child shows.
 */
export function visibleMenu(user, items = menuTree) {
  const out = []
  for (const item of items) {
    if (!hasRole(item.roles, user)) continue
    if (!item.children) out.push(item)
    else {
      const kids = visibleMenu(user, item.children)
      if (kids.length) out.push({ ...item, children: kids })
    }
  }
  return out
}

/** Leaf entries of a menu tree, in order. */
export function menuLeaves(items) {
  return items.flatMap((i) => (i.children ? menuLeaves(i.children) : [i]))
}

/** The chain of menu entries leading to `path` (for breadcrumbs), or []. */
export function menuTrail(path, items = menuTree) {
  for (const item of items) {
    if (item.path === path && !item.children) return [item]
    if (item.children) {
      const sub = menuTrail(path, item.children)
      if (sub.length) return [item, ...sub]
    }
  }
  return []
}
