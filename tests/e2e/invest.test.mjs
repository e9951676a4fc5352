// Investment attraction in a real browser: 金山街道's attraction team opens the pipeline
// kanban from the menu, records a lead (required fields refused inline first), takes it
// through 洽谈 → 预审 → 决策 with a meeting whose empty record is refused inline, signs it
// in the dialog that shows the project to be created, and finds the terms and the project;
// another lead is lost only with a reason; the office reads the statistics (cards, chart,
// team ranking, target board); the kanban and a lead page work on a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, UNIT_STAFF, PHONE, TODAY, startAll, stopAll, newPage, login, shot, navigate } from './lib.mjs'

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

const addDays = (day, n) => {
  const x = new Date(`${day}T00:00:00Z`)
  x.setUTCDate(x.getUTCDate() + n)
  return x.toISOString().slice(0, 10)
}
// The native input or textarea of an Element Plus field (attrs land on the input itself or its wrapper).
function dateInput(page, testid) {
  return page.locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`).first()
}
async function pick(page, testid, text) {
  await page.getByTestId(testid).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

test('a team records a lead, takes it to the decision and signs it into a project', async () => {
  const page = await newPage(browser, server)
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  await navigate(page, '/attraction', '/invest')
  await page.getByTestId('col-lead').waitFor()
  await page.getByTestId('kanban').locator('[data-testid^="card-"]').first().waitFor()
  await shot(page, 'invest-kanban')

  await page.getByTestId('new-lead').click()
  await page.getByTestId('lead-save').click()
  await page.locator('.el-dialog .el-form-item__error', { hasText: '投资方不能为空' }).waitFor()
  await dateInput(page, 'lead-investor').fill('株洲浏览器测试新材料有限公司')
  await dateInput(page, 'lead-amount').fill('25000')
  await pick(page, 'lead-chain', '新材料')
  await pick(page, 'lead-channel', '以商招商')
  await dateInput(page, 'lead-phone').fill('13912345678')
  await page.getByTestId('lead-save').click()
  await page.getByTestId('lead-title').filter({ hasText: '株洲浏览器测试新材料有限公司' }).waitFor()
  await page.getByTestId('contact-phone').filter({ hasText: '139****5678' }).waitFor()

  for (const [to, name] of [['negotiation', '洽谈'], ['prereview', '预审'], ['decision', '决策']]) {
    await page.getByTestId('to-' + to).click()
    await page.getByTestId('lead-stage').filter({ hasText: name }).waitFor()
  }
  await page.getByTestId('add-meeting').click()
  await page.getByTestId('meeting-send').click()
  await page.locator('.el-dialog .el-form-item__error', { hasText: '会议纪要不能为空' }).waitFor()
  await dateInput(page, 'meeting-record').fill('决策会同意签约，用地80亩')
  await page.getByTestId('meeting-send').click()
  await page.getByTestId('meetings').locator('.el-table__body tr', { hasText: '决策会同意签约' }).waitFor()

  await page.getByTestId('sign').click()
  const preview = page.getByTestId('sign-preview')
  await preview.filter({ hasText: '株洲浏览器测试新材料有限公司投资项目' }).waitFor()
  assert.match(await preview.innerText(), /产业项目/)
  await page.getByTestId('sign-send').click()
  await page.locator('.el-dialog .el-form-item__error', { hasText: '承诺开工日期' }).waitFor()
  await dateInput(page, 'sign-start').fill(addDays(TODAY, 60))
  await page.keyboard.press('Enter')
  await page.getByTestId('sign-send').click()
  await page.getByTestId('lead-stage').filter({ hasText: '签约' }).waitFor()
  await page.getByTestId('lead-terms').waitFor()
  await page.getByTestId('lead-project').filter({ hasText: '株洲浏览器测试新材料有限公司投资项目' }).waitFor()
  await shot(page, 'invest-lead-signed')
  const lead = await (await page.request.get(`/api/v1/leads?q=${encodeURIComponent('浏览器测试')}`)).json()
  assert.equal(lead.items.length, 1)
  const p = await (await page.request.get(`/api/v1/projects/${lead.items[0].project_id}`)).json()
  assert.equal(p.total_investment, '250000000.00')
  assert.deepEqual(page.problems, [])
})

test('a lead is lost only with its reason', async () => {
  const page = await newPage(browser, server)
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  const list = await (await page.request.get('/api/v1/leads?stage=lead&per_page=50')).json()
  const l = list.items.find((x) => x.team_name === UNIT_STAFF.unit)
  assert.ok(l, 'a 金山街道 lead at the first stage')
  await page.goto(`/invest/leads/${l.id}`)
  await page.getByTestId('lose').click()
  await page.getByTestId('move-send').click()
  await page.locator('.el-dialog .el-form-item__error', { hasText: '流失或退回须填写原因' }).waitFor()
  await dateInput(page, 'move-reason').fill('投资方转投邻市')
  await page.getByTestId('move-send').click()
  await page.getByTestId('lead-stage').filter({ hasText: '流失' }).waitFor()
  assert.deepEqual(page.problems, [])
})

test('the office reads the statistics: cards, chart, team ranking and the target board', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/attraction', '/invest/stats')
  await page.getByTestId('stats-chart').locator('canvas').first().waitFor()
  await page.getByTestId('card-signed').waitFor()
  const rows = page.getByTestId('stats-teams').locator('.el-table__body tr')
  await rows.first().waitFor()
  await page.getByRole('tab', { name: '目标考核' }).click()
  await page.getByTestId('stats-targets').locator('.el-table__body tr').first().waitFor()
  await shot(page, 'invest-stats')
  // the list page with its search
  await navigate(page, '/attraction', '/invest/leads')
  await page.getByTestId('data-table').locator('.el-table__body tr').first().waitFor()
  assert.deepEqual(page.problems, [])
})

test('on a phone: the kanban stacks and a lead page reads', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, UNIT_STAFF.login, UNIT_STAFF.password)
  await page.goto('/invest')
  const card = page.getByTestId('kanban').locator('[data-testid^="card-"]').first()
  await card.waitFor()
  await card.click()
  await page.getByTestId('lead-title').waitFor()
  await page.getByTestId('lead-info').waitFor()
  await shot(page, 'invest-phone')
  assert.deepEqual(page.problems, [])
})
