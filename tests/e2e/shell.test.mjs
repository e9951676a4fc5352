// The UI shell in a real browser against the real server: login, menus by role, creating a
// user and finding it in the audit log, the English switch, and the phone layout.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  ADMIN,
  OFFICE,
  UNIT_STAFF,
  DEMO_UNIT,
  PHONE,
  startAll,
  stopAll,
  newPage,
  login,
  logout,
  shot,
  menu,
  menuEntry,
  navigate,
  tableLoaded,
} from './lib.mjs'

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

test('the login page is served at any path and refuses a wrong password', async () => {
  const page = await newPage(browser, server)
  await page.goto('/system/users')
  await page.waitForURL((u) => u.pathname === '/login')
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/system/users')
  await page.getByText('挂图作战 · 重点项目管理平台').first().waitFor()
  await shot(page, 'login')
  await page.getByTestId('login-name').fill(ADMIN.login)
  await page.getByTestId('login-password').fill('not-the-password')
  await page.getByTestId('login-submit').click()
  await page.getByTestId('login-error').waitFor()
  assert.equal(new URL(page.url()).pathname, '/login')
  // The right password lands on the page asked for first.
  await page.getByTestId('login-password').fill(ADMIN.password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((u) => u.pathname === '/system/users')
  await tableLoaded(page)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('admin sees 系统管理 → 用户管理, creates a user and finds it in the audit log', async () => {
  const page = await newPage(browser, server)
  await login(page, ADMIN.login, ADMIN.password)
  await page.getByTestId('home-greeting').waitFor()
  await shot(page, 'home-admin')

  const side = menu(page)
  assert.match(await side.innerText(), /系统管理/)
  await navigate(page, '/system', '/system/users')
  for (const p of ['/system/units', '/system/users', '/system/tokens', '/system/audit', '/account/password']) {
    assert.equal(await menuEntry(page, p).count(), 1, `admin menu has ${p}`)
  }
  assert.match(await page.getByTestId('breadcrumb').innerText(), /系统管理[\s\S]*用户管理/)
  await tableLoaded(page)
  await shot(page, 'users')

  // Create a user through the form.
  const loginName = `e2e${Date.now().toString(36)}`
  await page.getByTestId('user-add').click()
  const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('user-form-login') })
  await dialog.waitFor()
  // Saving an empty form shows the inline errors and sends nothing.
  await page.getByTestId('user-form-save').click()
  await dialog.locator('.el-form-item__error').first().waitFor()
  await page.getByTestId('user-form-login').fill(loginName)
  await page.getByTestId('user-form-password').fill('Start#2024pw-e2e')
  await page.getByTestId('user-form-name').fill('测试用户')
  await page.getByTestId('user-form-phone').fill('13912340000')
  await dialog.getByTestId('user-form-unit').click()
  await page.keyboard.type(DEMO_UNIT.slice(0, 2))
  await page
    .locator('.unit-select-popper .el-tree-node__content:visible')
    .filter({ hasText: new RegExp(`^\\s*${DEMO_UNIT}\\s*$`) })
    .first()
    .click()
  await dialog.getByTestId('role-unit').click()
  await shot(page, 'user-create-form')
  await page.getByTestId('user-form-save').click()
  await dialog.waitFor({ state: 'hidden' })

  // The new user is in the list.
  await page.getByTestId('users-q').fill(loginName)
  const row = page.locator('[data-testid="data-table"] .el-table__body tr').filter({ hasText: loginName })
  await row.first().waitFor()
  assert.match(await row.first().innerText(), new RegExp(DEMO_UNIT))

  // And in the audit log: a create whose "after" shows the login.
  await navigate(page, '/system', '/system/audit')
  // until the list filtered by the user has come (the filter is debounced; a fixed
  // pause could end before the reload, and the rows change under the loop below)
  const filtered = page.waitForResponse((r) => /\/api\/v1\/audit\?/.test(r.url()) && new URL(r.url()).searchParams.get('user') === ADMIN.login)
  await page.getByTestId('audit-user').fill(ADMIN.login)
  await filtered
  await tableLoaded(page)
  const rows = page.locator('[data-testid="data-table"] .el-table__body tr.el-table__row')
  await rows.first().waitFor()
  let found = false
  const n = Math.min(await rows.count(), 20)
  for (let i = 0; i < n && !found; i++) {
    const r = rows.nth(i)
    const text = await r.innerText()
    if (!/新增/.test(text) || !/用户|user/i.test(text)) continue
    await r.locator('.el-table__expand-icon').click()
    const diff = page.locator('.el-table__expanded-cell').last()
    await diff.getByTestId('json-diff').waitFor()
    found = (await diff.innerText()).includes(loginName)
    if (!found) await r.locator('.el-table__expand-icon').click()
  }
  assert.ok(found, `the audit log shows the creation of ${loginName}`)
  await shot(page, 'audit')
  assert.deepEqual(page.problems, [])
  await logout(page)
  await page.context().close()
})

test('unit staff do not see 用户管理 and are refused the page', async () => {
  const page = await newPage(browser, server)
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  assert.match(await page.getByTestId('home-unit').innerText(), new RegExp(UNIT_STAFF.unit))
  await navigate(page, '/system', '/system/tokens')
  assert.equal(await menuEntry(page, '/system/tokens').count(), 1)
  assert.equal(await menuEntry(page, '/account/password').count(), 1)
  for (const p of ['/system/users', '/system/units', '/system/audit']) {
    assert.equal(await menuEntry(page, p).count(), 0, `unit staff menu lacks ${p}`)
  }
  await shot(page, 'tokens-unit')
  await page.goto('/system/users')
  await page.getByTestId('forbidden').waitFor()
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the project office sees 审计日志 but not 用户管理', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/system', '/system/audit')
  await tableLoaded(page)
  assert.equal(await menuEntry(page, '/system/users').count(), 0)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the language switch shows English labels and is remembered', async () => {
  const page = await newPage(browser, server)
  await login(page, ADMIN.login, ADMIN.password)
  await page.getByTestId('lang-switch').click()
  await page.getByTestId('lang-en').click()
  await page.getByText('Key Project Platform').first().waitFor()
  await navigate(page, '/system', '/system/users')
  const side = await menu(page).innerText()
  assert.match(side, /System/)
  assert.match(side, /Users/)
  assert.doesNotMatch(side, /系统管理/)
  await tableLoaded(page)
  assert.match(await page.getByTestId('data-table').innerText(), /Login/)
  await page.getByText('Export Excel').first().waitFor()
  await shot(page, 'users-en')
  await page.reload()
  await page.getByTestId('breadcrumb').getByText('Users').waitFor()
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('on a phone the menu is a drawer', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await page.goto('/login')
  await page.getByTestId('login-submit').waitFor()
  await shot(page, 'phone-login')
  await login(page, ADMIN.login, ADMIN.password)
  assert.equal(await page.getByTestId('sidebar').count(), 0, 'no fixed sidebar on a phone')
  await shot(page, 'phone-home')
  await page.getByTestId('menu-toggle').click()
  const drawer = page.locator('.menu-drawer')
  await drawer.waitFor()
  assert.match(await drawer.innerText(), /系统管理/)
  await page.waitForTimeout(400) // let the drawer finish sliding in
  await shot(page, 'phone-drawer')
  await navigate(page, '/system', '/system/users')
  await drawer.waitFor({ state: 'hidden' })
  await tableLoaded(page)
  // The table scrolls sideways instead of squeezing its columns.
  const wide = await page.evaluate(() => {
    const el = document.querySelector('[data-testid="data-table"] .el-table__body-wrapper .el-scrollbar__wrap')
    return el ? el.scrollWidth > el.clientWidth : false
  })
  assert.ok(wide, 'the users table scrolls horizontally on a phone')
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
    'the page itself does not overflow sideways',
  )
  await shot(page, 'phone-users')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
