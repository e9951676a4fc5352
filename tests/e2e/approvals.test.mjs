// Approvals in a real browser: the project office reads the statistics page (figures, the
// chart, the department ranking), opens 飞山奇's approval board ("11项审批，7个工作日"),
// adds an item to a project of 金山街道 from the catalogue, submits it, sees a return without
// a reason refused inline, and edits the catalogue with inline validation; the board also
// works on a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, UNIT_STAFF, PHONE, TODAY, startAll, stopAll, newPage, login, shot, navigate, tableLoaded } from './lib.mjs'

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

async function projects(page) {
  return (await (await page.request.get('/api/v1/projects?per_page=500')).json()).items
}

test('statistics page: totals, a chart and the department ranking', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/approval', '/approvals/stats')
  await page.getByTestId('stats-chart').locator('canvas').first().waitFor()
  const rows = page.getByTestId('stats-items').locator('.el-table__body tr')
  await rows.first().waitFor()
  assert.ok((await rows.count()) >= 5)
  await page.getByRole('tab', { name: '部门排名' }).click()
  await page.getByTestId('stats-departments').locator('.el-table__body tr').first().waitFor()
  await shot(page, 'approvals-stats')
  assert.deepEqual(page.problems, [])
})

test('the board: 飞山奇 in 7 working days; add, submit, and a return needs its reason', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const all = await projects(page)
  const fsq = all.find((p) => p.name.includes('飞山奇'))
  await page.goto(`/approvals/project/${fsq.id}`)
  await page.getByTestId('board-summary').filter({ hasText: '11项审批，7个工作日' }).waitFor()
  await shot(page, 'approvals-board-feishanqi')

  // a 金山街道 project: add 企业投资项目备案 from the catalogue and submit it today
  let target = null, board = null
  for (const p of all.filter((x) => x.unit_name === UNIT_STAFF.unit)) {
    board = await (await page.request.get(`/api/v1/projects/${p.id}/approvals`)).json()
    if (board.items.length === 0) { target = p; break }
  }
  assert.ok(target, 'a project of 金山街道 without approvals yet')
  await page.goto(`/approvals/project/${target.id}`)
  await page.getByTestId('board-title').waitFor()
  const item = (await (await page.request.get('/api/v1/approval-items?per_page=100')).json()).items.find(
    (i) => !board.items.some((b) => b.item_id === i.id) && i.prereq_ids.length === 0)
  assert.ok(item, 'a catalogue item without prerequisites not yet on the project')
  await page.getByTestId('add-item').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: item.name }).first().click()
  await page.getByRole('button', { name: '新增' }).click()
  await page.getByTestId(`submit-${item.code}`).click()
  await page.getByTestId('event-send').click()
  await page.getByTestId(`state-${item.code}`).filter({ hasText: '已提交' }).waitFor()
  await page.getByTestId(`return-${item.code}`).click()
  await page.getByTestId('event-send').click()
  await page.locator('.el-dialog .el-form-item__error', { hasText: '退回须填写理由' }).waitFor()
  await page.locator('.el-dialog textarea').fill('缺少备案申请表')
  await page.getByTestId('event-send').click()
  await page.getByTestId(`state-${item.code}`).filter({ hasText: '准备中' }).waitFor()
  await shot(page, 'approvals-board-returned')
  assert.deepEqual(page.problems, [])
})

test('the catalogue: eleven items, and a promise longer than the law is refused inline', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/approval', '/approvals/items')
  const rows = page.getByTestId('items-table').locator('.el-table__body tr')
  await rows.first().waitFor()
  assert.ok((await rows.count()) >= 11)
  await page.getByTestId('item-edit-construction_permit').click()
  await page.getByTestId('f-promised').locator('input').fill('30')
  await page.getByTestId('f-save').click()
  await page.locator('.el-dialog .el-form-item__error', { hasText: '承诺时限不能超过法定时限' }).waitFor()
  await shot(page, 'approvals-catalogue')
  assert.deepEqual(page.problems, [])
})

test('on a phone: the work list and a board', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/approvals')
  await tableLoaded(page)
  const hj = (await projects(page)).find((p) => p.name.includes('华巨新材料'))
  await page.goto(`/approvals/project/${hj.id}`)
  await page.getByTestId('board-summary').filter({ hasText: '4项审批，4个工作日' }).waitFor()
  await shot(page, 'approvals-phone')
  assert.deepEqual(page.problems, [])
})

test('the agency agreement is edited from the board: agent account, name, date and scope, with inline validation', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const all = await projects(page)
  const p = all.find((x) => x.unit_name === UNIT_STAFF.unit)
  const users = (await (await page.request.get('/api/v1/users?per_page=500')).json()).items
  const agent = users.find((u) => u.login === UNIT_STAFF.login)
  await page.goto(`/approvals/project/${p.id}`)
  await page.getByTestId('board-title').waitFor()
  await page.getByTestId('agreement-edit').click()
  const dialog = page.locator('.el-dialog:visible')
  await page.getByTestId('agreement-name').fill('')
  await page.getByTestId('agreement-save').click()
  await dialog.locator('.el-form-item__error', { hasText: '请填写代办员' }).waitFor()
  await page.getByTestId('agreement-user').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: `（${agent.login}）` }).first().click()
  assert.equal(await page.getByTestId('agreement-name').inputValue(), agent.name, 'the account fills in the agent\'s name')
  await page.getByTestId('agreement-name').fill('李代办')
  const date = new Date(Date.parse(`${TODAY}T00:00:00Z`) - 3 * 864e5).toISOString().slice(0, 10)
  const input = dialog.locator('.el-date-editor input')
  await input.fill(date)
  await input.press('Enter')
  await page.getByTestId('agreement-scope-input').fill('立项至施工许可全程代办')
  await page.getByTestId('agreement-save').click()
  await page.getByTestId('agreement-agent').filter({ hasText: '李代办' }).waitFor()
  assert.equal((await page.getByTestId('agreement-signed').textContent()).trim(), date)
  assert.equal((await page.getByTestId('agreement-scope').textContent()).trim(), '立项至施工许可全程代办')
  const stored = await (await page.request.get(`/api/v1/projects/${p.id}/approval-agreement`)).json()
  assert.deepEqual([stored.agent_user_id, stored.agent_name, stored.signed_on, stored.scope], [agent.id, '李代办', date, '立项至施工许可全程代办'])
  // changed again: the version is sent, the scope follows
  await page.getByTestId('agreement-edit').click()
  await page.getByTestId('agreement-scope-input').fill('施工许可')
  await page.getByTestId('agreement-save').click()
  await page.getByTestId('agreement-scope').filter({ hasText: /^施工许可$/ }).waitFor()
  await shot(page, 'approvals-agreement')
  assert.deepEqual(page.problems, [])
})
