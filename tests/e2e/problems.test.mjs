// Problems and dispatch in a real browser: the project office raises a problem on a project
// of 金山街道, the street's staff find it through the bell, accept and reply, and the office
// closes and rates it; then the office prepares a dispatch meeting, adds an item, records a
// decision that assigns a problem, and downloads the weekly report.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, UNIT_STAFF, PHONE, TODAY, startAll, stopAll, newPage, login, logout, shot, navigate, tableLoaded } from './lib.mjs'

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

const TITLE = '进场道路未打通（浏览器测试）'

async function pickTree(page, testid, name) {
  await page.getByTestId(testid).first().click()
  await page.keyboard.type(name.slice(0, 2))
  await page
    .locator('.unit-select-popper .el-tree-node__content:visible')
    .filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) })
    .first()
    .click()
}

test('raise a problem, reply as the assigned unit, close as the raiser', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const mine = await (await page.request.get('/api/v1/me')).json()
  const projects = (await (await page.request.get('/api/v1/projects?per_page=500')).json()).items
  const unitId = (await (await page.request.get('/api/v1/units?per_page=500')).json()).items?.find((u) => u.name === UNIT_STAFF.unit)?.id
  const project = projects.find((p) => p.unit_name === UNIT_STAFF.unit && (!unitId || p.unit_id === unitId))
  assert.ok(project, 'a project of 金山街道')
  assert.ok(mine.user)

  await navigate(page, '/dispatching', '/problems')
  await tableLoaded(page)
  await shot(page, 'problems-list')
  await page.getByTestId('raise-problem').click()
  const form = page.getByTestId('raise-form')
  await form.waitFor()
  // the project, by name; its responsible unit becomes the lead unit
  await page.getByTestId('raise-project').click()
  await page.keyboard.type(project.name)
  await page.locator('.el-select-dropdown__item', { hasText: project.name }).first().click()
  await page.getByTestId('raise-title').fill(TITLE)
  await page.getByTestId('raise-description').fill('施工车辆无法进场，影响场平。')
  await page.getByTestId('raise-submit').click()
  await page.waitForURL((u) => /^\/problems\/\d+$/.test(u.pathname))
  const id = Number(new URL(page.url()).pathname.split('/').pop())
  await page.getByTestId('problem-state').filter({ hasText: '待受理' }).waitFor()
  assert.equal(await page.getByTestId('problem-title').textContent(), TITLE)
  const due = await page.getByTestId('problem-due').textContent()
  const api = await (await page.request.get(`/api/v1/problems/${id}`)).json()
  assert.equal(api.unit_name, UNIT_STAFF.unit)
  assert.equal(due, api.due_date)
  await shot(page, 'problem-raised')
  await logout(page)

  // the street's staff: the bell has it
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  const bell = page.getByTestId('notification-bell')
  await bell.waitFor()
  await bell.click()
  const list = page.getByTestId('notification-list')
  await list.getByText(TITLE).first().click()
  await page.waitForURL((u) => u.pathname === `/problems/${id}`)
  await page.getByTestId('act-accept').click()
  await page.getByTestId('problem-state').filter({ hasText: '已受理' }).waitFor()
  // a site photo as evidence
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
  await page.locator('.el-upload input[type=file]').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: png })
  await page.getByTestId('problem-photo').first().waitFor()
  await page.getByTestId('reply-text').fill('已协调交通运输局，临时便道本周贯通。')
  await page.getByTestId('act-reply').click()
  await page.getByTestId('problem-state').filter({ hasText: '已答复' }).waitFor()
  // the unit cannot close its own problem
  assert.equal(await page.getByTestId('act-close').count(), 0)
  await shot(page, 'problem-replied')
  await logout(page)

  // the raiser closes and rates
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto(`/problems/${id}`)
  await page.getByTestId('act-close').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.getByTestId('problem-state').filter({ hasText: '已办结' }).waitFor()
  await page.getByTestId('rate').locator('.el-rate__item').nth(4).click()
  await page.getByTestId('act-rate').click()
  await page.getByTestId('problem-timeline').getByText('评价').first().waitFor()
  const done = await (await page.request.get(`/api/v1/problems/${id}`)).json()
  assert.equal(done.state, 'closed')
  assert.equal(done.rating, 5)
  assert.deepEqual(done.events.map((e) => e.type), ['create', 'accept', 'reply', 'close', 'rate'])
  await shot(page, 'problem-closed')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a dispatch meeting: prepared, minuted with a decision, weekly report downloaded', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/dispatching', '/dispatch')
  await tableLoaded(page)
  await page.getByTestId('meeting-add').click()
  await page.getByTestId('meeting-create').click()
  await page.waitForURL((u) => /^\/dispatch\/\d+$/.test(u.pathname))
  const id = Number(new URL(page.url()).pathname.split('/').pop())
  await page.getByTestId('meeting-title').filter({ hasText: '重点项目调度会' }).waitFor()
  await page.getByText('红灯项目（').first().waitFor()
  // a custom item
  await page.getByTestId('agenda-add').click()
  await page.getByTestId('agenda-title').fill('专题：进场道路建设')
  await page.getByTestId('agenda-save').click()
  await page.getByText('专题：进场道路建设').first().waitFor()
  await shot(page, 'meeting-agenda')
  // a decision on the first red project: assign a problem to 金山街道
  await page.getByTestId('decide').first().click()
  await page.getByTestId('decision-text').fill('由金山街道牵头，5个工作日内完成征拆扫尾')
  await pickTree(page, 'decision-unit', UNIT_STAFF.unit)
  await page.getByTestId('decision-save').click()
  await page.getByText('由金山街道牵头，5个工作日内完成征拆扫尾').first().waitFor()
  const m = await (await page.request.get(`/api/v1/dispatch/meetings/${id}`)).json()
  assert.equal(m.decisions.length, 1)
  assert.ok(m.decisions[0].problem_id)
  assert.equal(m.decisions[0].unit_name, UNIT_STAFF.unit)
  assert.equal(m.state, 'held')
  // the weekly report as PDF
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('weekly-pdf').first().click()])
  assert.match(download.suggestedFilename(), /^调度周报-\d{4}年第\d{1,2}周\.pdf$/)
  await shot(page, 'meeting-minuted')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

