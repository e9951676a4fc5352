// Progress reports in a real browser: a unit user on a phone picks a project from the
// "not reported" list, fills the report with a photo and submits it; the project office
// approves it from the review queue; the dashboard's year-to-date figure moves by exactly
// the amount reported, and its drill-down lists the report; the big screen renders.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, UNIT_STAFF, PHONE, startAll, stopAll, newPage, login, shot } from './lib.mjs'
import { makePng } from '../api/reports_helpers.mjs'

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

const toFen = (s) => BigInt(String(s).replace('.', ''))

test('unit submits with a photo, office approves, the dashboard moves', async () => {
  // --- the unit user, on a phone ---
  const phone = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(phone, UNIT_STAFF.login, UNIT_STAFF.password)
  await phone.goto('/progress/missing')
  const table = phone.getByTestId('missing-table')
  await table.waitFor()
  const link = table.locator('.el-link').first()
  await link.waitFor()
  const projectName = (await link.textContent()).trim()
  await link.click()
  await phone.waitForURL((u) => u.pathname === '/progress/fill')
  const form = phone.getByTestId('report-form')
  await form.waitFor()
  await phone.waitForFunction(() => {
    const el = document.querySelector('[data-testid="report-project"]')
    return el && el.textContent.trim().length > 0 && !el.querySelector('.is-transparent')
  })
  // a bad amount is caught in the form before anything is sent
  await phone.getByTestId('report-investment').fill('一百万')
  await phone.getByTestId('report-submit').click()
  await phone.getByText('金额格式无法识别').first().waitFor()
  await phone.getByTestId('report-investment').fill('888.88万')
  await phone.getByTestId('report-image').fill('主体结构施工至第6层')
  await phone.getByTestId('report-photo-input').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: makePng(320, 240) })
  await phone.locator('.photo img').first().waitFor()
  await shot(phone, 'report-form-phone')
  await phone.getByTestId('report-submit').click()
  await phone.waitForURL((u) => u.pathname === '/progress/reports')
  const reportId = new URL(phone.url()).searchParams.get('highlight')
  assert.ok(reportId, 'the new report id is in the URL')
  const rep = await (await phone.request.get(`/api/v1/reports/${reportId}`)).json()
  assert.equal(rep.state, 'submitted')
  assert.equal(rep.investment, '8888800.00')
  assert.equal(rep.project_name, projectName.replace(/（.*$/, ''))
  assert.equal(rep.photos.length, 1)
  assert.deepEqual(phone.problems, [])

  // --- the project office, on a desktop ---
  const office = await newPage(browser, server)
  await login(office, OFFICE.login, OFFICE.password)
  const q = `year=${rep.period.slice(0, 4)}&month=${Number(rep.period.slice(5))}`
  const before = await (await office.request.get(`/api/v1/dashboard?${q}`)).json()
  await office.goto('/dashboard')
  const kpi = office.getByTestId('kpi-ytd-value')
  await kpi.waitFor()
  const shownBefore = (await kpi.textContent()).trim()

  await office.goto(`/progress/review?id=${reportId}`)
  const card = office.getByTestId(`review-card-${reportId}`)
  await card.waitFor()
  await card.getByTestId('report-photo').first().waitFor()
  await shot(office, 'review-queue')
  await office.getByTestId(`approve-${reportId}`).click()
  await card.waitFor({ state: 'detached' })

  const afterD = await (await office.request.get(`/api/v1/dashboard?${q}`)).json()
  assert.equal(toFen(afterD.ytd_investment) - toFen(before.ytd_investment), 888880000n)

  await office.goto('/dashboard')
  await kpi.waitFor()
  await office.waitForFunction((old) => {
    const el = document.querySelector('[data-testid="kpi-ytd-value"]')
    return el && el.textContent.trim() !== old
  }, shownBefore)
  const shownAfter = (await kpi.textContent()).trim()
  assert.notEqual(shownAfter, shownBefore)
  assert.ok(parseFloat(shownAfter) > parseFloat(shownBefore))
  await office.getByTestId('chart-monthly').locator('canvas').first().waitFor()
  await shot(office, 'dashboard')

  // the figure drills down to the projects behind it
  await office.getByTestId('kpi-ytd').click()
  const drillTotal = office.getByTestId('drill-total-ytd')
  await drillTotal.waitFor()
  const wan = (await drillTotal.textContent()).replace(/,/g, '').trim()
  // shown in 万元 with two decimals: within half a hundredth of 万 (50 yuan) of the exact total
  assert.ok(Math.abs(Number(wan) * 10000 - Number(afterD.ytd_investment)) <= 50, `${wan} 万 vs ${afterD.ytd_investment}`)
  await office.keyboard.press('Escape')

  // the big screen
  await office.goto('/bigscreen')
  await office.getByTestId('bigscreen').locator('canvas').first().waitFor()
  await shot(office, 'bigscreen')
  assert.deepEqual(office.problems, [])
})

