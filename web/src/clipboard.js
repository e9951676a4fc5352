// Copies text, also where navigator.clipboard is missing (plain http on a LAN address).
import { ElMessage } from 'element-plus'
import { t } from './i18n.js'

export async function copyText(text) {
  let ok = false
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      ok = true
    }
  } catch {
    ok = false
  }
  if (!ok) {
    const ta = document.createElement('textarea')
    ta.value = text
    ta.setAttribute('readonly', '')
    ta.style.position = 'fixed'
    ta.style.opacity = '0'
    document.body.appendChild(ta)
    ta.select()
    try {
      ok = document.execCommand('copy')
    } catch {
      ok = false
    }
    ta.remove()
  }
  ElMessage({ type: ok ? 'success' : 'warning', message: t(ok ? 'common.copied' : 'common.copyFailed') })
  return ok
}
