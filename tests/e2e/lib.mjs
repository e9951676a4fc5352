// Browser-test harness for guatu: runs the real server on a fresh demo database and drives
// Debian's Chromium through playwright-core. Used by tests/e2e/*.test.mjs (node --test).
//
// Environment:
//   GUATU_BIN   server binary (default: build/guatu at the repository root)
//   GUATU_URL   test an already running server instead of starting one (e.g. during UI work)
//   CHROMIUM    browser binary (default: /usr/bin/chromium)
//   E2E_SLOW    milliseconds between browser actions, for watching a run
// Screenshots go to test-output/e2e/ at the repository root.
import { chromium } from 'playwright-core'
import { spawn } from 'node:child_process'
import { access, constants, mkdtemp, mkdir, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// Demo accounts (created by `guatu demo`). Change them here if the demo data changes.
export const ADMIN = { login: 'admin', password: 'admin123', roles: ['admin'] }
export const OFFICE = { login: 'office', password: 'office123', roles: ['office'] }
export const UNIT_STAFF = { login: 'jinshan', password: 'unit123', roles: ['unit'], unit: '金山街道' }
/** The unit picked for users created through the UI. */
export const DEMO_UNIT = '金山街道'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.resolve(ROOT, process.env.GUATU_BIN || 'build/guatu')
export const OUT = path.join(ROOT, 'test-output', 'e2e')
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
// The one date the browser tests assume (src/clock.h): the server inherits it
// and every page's clock is set to it, so nothing depends on the wall clock.
export const TODAY = process.env.GUATU_TODAY || '2026-11-18'
process.env.GUATU_TODAY = TODAY
// The pinned day's clock reads 08:00 when this file started and runs on
// (src/clock.h), so it never wraps to the same day's midnight mid-run.
process.env.GUATU_CLOCK_START ||= String(Date.now())
export const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms))
}

/** Runs a command to its end; rejects with its output on a non-zero exit or a timeout. */
function run(cmd, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => (out += d))
    p.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => {
      p.kill('SIGKILL')
      reject(new Error(`${cmd} ${args.join(' ')}: no exit after ${timeoutMs} ms\n${out}`))
    }, timeoutMs)
    p.on('error', (e) => {
      clearTimeout(timer)
      reject(new Error(`${cmd}: ${e.message}`))
    })
    p.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`${cmd} ${args.join(' ')}: exit ${code ?? signal}\n${out}`))
    })
  })
}

/**
 * Starts the server on a fresh demo database and a free port:
 *   guatu demo --db TMP/guatu.db; guatu serve --db TMP/guatu.db --listen 127.0.0.1:PORT
 * then waits for GET /api/v1/health. Returns { url, port, db, output(), stop() }.
 * With GUATU_URL set, uses that server and starts nothing.
 */
export async function startServer({ timeoutMs = 120000 } = {}) {
  if (process.env.GUATU_URL) {
    const url = process.env.GUATU_URL.replace(/\/$/, '')
    await waitHealthy(url, timeoutMs, () => null)
    return { url, port: Number(new URL(url).port), db: null, output: () => '', stop: async () => {} }
  }
  try {
    await access(BIN, constants.X_OK)
  } catch {
    throw new Error(`no server binary at ${BIN}: build it first (make), or set GUATU_BIN or GUATU_URL`)
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'guatu-e2e-'))
  const db = path.join(dir, 'guatu.db')
  try {
    await run(BIN, ['demo', '--db', db], 180000)
  } catch (e) {
    await rm(dir, { recursive: true, force: true })
    throw e
  }
  // Port 0: the kernel picks a free port as guatu binds, and guatu names it in its
  // "guatu serving" line (a port found free here could be taken before guatu binds it).
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stdout.on('data', (d) => (out += d))
  proc.stderr.on('data', (d) => (out += d))
  let exited = null
  const exit = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      exited = code ?? signal
      resolve()
    })
    proc.on('error', (e) => {
      exited = e.message
      resolve()
    })
  })
  async function stop() {
    if (exited === null) {
      proc.kill('SIGTERM')
      let timer
      const done = await Promise.race([exit.then(() => true), new Promise((r) => { timer = setTimeout(() => r(false), 60000) })])
      clearTimeout(timer)
      if (!done) {
        proc.kill('SIGKILL')
        await exit
      }
    }
    await rm(dir, { recursive: true, force: true })
  }
  let port = 0
  let url = ''
  try {
    const end = Date.now() + timeoutMs
    while (!port) {
      if (exited !== null) throw new Error(`server exited (${exited})\n${out}`)
      if (Date.now() > end) throw new Error(`server did not say its port after ${timeoutMs} ms\n${out}`)
      port = Number((/"msg":"guatu serving".*?"port":(\d+)/.exec(out) || [])[1] || 0)
      if (!port) await sleep(50)
    }
    url = `http://127.0.0.1:${port}`
    await waitHealthy(url, Math.max(end - Date.now(), 1000), () => (exited !== null ? `server exited (${exited})\n${out}` : null))
  } catch (e) {
    await stop()
    throw e
  }
  return { url, port, db, output: () => out, stop }
}