/** Projects of the unit user with no report yet for `period` (API, as that user). */
async function unreported(page, period) {
  const out = []
  for (const state of ['not_due', 'due', 'late']) {
    const r = await (await page.request.get(`/api/v1/reports?period=${period}&state=${state}&per_page=200`)).json()
    out.push(...(r.items || []))
  }
  return out
}

test('a phone report in 万元: a bare number is 万元 as the lists show, the parsed amount is shown live, 元 only when picked', async () => {
  const phone = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(phone, UNIT_STAFF.login, UNIT_STAFF.password)
  const form = phone.getByTestId('report-form')
  // the month the form proposes: last month, the one being reported now
  const period = (await (await phone.request.get('/api/v1/reports/missing')).json()).period
  const todo = await unreported(phone, period)
  assert.ok(todo.length >= 2, 'two unreported projects')
  const project = todo[todo.length - 1]
  await phone.goto(`/progress/fill?project=${project.project_id}`)
  await form.waitFor()
  await phone.waitForFunction(() => {
    const el = document.querySelector('[data-testid="report-project"]')
    return el && el.textContent.trim().length > 0 && !el.querySelector('.is-transparent')
  })
  const parsed = phone.getByTestId('report-investment-parsed')
  // the unit is written beside the box, 万元 unless changed
  assert.equal((await phone.getByTestId('report-investment-unit').textContent()).trim(), '万元')
  await phone.getByTestId('report-investment').fill('1250.5')
  await phone.waitForFunction(() => document.querySelector('[data-testid="report-investment-parsed"]').textContent.includes('= 1,250.50 万元'))
  // picking 元 shows what that would mean
  await phone.getByTestId('report-investment-unit').click()
  await phone.locator('.el-select-dropdown__item:visible').filter({ hasText: /^\s*元\s*$/ }).click()
  await phone.waitForFunction(() => document.querySelector('[data-testid="report-investment-parsed"]').textContent.includes('= 0.13 万元'))
  await phone.getByTestId('report-investment-unit').click()
  await phone.locator('.el-select-dropdown__item:visible').filter({ hasText: /^\s*万元\s*$/ }).click()
  // a unit typed into the number wins over the picker
  await phone.getByTestId('report-investment').fill('0.5亿')
  await phone.waitForFunction(() => document.querySelector('[data-testid="report-investment-parsed"]').textContent.includes('= 5,000.00 万元'))
  await phone.getByTestId('report-investment').fill('1250.5')
  assert.match(await parsed.textContent(), /= 1,250\.50 万元/)
  // the live line fits the phone: nothing cut off
  const fits = await parsed.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().right <= window.innerWidth)
  assert.ok(fits, 'the parsed amount is fully visible')
  await shot(phone, 'report-form-wan-phone')
  await phone.getByTestId('report-submit').click()
  await phone.waitForURL((u) => u.pathname === '/progress/reports')
  const id = new URL(phone.url()).searchParams.get('highlight')
  const rep = await (await phone.request.get(`/api/v1/reports/${id}`)).json()
  assert.equal(rep.investment, '12505000.00', '1,250.50 万元, not 1,250.50 元')
  assert.deepEqual(phone.problems, [])
  await phone.context().close()
})

