// Entry: Vue app with Element Plus, the router (which loads the module registry) and i18n.
import { createApp } from 'vue'
import ElementPlus, { ElMessage } from 'element-plus'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { i18nPlugin, t } from './i18n.js'
import router from './router.js'
import { setUnauthorizedHandler } from './api.js'
import { forget } from './session.js'

// A 401 from any call: the session is over; go to the login page and come back afterwards.
setUnauthorizedHandler(() => {
  const current = router.currentRoute.value
  const wasIn = !!current.name && current.name !== 'login'
  forget()
  if (wasIn) {
    ElMessage({ type: 'warning', message: t('layout.sessionExpired'), grouping: true })
    router.push({ name: 'login', query: { redirect: current.fullPath } })
  }
})

createApp(App).use(ElementPlus).use(i18nPlugin).use(router).mount('#app')
