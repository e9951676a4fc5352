// The logged-in user, shared by every page: session.user is
// {id, login, name, phone, unit_id, unit_name, roles[]} or null.
import { reactive } from 'vue'
import { request, setCsrfToken } from './api.js'

export const session = reactive({ user: null, loaded: false })

function adopt(answer) {
  session.user = answer && answer.user ? answer.user : null
  setCsrfToken(answer && answer.csrf_token)
}

/** GET /me once at start (and after login elsewhere); 401 means nobody is logged in. */
export async function loadSession() {
  try {
    adopt(await request('GET', '/me', { silent: true, noAuthRedirect: true }))
  } catch {
    adopt(null)
  }
  session.loaded = true
  return session.user
}

/** POST /session; throws ApiError (401 wrong password, 423 locked) for the login page to show. */
export async function login(loginName, password) {
  adopt(await request('POST', '/session', { body: { login: loginName, password }, silent: true, noAuthRedirect: true }))
  session.loaded = true
  return session.user
}

export async function logout() {
  try {
    await request('DELETE', '/session', { silent: true, noAuthRedirect: true })
  } catch {
    /* the session is gone either way */
  }
  forget()
}

/** Drops the user locally (after a 401). */
export function forget() {
  adopt(null)
}

/**
 * Whether the user may see something meant for `roles`:
 * undefined/empty or containing '*' → any logged-in user; else one role in common.
 */
export function hasRole(roles, user = session.user) {
  if (!user) return false
  if (!roles || roles.length === 0 || roles.includes('*')) return true
  return (user.roles || []).some((r) => roles.includes(r))
}
