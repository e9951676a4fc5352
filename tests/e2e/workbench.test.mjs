// 工作台: the home page each role lands on shows what waits for it, each count equal to what the
// linked page lists (same endpoint, same scope) and a click away: the office its reports to review
// and red projects, a leader the problems escalated to leaders, a town its projects still to report
// and its returned reports, an enterprise its own; on a desktop and on a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, UNIT_STAFF, PHONE, startAll, stopAll, newPage, login, shot } from './lib.mjs'

const LEADER = { login: 'leader', password: 'leader123' }
const ENTERPRISE = { login: 'huaju', password: 'ent12345' }

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

async function total(page, path) {
  return (await (await page.request.get(`/api/v1${path}${path.includes('?') ? '&' : '?'}per_page=1`)).json()).total
}
async function shown(page, key) {
  const el = page.getByTestId(`todo-${key}-count`)
  await el.waitFor()
  await page.waitForFunction((k) => !/—/.test(document.querySelector(`[data-testid="todo-${k}-count"]`).textContent), key)
  return Number((await el.textContent()).trim())
}

test('the office\'s workbench: reports to review and red projects, each count a click away from its list', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.getByTestId('workbench').waitFor()
  const review = await total(page, '/reports?state=submitted')
  assert.ok(review > 0, 'the demo has reports waiting')
  assert.equal(await shown(page, 'review'), review)
  assert.equal(await shown(page, 'red'), await total(page, '/projects?light=red'))
  assert.equal(await shown(page, 'overdue'), await total(page, '/problems?overdue=1'))
  assert.equal(await page.getByTestId('todo-fill').count(), 0, 'the office reports nothing itself')
  await shot(page, 'workbench-office')
  await page.getByTestId('todo-review').click()
  await page.waitForURL((u) => u.pathname === '/progress/review')
  await page.locator('[data-testid^="review-card-"]').first().waitFor()
  await page.goto('/')
  await page.getByTestId('todo-red').click()
  await page.waitForURL((u) => u.pathname === '/projects' && u.searchParams.get('light') === 'red')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a leader\'s workbench shows what needs a leader: problems escalated to leaders and red projects', async () => {
  const page = await newPage(browser, server)
  await login(page, LEADER.login, LEADER.password)
  await page.getByTestId('workbench').waitFor()
  assert.equal(await shown(page, 'escalated'), await total(page, '/problems?escalated=1'))
  assert.equal(await shown(page, 'red'), await total(page, '/projects?light=red'))
  assert.equal(await page.getByTestId('todo-review').count(), 0, 'a leader does not review reports')
  await page.getByTestId('todo-escalated').click()
  await page.waitForURL((u) => u.pathname === '/problems' && u.searchParams.get('escalated') === '1')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a town\'s workbench on a phone: projects still to report this month and returned reports, its own only', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  await page.getByTestId('workbench').waitFor()
  const { period } = await (await page.request.get('/api/v1/reports/missing')).json()
  let todo = 0
  for (const s of ['not_due', 'due', 'late']) todo += await total(page, `/reports?period=${period}&state=${s}`)
  assert.equal(await shown(page, 'fill'), todo)
  assert.equal(await shown(page, 'returned'), await total(page, '/reports?state=returned'))
  assert.equal(await page.getByTestId('todo-review').count(), 0)
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= PHONE.width + 1, `no horizontal scroll (${width})`)
  await shot(page, 'workbench-phone')
  await page.getByTestId('todo-fill').click()
  await page.waitForURL((u) => u.pathname === '/progress/missing')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('an enterprise\'s workbench counts only its own projects', async () => {
  const page = await newPage(browser, server)
  await login(page, ENTERPRISE.login, ENTERPRISE.password)
  await page.getByTestId('workbench').waitFor()
  const { period } = await (await page.request.get('/api/v1/reports/missing')).json()
  let todo = 0
  for (const s of ['not_due', 'due', 'late']) todo += await total(page, `/reports?period=${period}&state=${s}`)
  const own = (await (await page.request.get('/api/v1/projects?per_page=500')).json()).total
  assert.ok(todo <= own, 'no more than its own projects')
  assert.equal(await shown(page, 'fill'), todo)
  assert.equal(await page.getByTestId('todo-red').count(), 0)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('counts that differ between pages say what they include: the library all projects, the dashboard without reserve ones, the battle map those with a plan or a node this year', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const all = await total(page, '/projects')
  const reserve = await total(page, '/projects?stage=reserve')
  await page.goto('/dashboard')
  const kpi = page.getByTestId('kpi-projects')
  await kpi.waitFor()
  const text = await kpi.innerText()
  assert.match(text, /不含储备项目/)
  assert.equal(Number(text.match(/重点项目\s*(\d+)/)[1]), all - reserve)
  await page.goto('/battlemap')
  const bm = page.getByTestId('bm-total')
  await bm.waitFor()
  assert.match(await bm.innerText(), /共 \d+ 个项目（本年有计划投资或有节点的项目）/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a bank account is not sent to an empty project library: no 项目库 in its menu, the page refused, its home says why', async () => {
  const page = await newPage(browser, server)
  await login(page, 'bank', 'bank1234')
  await page.getByTestId('workbench-bank').waitFor()
  assert.match(await page.getByTestId('workbench-bank').innerText(), /不查看项目、问题和任务数据/)
  assert.equal(await page.locator('[data-testid="sidebar"] [data-testid="menu-/projects"]').count(), 0)
  await page.goto('/projects')
  await page.getByTestId('forbidden').waitFor()
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
