// Routes: /login outside the layout; every module route inside it (history mode, no hash).
// Guard: loads the session once; a page without meta.public needs a logged-in user; a page
// with meta.roles needs one of them (else the 403 page is shown in place).
import { createRouter, createWebHistory } from 'vue-router'
import { moduleRoutes } from './registry.js'
import { session, loadSession, hasRole } from './session.js'
import { t } from './i18n.js'
import Layout from './layout/Layout.vue'
import Login from './views/Login.vue'
import Forbidden from './views/Forbidden.vue'
import NotFound from './views/NotFound.vue'

const inLayout = moduleRoutes.filter((r) => !r.meta || r.meta.layout !== false)
const bare = moduleRoutes.filter((r) => r.meta && r.meta.layout === false)

export const routes = [
  { path: '/login', name: 'login', component: Login, meta: { public: true, titleKey: 'login.title' } },
  ...bare,
  {
    path: '/',
    component: Layout,
    children: [
      ...inLayout,
      { path: '/403', name: 'forbidden', component: Forbidden, meta: { titleKey: 'layout.forbidden' } },
      { path: '/:pathMatch(.*)*', name: 'notfound', component: NotFound, meta: { titleKey: 'layout.notFound' } },
    ],
  },
]

const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

/** Only same-site paths are followed after login. */
export function safeRedirect(v) {
  return typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/login') ? v : '/'
}

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession()
  if (to.name === 'login') return session.user ? safeRedirect(to.query.redirect) : true
  if (to.meta.public) return true
  if (!session.user) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (to.meta.roles && !hasRole(to.meta.roles)) {
    return { name: 'forbidden', query: { from: to.fullPath }, replace: true }
  }
  return true
})

router.afterEach((to) => {
  const name = `${t('app.name')} · ${t('app.subtitle')}`
  const title = to.meta.titleKey ? t(to.meta.titleKey) : ''
  document.title = title ? `${title} - ${name}` : name
})

export default router
