// Online Q&A in a real browser: a citizen on a phone-sized screen, without logging in, sees the
// server's field errors inline, asks a question and gets a tracking code and follows it; the
// project office finds it in the moderation queue (its ID number flagged), publishes it with the
// personal data masked and replies after an inline error for an empty reply; the citizen reads
// the reply on the phone and rates it, which closes it; the published replies are searchable by
// category on the phone without sideways scrolling; the statistics page shows its chart.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, PHONE, startAll, stopAll, newPage, login, shot, navigate, tableLoaded } from './lib.mjs'

let server
let browser
let code = ''

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

const phonePage = () => newPage(browser, server, { viewport: PHONE, mobile: true })

async function noSidewaysScroll(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(w <= PHONE.width, `page is ${w}px wide on a ${PHONE.width}px screen`)
}

test('a citizen asks on a phone without logging in: inline errors, then a tracking code to follow', async () => {
  const page = await phonePage()
  await page.goto('/ask')
  await page.getByTestId('ask-submit').click()
  await page.locator('.el-form-item__error', { hasText: '不能为空' }).first().waitFor()
  assert.equal(await page.locator('.el-form-item__error', { hasText: '不能为空' }).count(), 3, 'category, title and text')
  await page.getByTestId('ask-category').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '市容环卫' }).first().click()
  await page.getByTestId('ask-title').fill('臭')
  await page.getByTestId('ask-submit').click()
  await page.locator('.el-form-item__error', { hasText: '标题太短' }).waitFor()
  await page.getByTestId('ask-title').fill('建设路垃圾站异味大')
  await page.getByTestId('ask-text').fill('建设路垃圾站每天下午异味很大，我是附近居民，身份证430203199001011234，请尽快处理。')
  await page.getByTestId('ask-phone').fill('123')
  await page.getByTestId('ask-submit').click()
  await page.locator('.el-form-item__error', { hasText: '电话应为11位手机号' }).waitFor()
  await page.getByTestId('ask-phone').fill('13807337777')
  await page.getByTestId('ask-submit').click()
  code = (await page.getByTestId('qa-code').textContent()).trim()
  assert.match(code, /^Q\d{8}-\w{6}$/)
  await noSidewaysScroll(page)
  await shot(page, 'qa-public-ask-phone')
  await page.getByRole('button', { name: '查询进度' }).click()
  await page.getByTestId('follow-state').filter({ hasText: '待审核' }).waitFor()
  assert.deepEqual(page.problems, [])
})

test('the office moderates it with the ID number masked and replies after an inline error', async () => {
  assert.ok(code, 'asked in the previous test')
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/qa-group', '/qa')
  await tableLoaded(page)
  await page.getByTestId('qa-search').fill(code)
  await page.getByRole('button', { name: '查询' }).first().click()
  const row = page.locator('.el-table__body tr', { hasText: '建设路垃圾站异味大' }).first()
  await row.locator('.el-tag', { hasText: '含身份证号' }).waitFor()
  await row.locator('.el-link', { hasText: '建设路垃圾站异味大' }).click()
  await page.getByTestId('qa-phone').filter({ hasText: '138****7777' }).waitFor()
  await page.getByTestId('qa-act-approve').click()
  await page.getByTestId('qa-state').filter({ hasText: '待受理' }).waitFor()
  await page.getByTestId('qa-published').filter({ hasText: '430203********1234' }).waitFor()
  await page.getByTestId('qa-act-reply').click()
  await page.locator('.el-form-item__error', { hasText: '须填写内容' }).waitFor()
  await page.getByTestId('qa-note').fill('您好！已安排环卫所每日下午加密清运并喷洒除臭剂，感谢您的反映。')
  await page.getByTestId('qa-act-reply').click()
  await page.getByTestId('qa-state').filter({ hasText: '已答复' }).waitFor()
  await page.getByTestId('qa-reveal').click()
  await page.getByTestId('qa-phone').filter({ hasText: '13807337777' }).waitFor()
  await shot(page, 'qa-detail')
  assert.deepEqual(page.problems, [])
})

test('the citizen reads the reply on the phone and rates it; the question is closed', async () => {
  assert.ok(code)
  const page = await phonePage()
  await page.goto(`/ask?code=${code}`)
  await page.getByTestId('follow-reply').filter({ hasText: '加密清运' }).waitFor()
  await page.getByTestId('follow-rating').locator('.el-rate__item').nth(4).click()
  await page.getByTestId('follow-rate').click()
  await page.getByTestId('follow-state').filter({ hasText: '已办结' }).waitFor()
  await noSidewaysScroll(page)
  await shot(page, 'qa-public-follow-phone')
  assert.deepEqual(page.problems, [])
})

test('published replies are searchable by category on a phone', async () => {
  const page = await phonePage()
  await page.goto('/ask')
  await page.getByRole('tab', { name: '公开答复' }).click()
  await page.getByTestId('read-item').first().waitFor()
  await page.getByTestId('read-category').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '市场监管' }).first().click()
  // the list is reloaded for the category: every card shown is of it
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll('[data-testid="read-item"]')]
    return cards.length > 0 && cards.every((c) => c.textContent.includes('市场监管'))
  })
  await page.getByTestId('read-item').filter({ hasText: '电子秤' }).first().waitFor()
  await page.getByTestId('read-category').locator('.el-select__clear, .el-icon').last().click().catch(() => {})
  await page.getByTestId('read-q').fill('垃圾站')
  await page.getByTestId('read-q').press('Enter')
  await noSidewaysScroll(page)
  await shot(page, 'qa-public-read-phone')
  assert.deepEqual(page.problems, [])
})

test('the statistics page shows the departments with a chart', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/qa-group', '/qa/stats')
  await page.getByTestId('qa-stats-chart').locator('canvas').first().waitFor()
  const rows = page.getByTestId('qa-stats-table').locator('.el-table__body tr')
  await rows.first().waitFor()
  assert.ok((await rows.count()) >= 3)
  await page.getByTestId('qa-stats-table').locator('.el-table__body tr', { hasText: '合计' }).waitFor()
  assert.deepEqual(page.problems, [])
})
