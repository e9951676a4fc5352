// The one way the UI talks to the server: same-origin fetch under /api/v1, JSON in and out.
//
// - The session cookie goes with every request (credentials: 'include').
// - The CSRF token handed out by POST /session and GET /me is kept here and sent as
//   X-CSRF-Token on every POST, PATCH, PUT and DELETE.
// - 401 on any call (except those that ask not to) sends the user to /login.
// - Errors are application/problem+json {status,title,detail,errors:[{field,message}]}:
//   the title/detail is shown as a message (unless `silent`), and the ApiError carries
//   `fieldErrors` {field: message} that forms put inline with useServerErrors().
import { reactive, nextTick } from 'vue'
import { ElMessage } from 'element-plus'
import { localize, t } from './i18n.js'

export const API_BASE = '/api/v1'

let csrfToken = ''
let unauthorizedHandler = null

export function setCsrfToken(token) {
  csrfToken = token || ''
}

/** Called on a 401 answer; main.js points it at the router's login page. */
export function setUnauthorizedHandler(fn) {
  unauthorizedHandler = fn
}

export class ApiError extends Error {
  constructor(status, problem) {
    const p = problem && typeof problem === 'object' ? problem : {}
    super(localize(p.detail || p.title || `HTTP ${status}`))
    this.name = 'ApiError'
    this.status = status
    this.problem = p
    this.fieldErrors = {}
    for (const e of Array.isArray(p.errors) ? p.errors : []) {
      if (e && e.field && !(e.field in this.fieldErrors)) this.fieldErrors[e.field] = localize(e.message || '')
    }
  }
}

function isEmpty(v) {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
}

/** Builds /api/v1<path>?<params>; empty params are left out, arrays are joined with commas. */
export function buildUrl(path, params) {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(params || {})) {
    if (isEmpty(v)) continue
    qs.append(k, Array.isArray(v) ? v.join(',') : String(v))
  }
  const q = qs.toString()
  return API_BASE + path + (q ? (path.includes('?') ? '&' : '?') + q : '')
}

function showError(err) {
  const p = err.problem || {}
  const title = localize(p.title || '')
  const detail = localize(p.detail || '')
  let msg = detail && title && detail !== title ? `${title}：${detail}` : detail || title
  if (!msg) msg = err.status ? `${t('common.requestFailed')} (HTTP ${err.status})` : t('common.networkError')
  ElMessage({ type: 'error', message: msg, grouping: true, duration: 4000 })
}

/**
 * Sends one request.
 * opts: params (query), body (JSON), silent (no error message), noAuthRedirect (401 is
 * just an error), raw (return the Response, e.g. for downloads), upload (a Blob/File sent
 * as the body as it is, with its own type, e.g. an XLSX to import).
 */
export async function request(method, path, opts = {}) {
  const { params, body, upload, silent = false, noAuthRedirect = false, raw = false } = opts
  const headers = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (upload !== undefined) headers['Content-Type'] = upload.type || 'application/octet-stream'
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let res
  try {
    res = await fetch(buildUrl(path, params), {
      method,
      headers,
      credentials: 'include',
      body: upload !== undefined ? upload : body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    const err = new ApiError(0, { title: t('common.networkError') })
    if (!silent) showError(err)
    throw err
  }
  if (!res.ok) {
    let problem = null
    const ct = res.headers.get('Content-Type') || ''
    if (ct.includes('json')) {
      try {
        problem = await res.json()
      } catch {
        problem = null
      }
    }
    const err = new ApiError(res.status, problem)
    if (res.status === 401 && !noAuthRedirect) {
      if (unauthorizedHandler) unauthorizedHandler(err)
      throw err
    }
    if (!silent) showError(err)
    throw err
  }
  if (raw) return res
  if (res.status === 204) return null
  const ct = res.headers.get('Content-Type') || ''
  if (ct.includes('json')) return res.json()
  return res.text()
}

export const api = {
  get: (path, params, opts) => request('GET', path, { ...opts, params }),
  post: (path, body, opts) => request('POST', path, { ...opts, body: body ?? {} }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body: body ?? {} }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body: body ?? {} }),
  del: (path, opts) => request('DELETE', path, opts),
}

/** Reads every page of a list endpoint (per_page=500) up to `max` items. */
export async function fetchAll(path, params = {}, max = 10000) {
  const items = []
  for (let page = 1; ; page++) {
    const r = await api.get(path, { ...params, page, per_page: 500 })
    const got = r?.items || []
    items.push(...got)
    if (got.length === 0 || items.length >= (r.total ?? items.length) || items.length >= max) break
  }
  return items
}

/**
 * Server errors inline under form fields (Element Plus <el-form-item :error>):
 *
 *   const se = useServerErrors()
 *   <el-form-item prop="login" :error="se.errors.login">
 *   try { await api.post(...) } catch (e) { se.apply(e) }
 *
 * apply() returns true when at least one field error was placed.
 */
export function useServerErrors() {
  const errors = reactive({})
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  function apply(err) {
    clear()
    const fe = (err && err.fieldErrors) || {}
    const keys = Object.keys(fe)
    // Set on the next tick so that the same message shown again still reaches the form item.
    if (keys.length) nextTick(() => Object.assign(errors, fe))
    return keys.length > 0
  }
  return { errors, clear, apply }
}

function filenameFrom(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || ''
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd)
  return plain ? plain[1] : fallback
}

/** Saves a Blob as a file through a temporary blob: link. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30000)
}

/**
 * Excel export of any list: GET <path>?<filters>&format=xlsx&columns=key:标签,key2:标签2.
 * The server answers the whole filtered list (no paging) as XLSX with exactly those columns.
 * columns: [{ key, label }] in display order.
 */
export async function exportXlsx(path, params, columns, baseName = 'export') {
  const cols = columns.map((c) => `${c.key}:${String(c.label).replace(/[,:]/g, ' ')}${c.fmt ? ':' + c.fmt : ''}`).join(',')
  const q = { ...params, format: 'xlsx', columns: cols, filename: baseName }
  delete q.page
  delete q.per_page
  const res = await request('GET', path, { params: q, raw: true })
  const blob = await res.blob()
  const d = new Date()
  const stamp = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`
  saveBlob(blob, filenameFrom(res, `${baseName}-${stamp}.xlsx`))
}