/** The ISO 8601 week (Monday first, the Thursday decides the year) of 'YYYY-MM-DD'. */
function isoWeek(day) {
  const d = new Date(`${day}T00:00:00Z`)
  const thu = new Date(d - ((d.getUTCDay() + 6) % 7) * 86400000 + 3 * 86400000)
  const y = thu.getUTCFullYear()
  return { year: y, week: Math.floor((thu - Date.UTC(y, 0, 1)) / 86400000 / 7) + 1 }
}

test('the weekly report picker numbers weeks as ISO 8601 (Monday first): on a Sunday it shows, downloads and names the same week', async () => {
  // the Sunday on or before TODAY: a week picker counting from Sunday calls it the next week
  const t0 = new Date(`${TODAY}T00:00:00Z`)
  const sunday = new Date(t0 - (t0.getUTCDay() % 7) * 86400000).toISOString().slice(0, 10)
  const { year, week } = isoWeek(sunday)
  const key = `${year}-W${String(week).padStart(2, '0')}`
  const page = await newPage(browser, server)
  await page.context().clock.setFixedTime(new Date(`${sunday}T10:00:00+08:00`))
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/dispatch')
  const picker = page.getByTestId('weekly-week')
  await picker.waitFor()
  await page.waitForFunction(() => document.querySelector('[data-testid="weekly-week"]').innerText.trim() !== '')
  const shown = await picker.innerText()
  assert.ok(shown.includes(`${year}年第${week}周`), `picker shows "${shown}", ISO week ${key}`)
  // the page says that the PDF's lists are cut and where the rest is (PDF_TOP_ROWS in src/dispatch_weekly.c)
  assert.match(await page.getByTestId('weekly-hint').innerText(), /PDF 中每张清单列前 100 条.*Excel 含全部明细/)
  // the days of the week shown run Monday to Sunday
  const monday = new Date(new Date(`${sunday}T00:00:00Z`) - 6 * 86400000).toISOString().slice(5, 10)
  assert.ok(shown.includes(`${monday} — ${sunday.slice(5)}`), shown)
  const [req, download] = await Promise.all([
    page.waitForRequest((r) => r.url().includes('/reports/weekly')),
    page.waitForEvent('download'),
    page.getByTestId('weekly-xlsx').first().click(),
  ])
  assert.equal(new URL(req.url()).searchParams.get('week'), key)
  assert.equal(download.suggestedFilename(), `调度周报-${year}年第${week}周.xlsx`)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the problem list on a phone', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  await page.goto('/problems?mine=1')
  await tableLoaded(page)
  await shot(page, 'problems-phone')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= PHONE.width + 1, `no horizontal scroll (${width})`)
  await page.context().close()
})

