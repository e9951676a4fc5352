// The assessment pages in a real browser: the office opens the ranking board and the
// accountability list, confirms a pending report, publishes; the public board (/board)
// then shows the published list without logging in; a town sees only its own entries.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, UNIT_STAFF, PHONE, startAll, stopAll, newPage, login, shot, navigate, tableLoaded } from './lib.mjs'

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

test('office opens the ranking board and the accountability list, then publishes', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/assessment', '/assessment/rankings')
  await tableLoaded(page)
  const table = page.getByTestId('data-table')
  await table.getByText('仙庾镇').waitFor()
  // the last town is on the red (interview) line, the first is green
  assert.equal(await page.locator('tr.light-red').filter({ hasText: '仙庾镇' }).count(), 1)
  assert.equal(await page.locator('tr.light-green').filter({ hasText: '月塘街道' }).count(), 1)
  assert.ok((await page.locator('.rc-down, .rc-up').count()) > 0, 'rank change arrows')
  await shot(page, 'rankings-town')
  // PDF export downloads a file
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rank-pdf').click()])
  assert.match(pdf.suggestedFilename(), /\.pdf$/)

  await navigate(page, '/assessment', '/assessment/accountability')
  await tableLoaded(page)
  const reasons = page.getByTestId('acc-reasons')
  await page.getByText('征拆(亩)任务完成 35.00%（目标200亩，完成70亩）', { exact: false }).first().waitFor()
  assert.ok((await reasons.count()) >= 5)
  await shot(page, 'accountability-live')
  // a reason leads to the unit's tasks and figures of the month
  const jinshanRow = page.getByTestId('data-table').locator('tbody tr').filter({ hasText: '征拆(亩)任务完成 35.00%' })
  await jinshanRow.locator('.reason-link').click()
  await page.waitForURL((u) => u.pathname === '/assessment/tasks')
  await tableLoaded(page)
  await page.getByTestId('data-table').getByText('三一智慧钢铁城二期征拆').waitFor()
  const taskRows = page.getByTestId('data-table').locator('tbody tr.el-table__row')
  for (let i = 0; i < (await taskRows.count()); i++) assert.match(await taskRows.nth(i).innerText(), /金山街道/)
  await page.goBack()
  await page.waitForURL((u) => u.pathname === '/assessment/accountability')
  await tableLoaded(page)

  await page.getByTestId('acc-publish').click()
  await page.locator('.el-message-box input').fill('月度名单')
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.getByText('已发布第1版').waitFor()
  await page.getByTestId('acc-version').getByText('第1版', { exact: false }).waitFor()
  await shot(page, 'accountability-published')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the public board shows the published list without login', async () => {
  const page = await newPage(browser, server)
  await page.goto('/board')
  await page.getByTestId('public-board').waitFor()
  assert.equal(new URL(page.url()).pathname, '/board')
  await page.getByText('第1版', { exact: false }).first().waitFor()
  const entries = page.getByTestId('board-entry')
  assert.ok((await entries.count()) >= 5)
  await page.getByTestId('public-board').getByText('仙庾镇').first().waitFor()
  await page.getByText('镇街组').first().waitFor()
  await shot(page, 'public-board')
  assert.deepEqual(page.problems, [])
  await page.context().close()
  // and on a phone
  const phone = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await phone.goto('/board')
  await phone.getByTestId('board-entry').first().waitFor()
  await shot(phone, 'public-board-phone')
  await phone.context().close()
})