test('the review card warns when a month is far from the project\'s usual month', async () => {
  // a month typed as 元 through the API (a bare number there is 元): 0.13 万元 beside months of hundreds of 万元
  const unitPage = await newPage(browser, server)
  await login(unitPage, UNIT_STAFF.login, UNIT_STAFF.password)
  const period = (await (await unitPage.request.get('/api/v1/reports/missing')).json()).period
  const todo = await unreported(unitPage, period)
  let rep = null
  for (const p of todo.slice(0, -1)) {
    const hist = await (await unitPage.request.get(`/api/v1/projects/${p.project_id}/reports?per_page=50`)).json()
    if ((hist.items || []).filter((x) => x.state === 'approved').length < 3) continue
    const csrf = (await (await unitPage.request.get('/api/v1/me')).json()).csrf_token
    const r = await unitPage.request.post(`/api/v1/projects/${p.project_id}/reports`, {
      data: { period, investment: '1250.5' },
      headers: { 'X-CSRF-Token': csrf },
    })
    if (r.status() === 201) {
      rep = await r.json()
      break
    }
  }
  assert.ok(rep, 'a report submitted for a project with approved months')
  await unitPage.context().close()

  const office = await newPage(browser, server)
  await login(office, OFFICE.login, OFFICE.password)
  await office.goto(`/progress/review?id=${rep.id}`)
  const card = office.getByTestId(`review-card-${rep.id}`)
  await card.waitFor()
  const warn = card.getByTestId('review-warning-far_from_usual')
  await warn.waitFor()
  const text = await warn.textContent()
  assert.match(text, /本月 0\.13 万元，远低于该项目常月/)
  assert.match(text, /是否误将万元填为元/)
  await shot(office, 'review-warning')
  assert.deepEqual(office.problems, [])
  await office.context().close()
})

test('a month already reported is said at once, with a link to that report, before anything is typed', async () => {
  const phone = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(phone, UNIT_STAFF.login, UNIT_STAFF.password)
  const period = (await (await phone.request.get('/api/v1/reports/missing')).json()).period
  const waiting = (await (await phone.request.get(`/api/v1/reports?period=${period}&state=submitted&per_page=5`)).json()).items
  assert.ok(waiting.length, 'a report of the month awaits review')
  const rep = waiting[0]
  await phone.goto(`/progress/fill?project=${rep.project_id}`)
  const note = phone.getByTestId('report-exists')
  await note.waitFor()
  assert.match(await note.textContent(), new RegExp(`${period}已有填报（待审核）`))
  assert.ok(await phone.getByTestId('report-submit').isDisabled(), 'nothing to submit twice')
  await phone.getByTestId('report-exists-link').click()
  await phone.waitForURL((u) => u.pathname === '/progress/fill' && u.searchParams.get('id') === String(rep.id))
  // the form now corrects that report
  await phone.locator('.page-title').filter({ hasText: '修改' }).or(phone.locator('.page-title').filter({ hasText: '重新提交' })).first().waitFor()
  await phone.waitForFunction(() => document.querySelector('[data-testid="report-investment"] input, input[data-testid="report-investment"]')?.value !== '')
  assert.deepEqual(phone.problems, [])
  await phone.context().close()
})

test('batch review: the office ticks reports in the queue and approves them together after one confirmation', async () => {
  const office = await newPage(browser, server)
  await login(office, OFFICE.login, OFFICE.password)
  const queue = (await (await office.request.get('/api/v1/reports?state=submitted&sort=submitted_at&per_page=50')).json()).items
  assert.ok(queue.length >= 3, 'reports wait for review')
  const [a, b] = queue
  await office.goto('/progress/review')
  await office.getByTestId(`review-card-${a.id}`).waitFor()
  await office.getByTestId(`pick-${a.id}`).click()
  await office.getByTestId(`pick-${b.id}`).click()
  const button = office.getByTestId('batch-approve')
  assert.match(await button.innerText(), /批量通过（2）/)
  await shot(office, 'review-batch')
  await button.click()
  const box = office.locator('.el-message-box')
  await box.waitFor()
  assert.match(await box.innerText(), /2 份/)
  await box.locator('.el-button--primary').click()
  await office.getByTestId(`review-card-${a.id}`).waitFor({ state: 'detached' })
  await office.getByTestId(`review-card-${b.id}`).waitFor({ state: 'detached' })
  for (const r of [a, b]) assert.equal((await (await office.request.get(`/api/v1/reports/${r.id}`)).json()).state, 'approved')
  // the others still wait
  assert.equal((await (await office.request.get(`/api/v1/reports/${queue[2].id}`)).json()).state, 'submitted')
  assert.deepEqual(office.problems, [])
  await office.context().close()
})
