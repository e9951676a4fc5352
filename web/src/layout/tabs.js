// The open-page tab bar (多页签) state: one tab per page opened in the layout, the home tab
// first and fixed. Kept in sessionStorage per user, so the tabs survive a reload of the
// browser tab but not a logout or another user on the same browser.
// Pages without route params are kept alive (their filters, page and scroll stay while the
// user looks at another tab); a page with params (a project, a problem) renders afresh.
import { reactive, computed } from 'vue'

const KEY = 'guatu.tabs'
export const HOME = '/'

export const tabs = reactive({ login: '', list: [], refreshing: '' })

function save() {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ login: tabs.login, list: tabs.list }))
  } catch {
    /* storage full or blocked: the tabs just do not survive a reload */
  }
}

/** Loads the user's tabs from sessionStorage (another user's tabs are dropped). */
export function loadTabs(login) {
  tabs.login = login || ''
  tabs.list = []
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null')
    if (saved && saved.login === tabs.login && Array.isArray(saved.list)) {
      tabs.list = saved.list.filter((x) => x && typeof x.path === 'string' && x.path.startsWith('/') && !x.path.startsWith('//'))
    }
  } catch {
    /* unreadable: start afresh */
  }
  ensureHome()
}

function ensureHome() {
  if (!tabs.list.some((x) => x.path === HOME)) tabs.list.unshift({ path: HOME, fullPath: HOME, titleKey: 'home.title', name: 'home', cache: '' })
  else {
    const i = tabs.list.findIndex((x) => x.path === HOME)
    if (i > 0) tabs.list.unshift(...tabs.list.splice(i, 1))
  }
}

/** The component name kept alive for a route: only pages without params, and not the error pages. */
function cacheName(route) {
  if (Object.keys(route.params || {}).length || route.meta?.noCache) return ''
  const comp = route.matched[route.matched.length - 1]?.components?.default
  return comp?.name || comp?.__name || ''
}

/** Adds (or updates) the tab of a route that has just been shown. */
export function openTab(route) {
  if (!route.meta?.titleKey || ['forbidden', 'notfound', 'login'].includes(route.name)) return null
  const tab = { path: route.path, fullPath: route.fullPath, titleKey: route.meta.titleKey, name: route.name || '', cache: cacheName(route) }
  const i = tabs.list.findIndex((x) => x.path === route.path)
  if (i >= 0) tabs.list[i] = tab
  else tabs.list.push(tab)
  ensureHome()
  save()
  return tab
}

/** Closes one tab; returns the path to show when it was the current one (the neighbour). */
export function closeTab(path, current) {
  if (path === HOME) return null
  const i = tabs.list.findIndex((x) => x.path === path)
  if (i < 0) return null
  tabs.list.splice(i, 1)
  save()
  if (path !== current) return null
  const next = tabs.list[i] || tabs.list[i - 1] || tabs.list[0]
  return next ? next.fullPath : HOME
}

/** Keeps the home tab and `path`. */
export function closeOthers(path) {
  tabs.list = tabs.list.filter((x) => x.path === HOME || x.path === path)
  save()
}

/** Keeps only the home tab. */
export function closeAll() {
  tabs.list = tabs.list.filter((x) => x.path === HOME)
  save()
}

/** Component names kept alive: those of the open tabs (a closed tab's page is dropped). */
export const cachedNames = computed(() => [...new Set(tabs.list.map((x) => x.cache).filter((n) => n && n !== tabs.refreshing))])