test('on a 1440-px screen the problem list fits, its 督办 column included', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/problems')
  await tableLoaded(page)
  const fit = await page.evaluate(() => {
    const root = document.querySelector('[data-testid="data-table"]')
    const table = root.classList.contains('el-table') ? root : root.querySelector('.el-table')
    const box = table.getBoundingClientRect()
    const th = [...table.querySelectorAll('.el-table__header th')].find((x) => x.innerText.includes('督办'))
    const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap') || table.querySelector('.el-table__body-wrapper')
    return { found: !!th, right: th ? th.getBoundingClientRect().right : 0, tableRight: box.right, scroll: wrap.scrollWidth, client: wrap.clientWidth }
  })
  assert.ok(fit.found, 'a 督办 column')
  assert.ok(fit.right <= fit.tableRight + 1, `督办 ends at ${fit.right}, the table at ${fit.tableRight}`)
  assert.ok(fit.scroll <= fit.client + 1, `table ${fit.scroll} wide in ${fit.client}`)
  await page.context().close()
})

test('a problem\'s timeline reads in the order things happened, also where events were recorded after the fact', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const list = (await (await page.request.get('/api/v1/problems?per_page=200&sort=id')).json()).items
  // a problem whose events were recorded out of time order, if any; since the demo's timelines
  // run forward (issue 20 #10, tests/api/problems.test.mjs), the problem with the longest timeline
  let target = null
  for (const pr of list) {
    const full = await (await page.request.get(`/api/v1/problems/${pr.id}`)).json()
    const at = full.events.map((e) => e.at)
    if (at.some((x, i) => i > 0 && x < at[i - 1])) {
      target = full
      break
    }
    if (!target || full.events.length > target.events.length) target = full
  }
  assert.ok(target && target.events.length >= 4, 'a problem with a long timeline')
  await page.goto(`/problems/${target.id}`)
  const items = page.getByTestId('problem-timeline').locator('.el-timeline-item__timestamp')
  await items.first().waitFor()
  const shown = (await items.allInnerTexts()).map((s) => s.trim())
  assert.equal(shown.length, target.events.length)
  for (let i = 1; i < shown.length; i++) assert.ok(shown[i - 1] <= shown[i], `${shown[i - 1]} before ${shown[i]}`)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('on a phone a problem\'s steps keep each title on one line, and its details are not squeezed to a character per line', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, OFFICE.login, OFFICE.password)
  const first = (await (await page.request.get('/api/v1/problems?per_page=1')).json()).items[0]
  await page.goto(`/problems/${first.id}`)
  const steps = page.getByTestId('problem-steps')
  await steps.waitFor()
  const titles = await steps.locator('.el-step__title').evaluateAll((els) =>
    els.map((el) => ({ text: el.innerText, h: el.getBoundingClientRect().height, line: parseFloat(getComputedStyle(el).lineHeight) || 20 })),
  )
  assert.ok(titles.length >= 5)
  for (const x of titles) assert.ok(x.h < x.line * 1.5, `"${x.text}" on one line (${x.h}px for a ${x.line}px line)`)
  const labels = await page.locator('.el-descriptions__label').evaluateAll((els) =>
    els.map((el) => {
      const r = document.createRange()
      r.selectNodeContents(el)
      // the label's text on one line: a single line box
      return { text: el.innerText, lines: new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size }
    }),
  )
  assert.ok(labels.length >= 6)
  for (const x of labels) assert.equal(x.lines, 1, `label "${x.text}" on one line`)
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= PHONE.width + 1, `the page does not scroll sideways (${width})`)
  await shot(page, 'problem-steps-phone')
  await page.context().close()
})
