// identity.test.mjs — the identity pages against the real server in Chromium: an
// administrator reveals a masked phone number (which the audit log then shows as a read),
// and a unit user creates an API token, sees it once, and revokes it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ADMIN, UNIT_STAFF, startAll, stopAll, newPage, login, shot, navigate, tableLoaded } from './lib.mjs'

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

test('admin reveals a masked phone; the audit log records the read', async () => {
  const page = await newPage(browser, server)
  await login(page, ADMIN.login, ADMIN.password)
  await navigate(page, '/system', '/system/users')
  await tableLoaded(page)
  const row = page.locator('[data-testid="data-table"] .el-table__body tr.el-table__row').filter({ hasText: UNIT_STAFF.login })
  await row.first().waitFor()
  assert.match(await row.first().innerText(), /138\*\*\*\*0004/)
  assert.doesNotMatch(await page.getByTestId('data-table').innerText(), /13807330004/)
  // Fixed columns render the actions cell twice; the visible one is clicked.
  await row.first().getByRole('button', { name: '编辑' }).locator('visible=true').first().click()
  const phone = page.getByTestId('user-form-phone')
  await phone.waitFor()
  assert.equal(await phone.inputValue(), '138****0004')
  await page.getByTestId('user-reveal-phone').click()
  await page.waitForFunction(() => document.querySelector('input[data-testid="user-form-phone"]')?.value === '13807330004')
  await shot(page, 'user-reveal-phone')
  await page.keyboard.press('Escape')

  await navigate(page, '/system', '/system/audit')
  await tableLoaded(page)
  const rows = page.locator('[data-testid="data-table"] .el-table__body tr.el-table__row').filter({ hasText: '查看' })
  await rows.first().waitFor()
  assert.match(await rows.first().innerText(), /admin/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a unit user creates a token, sees it once, and revokes it', async () => {
  const page = await newPage(browser, server)
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  await navigate(page, '/system', '/system/tokens')
  await tableLoaded(page)
  await page.getByTestId('token-add').click()
  await page.getByTestId('token-name').fill('e2e 对接')
  await page.getByTestId('token-save').click()
  const value = page.getByTestId('token-value')
  await value.waitFor()
  const token = await value.inputValue()
  assert.match(token, /^gt_[0-9a-f]{64}$/)
  await shot(page, 'token-created')
  // The token works as a Bearer token until revoked.
  const me = await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })
  assert.equal(me.status, 200)
  await page.locator('.el-dialog').filter({ has: page.getByTestId('token-value') }).getByRole('button', { name: '关闭' }).last().click()
  const row = page.locator('[data-testid="data-table"] .el-table__body tr.el-table__row').filter({ hasText: 'e2e 对接' })
  await row.first().waitFor()
  assert.doesNotMatch(await page.getByTestId('data-table').innerText(), new RegExp(token.slice(3, 20)))
  await row.first().getByRole('button', { name: '吊销' }).locator('visible=true').first().click()
  await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
  await row.first().getByText('已吊销').first().waitFor()
  const after = await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })
  assert.equal(after.status, 401)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
