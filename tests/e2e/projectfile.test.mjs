// The project's file (一项目一档) in a real browser on the demo district: the project page
// carries, beside its fields and nodes, the monthly reports (with photos on opening a row),
// the problems, the dispatch decisions about it, its approval board, land acquisition, the
// investment lead that made it and its history — each section showing what that module's API
// says for the user. A problem raised from a node lands in the file. A town user sees the
// sections its role may read and no others; a phone (390 px) gets the same file without a
// page wider than the screen. Screenshots: projectfile-desktop, projectfile-land,
// projectfile-town, projectfile-phone in test-output/e2e/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, UNIT_STAFF, PHONE, TODAY, startAll, stopAll, newPage, login, shot } from './lib.mjs'

// The 三一 project carries the land acquisition; the other sections are checked on the demo
// project (in the user's scope) whose file is fullest on the pinned day — on 2026-11-18 one of
// 金山街道 with reports, problems, dispatch decisions, approvals and its lead.
const LAND_NAME = '三一智慧钢铁城（一期）'

let server
let browser
before(async () => {
  ({ server, browser } = await startAll())
})
after(async () => {
  await stopAll({ server, browser })
})

/** GET through the page's own session: what the API says to this user. */
async function apiGet(page, path) {
  const r = await page.request.get(`/api/v1${path}`)
  return { status: r.status(), body: r.status() === 200 ? await r.json() : null }
}
async function projectId(page, name) {
  const r = await apiGet(page, `/projects?q=${encodeURIComponent(name)}&per_page=50`)
  const p = r.body.items.find((x) => x.name === name)
  assert.ok(p, `the demo has ${name}`)
  return p.id
}
/** The user's project with the most non-empty sections (reports, problems, decisions, approvals, lead). */
async function richProject(page) {
  const problems = (await apiGet(page, '/problems?per_page=500')).body.items
  let best = null
  for (const id of [...new Set(problems.map((p) => p.project_id))]) {
    const api = {}
    for (const [k, path] of Object.entries(SECTIONS(id))) if (k !== 'land') api[k] = await apiGet(page, path)
    const filled = Object.entries(api).filter(([k, r]) => r.status === 200 && (k === 'lead' || r.body.items.length > 0)).length
    if (!best || filled > best.filled) best = { id, api, filled }
    if (filled === 5) break
  }
  assert.ok(best, 'a project with problems')
  best.name = (await apiGet(page, `/projects/${best.id}`)).body.name
  return best
}
const SECTIONS = (id) => ({
  reports: `/projects/${id}/reports?per_page=100`,
  problems: `/problems?project=${id}&per_page=100`,
  decisions: `/dispatch/decisions?project=${id}`,
  approvals: `/projects/${id}/approvals`,
  land: `/projects/${id}/land-progress`,
  lead: `/projects/${id}/lead`,
})
async function openTab(page, name) {
  await page.locator(`#tab-${name}`).click()
  await page.locator(`#pane-${name}`).waitFor({ state: 'visible' })
}
const rows = (page, testid) => page.locator(`[data-testid="${testid}"] .el-table__body tr.el-table__row`)
const noProblems = (page) => assert.deepEqual(page.problems, [])

