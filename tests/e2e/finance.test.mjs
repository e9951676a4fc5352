// Financing in a real browser: an enterprise posts a need on a phone (a bad amount refused
// inline, the phone masked); a bank finds it on the needs market, reveals the contact and
// records a loan; the office returns a subsidy without a reason (refused inline), then with
// one, and pays an approved one; the statistics page shows the seeds' sentence and its charts;
// the funds-seeking ledger shows the target board.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, PHONE, TODAY, startAll, stopAll, newPage, login, shot, navigate, tableLoaded } from './lib.mjs'

let server
let browser
before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

test('an enterprise posts a need on a phone; a bank finds it, reveals the contact and records a loan', async () => {
  const ent = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(ent, 'huaju', 'ent12345')
  await ent.goto('/finance/needs')
  await tableLoaded(ent)
  await ent.getByTestId('need-post').click()
  await ent.getByTestId('f-amount').fill('abc')
  await ent.getByTestId('f-purpose').fill('浏览器测试购置设备')
  await ent.getByTestId('f-phone').fill('13912340000')
  await ent.getByTestId('f-save').click()
  await ent.locator('.el-dialog .el-form-item__error', { hasText: '金额' }).first().waitFor()
  await ent.getByTestId('f-amount').fill('260万')
  await ent.getByTestId('f-save').click()
  await ent.locator('.el-dialog').first().waitFor({ state: 'hidden' })
  const mine = (await (await ent.request.get('/api/v1/financing-needs?q=' + encodeURIComponent('浏览器测试'))).json()).items
  assert.equal(mine.length, 1)
  assert.equal(mine[0].contact_phone, '139****0000')
  await shot(ent, 'finance-enterprise-phone')
  assert.deepEqual(ent.problems, [])

  const bank = await newPage(browser, server)
  await login(bank, 'bank', 'bank1234')
  await navigate(bank, '/finance', '/finance/needs')
  await tableLoaded(bank)
  await bank.getByTestId('need-search').fill('浏览器测试')
  await bank.keyboard.press('Enter')
  await bank.getByTestId(`need-${mine[0].id}`).click()
  await bank.getByTestId('need-phone').filter({ hasText: '139****0000' }).waitFor()
  await bank.getByTestId('need-reveal').click()
  await bank.getByTestId('need-phone').filter({ hasText: '13912340000' }).waitFor()
  await bank.getByTestId('add-loan').click()
  await bank.getByTestId('r-amount').fill('200万')
  await bank.getByTestId('r-save').click()
  await bank.getByTestId('loans-table').locator('.el-table__body tr', { hasText: '200.00' }).waitFor()
  // a contact without a note is refused inline, then recorded
  await bank.getByTestId('add-contact').click()
  await bank.getByTestId('r-save').click()
  await bank.locator('.el-dialog:visible .el-form-item__error').first().waitFor()
  await bank.getByTestId('r-note').fill('上门走访，已收集报表')
  await bank.getByTestId('r-save').click()
  await bank.getByTestId('contacts-table').locator('.el-table__body tr', { hasText: '上门走访' }).waitFor()
  await shot(bank, 'finance-bank-need')
  assert.deepEqual(bank.problems, [])
})

test('the office reviews subsidies: a return needs its reason; an approved one is paid with a voucher', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/finance', '/finance/subsidies')
  await page.getByTestId('rule-share-guarantee').filter({ hasText: '50.00' }).waitFor()
  await tableLoaded(page)
  const pending = (await (await page.request.get('/api/v1/subsidies?state=applied&per_page=100')).json()).items
  assert.ok(pending.length >= 2, 'the demo\'s second batch waits for review')
  const [a, b] = pending
  await page.getByTestId(`return-${a.id}`).click()
  await page.getByTestId('e-send').click()
  await page.locator('.el-dialog .el-form-item__error', { hasText: '退回须填写理由' }).waitFor()
  await page.getByTestId('e-reason').fill('缺少担保合同')
  await page.getByTestId('e-send').click()
  await page.getByTestId(`sub-state-${a.id}`).filter({ hasText: '已退回' }).waitFor()
  await page.getByTestId(`approve-${b.id}`).click()
  await page.getByTestId('e-send').click()
  await page.getByTestId(`sub-state-${b.id}`).filter({ hasText: '已核准' }).waitFor()
  await page.getByTestId(`pay-${b.id}`).click()
  await page.getByTestId('e-voucher').fill(`CZ${TODAY.slice(0, 4)}-E2E`)
  await page.getByTestId('e-send').click()
  await page.getByTestId(`sub-state-${b.id}`).filter({ hasText: '已拨付' }).waitFor()
  await shot(page, 'finance-subsidies')
  assert.deepEqual(page.problems, [])
})

test('the white list: the office recommends an enterprise and the needs market marks it', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/finance', '/finance/whitelist')
  await tableLoaded(page)
  const listed = (await (await page.request.get('/api/v1/financing-whitelist?per_page=500')).json()).items.map((x) => x.enterprise_id)
  const ent = (await (await page.request.get('/api/v1/units?kind=enterprise&per_page=500')).json()).items.find((u) => !listed.includes(u.id))
  await page.getByTestId('wl-add').click()
  await page.getByTestId('wl-save').click()
  await page.locator('.el-dialog .el-form-item__error').first().waitFor()
  await page.getByTestId('wl-enterprise').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: ent.name }).first().click()
  await page.getByTestId('wl-save').click()
  await page.locator('.el-table__body tr', { hasText: ent.name }).first().waitFor()
  await shot(page, 'finance-whitelist')
  assert.deepEqual(page.problems, [])
})

test('statistics: the seeds\' sentence, charts per bank and month; the funds target board', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/finance', '/finance/stats')
  await page.getByTestId('fin-summary').filter({ hasText: '38家企业获得贷款' }).waitFor()
  await page.getByTestId('chart-bank').locator('canvas').first().waitFor()
  await page.getByTestId('chart-month').locator('canvas').first().waitFor()
  assert.ok((await page.getByTestId('bank-table').locator('.el-table__body tr').count()) >= 7)
  await shot(page, 'finance-stats')
  await navigate(page, '/finance', '/finance/funds')
  await tableLoaded(page)
  await page.getByTestId('target-board').locator('.el-progress').first().waitFor()
  assert.ok((await page.getByTestId('target-board').locator('.team').count()) >= 4)
  await shot(page, 'finance-funds')
  assert.deepEqual(page.problems, [])
})