test('a town sees only its own tasks and reasons, and reports an actual', async () => {
  const page = await newPage(browser, server)
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  await navigate(page, '/assessment', '/assessment/accountability')
  await tableLoaded(page)
  await page.getByText('征拆(亩)任务完成 35.00%', { exact: false }).first().waitFor()
  const rows = page.getByTestId('data-table').locator('tbody tr')
  const n = await rows.count()
  for (let i = 0; i < n; i++) assert.match(await rows.nth(i).innerText(), /金山街道/)
  assert.equal(await page.getByTestId('acc-publish').count(), 0)

  await navigate(page, '/assessment', '/assessment/tasks')
  await tableLoaded(page)
  const taskRows = page.getByTestId('data-table').locator('tbody tr.el-table__row')
  assert.ok((await taskRows.count()) >= 1)
  await page.locator('[data-testid^="task-report-"]').first().click()
  await page.getByTestId('task-actual').fill('180')
  await page.getByTestId('task-report-save').click()
  await page.getByText('已填报，等待项目办确认').waitFor()
  await tableLoaded(page)
  await page.getByTestId('data-table').getByText('待确认').first().waitFor()
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('office confirms a reported actual and reads the quarterly assessment', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/assessment', '/assessment/tasks')
  await tableLoaded(page)
  const confirm = page.locator('[data-testid^="task-confirm-"]')
  const before = await confirm.count()
  assert.ok(before >= 1, 'a report waits for confirmation')
  await shot(page, 'tasks-office')
  await confirm.first().click()
  await page.getByText('已确认实际完成').waitFor()
  await tableLoaded(page)
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="task-confirm-"]').length === n - 1, before)

  await navigate(page, '/assessment', '/assessment/quarterly')
  await tableLoaded(page)
  await page.getByTestId('data-table').getByText('骏马奖').first().waitFor()
  await shot(page, 'quarterly')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a task links its projects by picking them, searched by code or name, not by typing internal ids', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const projects = (await (await page.request.get('/api/v1/projects?per_page=500&sort=code')).json()).items
  const byCode = projects[projects.length - 1]
  const byName = projects.find((p) => p.id !== byCode.id && p.name.length >= 4)
  await page.goto('/assessment/tasks')
  await page.getByTestId('task-add').click()
  const form = page.getByTestId('task-form')
  await form.waitFor()
  await form.locator('.el-form-item').first().locator('.el-select__wrapper').first().click()
  await page.keyboard.type('金山')
  await page.locator('.unit-select-popper .el-tree-node__content:visible').filter({ hasText: /^\s*金山街道\s*$/ }).first().click()
  const title = `征拆攻坚（关联项目测试${Date.now() % 100000}）`
  await page.getByTestId('task-title').fill(title)
  await page.getByTestId('task-target').fill('12')
  const picker = page.getByTestId('task-projects')
  // by code
  await picker.click()
  await page.keyboard.type(byCode.code)
  await page.locator('.project-select-popper .el-select-dropdown__item:visible').filter({ hasText: byCode.name }).first().click()
  // by a part of the name
  await page.keyboard.press('Control+A')
  await page.keyboard.type(byName.name.slice(1, 4))
  await page.locator('.project-select-popper .el-select-dropdown__item:visible').filter({ hasText: byName.name }).first().click()
  await page.getByTestId('task-title').click() // closes the list
  await page.locator('.project-select-popper').first().waitFor({ state: 'hidden' })
  assert.match(await picker.innerText(), new RegExp(byCode.code))
  await shot(page, 'task-project-picker')
  await page.getByTestId('task-save').click()
  await form.waitFor({ state: 'hidden' })
  const list = await (await page.request.get(`/api/v1/tasks?q=${encodeURIComponent(title)}`)).json()
  const task = list.items.find((x) => x.title === title)
  assert.ok(task, 'the task was created')
  assert.deepEqual(task.projects.map((p) => p.id).sort((a, b) => a - b), [byCode.id, byName.id].sort((a, b) => a - b))
  assert.ok(task.projects.every((p) => p.code), 'linked projects carry their codes')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('one language at a time: the ranking rule and the audit log\'s actions and entities in Chinese, not English codes', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/assessment/rankings')
  const rule = page.locator('.tie-rule')
  await rule.waitFor()
  const text = await rule.innerText()
  assert.match(text, /单项排名/)
  assert.doesNotMatch(text, /Per kind|descending|completion|ratio/, text)
  // an approval leaves an audit entry for a report
  const csrf = (await (await page.request.get('/api/v1/me')).json()).csrf_token
  const waiting = (await (await page.request.get('/api/v1/reports?state=submitted&per_page=1')).json()).items[0]
  assert.ok(waiting, 'a report awaits review')
  const r = await page.request.post(`/api/v1/reports/${waiting.id}/review`, { data: { decision: 'approve' }, headers: { 'X-CSRF-Token': csrf } })
  assert.equal(r.status(), 200)
  await page.goto(`/system/audit?entity=report&entity_id=${waiting.id}`)
  await tableLoaded(page)
  const row = page.getByTestId('data-table').locator('tbody tr.el-table__row').first()
  await row.waitFor()
  const cells = await row.innerText()
  assert.match(cells, /进度填报/)
  assert.match(cells, /审核通过/)
  assert.doesNotMatch(cells, /\b(report|approve)\b/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