test('the office opens a project and its file shows each module’s data: reports with photos, problems, decisions, approvals, lead, history', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const { id, api, name: NAME } = await richProject(page)
  for (const k of ['reports', 'problems', 'decisions', 'approvals']) assert.equal(api[k].status, 200, k)
  assert.ok(api.reports.body.items.length > 0 && api.problems.body.items.length > 0 && api.approvals.body.items.length > 0)

  await page.goto(`/projects/${id}`)
  await page.getByTestId('project-name').waitFor()
  assert.equal(await page.getByTestId('project-name').innerText(), NAME)

  // monthly reports: one row per report, newest period first as the API gives them; a row opens to its photos
  await page.locator('#tab-reports').waitFor()
  assert.match(await page.locator('#tab-reports').innerText(), new RegExp(`\\(${api.reports.body.items.length}\\)`))
  await openTab(page, 'reports')
  assert.equal(await rows(page, 'file-reports').count(), api.reports.body.items.length)
  const r0 = api.reports.body.items[0]
  const first = rows(page, 'file-reports').first()
  assert.match(await first.innerText(), new RegExp(r0.period))
  const wan = (Number(r0.investment) / 10000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  assert.ok((await first.innerText()).includes(wan), `the investment in 万元 (${wan})`)
  await first.locator('.el-table__expand-icon').click()
  const detail = page.locator('#pane-reports [data-testid="report-detail"]')
  await detail.waitFor()
  assert.match(await detail.innerText(), new RegExp(r0.period))
  await page.locator('#pane-reports .photos').waitFor()
  await shot(page, 'projectfile-desktop')

  // problems: every problem of the project, by title
  await openTab(page, 'problems')
  assert.equal(await rows(page, 'file-problems').count(), api.problems.body.items.length)
  const ptext = await page.getByTestId('file-problems').innerText()
  for (const p of api.problems.body.items) assert.ok(ptext.includes(p.title), p.title)

  // dispatch decisions: each with its meeting
  await openTab(page, 'decisions')
  assert.equal(await rows(page, 'file-decisions').count(), api.decisions.body.items.length)
  const dtext = await page.getByTestId('file-decisions').innerText()
  for (const d of api.decisions.body.items) assert.ok(dtext.includes(d.meeting_title) && dtext.includes(d.meeting_date), d.meeting_title)

  // approvals: the board's items and the count issued
  await openTab(page, 'approvals')
  const items = api.approvals.body.items
  assert.equal(await rows(page, 'file-approvals').count(), items.length)
  const issued = items.filter((a) => a.state === 'issued').length
  assert.equal(await page.getByTestId('file-approvals-summary').innerText(), `共 ${items.length} 项，已办结 ${issued} 项`)
  assert.ok((await page.getByTestId('file-approvals').innerText()).includes(items[0].item_name))

  // the investment lead that made the project, when one did (else no tab)
  if (api.lead.status === 200) {
    await openTab(page, 'lead')
    const lead = await page.getByTestId('file-lead').innerText()
    assert.ok(lead.includes(api.lead.body.investor), api.lead.body.investor)
    assert.ok(lead.includes(api.lead.body.team_name))
  } else {
    assert.equal(api.lead.status, 404)
    assert.equal(await page.locator('#tab-lead').count(), 0)
  }

  // history
  await openTab(page, 'history')
  await page.getByTestId('project-history').waitFor()
  noProblems(page)
  await page.context().close()
})

test('a problem raised from a node starts with the node named, is linked to the project and is found in the file', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const { id } = await richProject(page)
  const before = (await apiGet(page, `/problems?project=${id}&per_page=100`)).body.total
  await page.goto(`/projects/${id}?tab=nodes`)
  const button = page.locator('#pane-nodes [data-testid="node-raise"]:visible').first()
  await button.waitFor()
  const nodes = (await apiGet(page, `/projects/${id}/nodes`)).body
  const list = Array.isArray(nodes) ? nodes : nodes.items
  const firstRow = button.locator('xpath=ancestor::tr[1]')
  const rowText = await firstRow.innerText()
  await button.click()
  const form = page.getByTestId('raise-form')
  await form.waitFor()
  const title = page.locator('input[data-testid="raise-title"], [data-testid="raise-title"] input').first()
  const prefilled = await title.inputValue()
  assert.match(prefilled, /^【节点：.+】$/, 'the title names the node')
  const nodeName = prefilled.slice(4, -1)
  assert.ok(list.some((n) => n.name === nodeName), `a node of this project (${nodeName})`)
  assert.ok(rowText.includes(nodeName), 'the node of the row clicked')
  const desc = await page.locator('textarea[data-testid="raise-description"], [data-testid="raise-description"] textarea').first().inputValue()
  assert.match(desc, /^关于节点“.+”（计划完成 /)
  const text = `施工许可待办 ${TODAY}`
  await title.fill(prefilled + text)
  await page.getByTestId('raise-submit').click()
  // the file switches to its problems and the new one is there
  await page.locator('#pane-problems').waitFor({ state: 'visible' })
  await page.getByTestId('file-problems').getByText(text).waitFor()
  assert.match(await page.locator('#tab-problems').innerText(), new RegExp(`\\(${before + 1}\\)`))
  const after = (await apiGet(page, `/problems?project=${id}&per_page=100`)).body
  const mine = after.items.find((p) => p.title === prefilled + text)
  assert.ok(mine, 'the API lists it under the project')
  assert.equal(mine.project_id, id)
  assert.equal(mine.description, desc)
  // and it opens from the file
  await page.getByTestId('file-problems').getByText(text).click()
  await page.waitForURL(new RegExp(`/problems/${mine.id}$`))
  noProblems(page)
  await page.context().close()
})