async function waitHealthy(url, timeoutMs, failure) {
  const end = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < end) {
    const why = failure()
    if (why) throw new Error(why)
    try {
      const r = await fetch(`${url}/api/v1/health`)
      if (r.status === 200) return
      last = `HTTP ${r.status}`
    } catch (e) {
      last = e.message
    }
    await sleep(100)
  }
  throw new Error(`${url}/api/v1/health not answering after ${timeoutMs} ms (${last})`)
}

/** Debian's Chromium, headless. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: LAUNCH_ARGS,
    slowMo: Number(process.env.E2E_SLOW || 0) || undefined,
  })
}

/**
 * What every browser-test file sets up once: a server on a fresh demo database and a
 * browser. Use as `before(async () => ({ server, browser } = await startAll()))` and
 * `after(() => stopAll({ server, browser }))`.
 */
export async function startAll() {
  const server = await startServer()
  const browser = await launchBrowser()
  return { server, browser }
}

/** Closes what startAll() started; either may be missing when before() failed. */
export async function stopAll({ server, browser }) {
  await browser?.close()
  await server?.stop()
}

export const DESKTOP = { width: 1440, height: 900 }
export const PHONE = { width: 390, height: 844 }

/**
 * A page in a fresh context (own cookies and localStorage) on the server.
 * page.problems collects page errors and CSP violations for tests to assert empty.
 */
export async function newPage(browser, server, { viewport = DESKTOP, mobile = false } = {}) {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport,
    deviceScaleFactor: 1,
    isMobile: mobile,
    hasTouch: mobile,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  })
  // Waits end when what they wait for happens; the bound only ends a failing
  // test, and a loaded machine (2 cores, the API suites beside) is far from it.
  context.setDefaultTimeout(30000)
  // The browser's clock shows TODAY too (10:00 China time; timers keep running).
  await context.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`))
  const page = await context.newPage()
  page.problems = []
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    const text = m.text()
    if (m.type() === 'error' && /Content Security Policy|Refused to|Uncaught/i.test(text)) page.problems.push(`console: ${text}`)
  })
  return page
}

/** Logs in through the login page and waits for the main layout. */
export async function login(page, loginName, password) {
  await page.goto('/login')
  await page.getByTestId('login-name').fill(loginName)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('user-menu').waitFor()
}

/** Logs out through the user menu. */
export async function logout(page) {
  await page.getByTestId('user-menu').click()
  await page.getByTestId('logout').click()
  await page.getByTestId('login-submit').waitFor()
}

/** Screenshot of the whole page as test-output/e2e/<name>.png; returns the path. */
export async function shot(page, name) {
  await mkdir(OUT, { recursive: true })
  const file = path.join(OUT, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/** The side menu (desktop) or the open menu drawer (phone). */
export function menu(page) {
  return page.locator('[data-testid="sidebar"], .menu-drawer').first()
}

/** The menu entry for a path, e.g. menuEntry(page, '/system/users'). */
export function menuEntry(page, menuPath) {
  return menu(page).locator(`[data-testid="menu-${menuPath}"]`)
}

/** Opens a menu group (by path) if closed, then clicks the entry for `menuPath`. */
export async function navigate(page, groupPath, menuPath) {
  const group = menuEntry(page, groupPath)
  if (!(await group.evaluate((el) => el.classList.contains('is-opened')))) {
    await group.locator('.el-sub-menu__title').first().click()
  }
  await menuEntry(page, menuPath).click()
  await page.waitForURL((u) => u.pathname === menuPath)
}

/** Waits for a DataTable to finish loading. */
export async function tableLoaded(page) {
  const table = page.getByTestId('data-table').first()
  await table.waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-testid="data-table"] .el-loading-mask'))
  return table
}

/** Logs in over the API (as another person would, elsewhere) and returns
 * call(method, path, body) → { status, body }. */
export async function apiAs(server, user) {
  const res = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: user.login, password: user.password }),
  })
  const cookie = res.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf } = await res.json()
  return async (method, url, body) => {
    const r = await fetch(`${server.url}/api/v1${url}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: r.status, body: r.status === 204 ? null : await r.json() }
  }
}