test('the land acquisition section shows the project’s land progress from the land module', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const id = await projectId(page, LAND_NAME)
  const land = (await apiGet(page, `/projects/${id}/land-progress`)).body
  assert.ok(land.households > 0)
  await page.goto(`/projects/${id}?tab=land`)
  const box = page.getByTestId('file-land')
  await box.waitFor()
  const text = await box.innerText()
  assert.match(text, new RegExp(`户数\\s+${land.households}\\b`))
  assert.match(text, new RegExp(`已签约\\s+${land.signed}\\b`))
  assert.match(text, new RegExp(`未结难点\\s+${land.open_hard_cases}\\b`))
  assert.ok(text.includes(Number(land.acquired_mu).toLocaleString('en-US', { minimumFractionDigits: 2 })), 'acquired mu')
  await shot(page, 'projectfile-land')
  noProblems(page)
  await page.context().close()
})

test('a town user sees in the file exactly the sections its role may read, and no project outside its scope', async () => {
  const page = await newPage(browser, server)
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  const { id } = await richProject(page)
  await page.goto(`/projects/${id}`)
  await page.getByTestId('project-name').waitFor()
  await page.locator('#tab-reports').waitFor()
  await page.waitForLoadState('networkidle')
  const shown = []
  for (const [k, path] of Object.entries(SECTIONS(id))) {
    const r = await apiGet(page, path)
    const tab = await page.locator(`#tab-${k}`).count()
    if (r.status !== 200) assert.equal(tab, 0, `${k}: ${r.status} → no tab`)
    else if (k !== 'land' || r.body.households || Number(r.body.planned_mu)) {
      assert.equal(tab, 1, `${k}: readable → a tab`)
      shown.push(k)
    }
  }
  for (const k of ['reports', 'problems', 'approvals']) assert.ok(shown.includes(k), k)
  await openTab(page, 'decisions')
  const dec = (await apiGet(page, `/dispatch/decisions?project=${id}`)).body.items
  assert.equal(await rows(page, 'file-decisions').count(), dec.length)
  await shot(page, 'projectfile-town')
  // a project of another town: the page says so, nothing of its file is fetched into view
  const all = (await apiGet(page, '/projects?per_page=500')).body.items.map((p) => p.id)
  let other = 1
  while (all.includes(other)) other++
  await page.goto(`/projects/${other}`)
  await page.locator('.el-empty').first().waitFor()
  assert.equal(await page.locator('#tab-reports').count(), 0)
  noProblems(page)
  await page.context().close()
})

test('on a phone (390 px) the file has the same sections and no page wider than the screen', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, OFFICE.login, OFFICE.password)
  const { id, api } = await richProject(page)
  await page.goto(`/projects/${id}`)
  await page.getByTestId('project-name').waitFor()
  for (const k of ['reports', 'problems', 'decisions', 'approvals']) await page.locator(`#tab-${k}`).waitFor({ state: 'attached' })
  if (api.lead.status === 200) await page.locator('#tab-lead').waitFor({ state: 'attached' })
  await openTab(page, 'problems')
  const n = (await apiGet(page, `/problems?project=${id}&per_page=100`)).body.items.length
  assert.equal(await rows(page, 'file-problems').count(), n)
  await page.getByTestId('file-raise').waitFor()
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= PHONE.width, `page width ${width}`)
  await shot(page, 'projectfile-phone')
  noProblems(page)
  await page.context().close()
})
