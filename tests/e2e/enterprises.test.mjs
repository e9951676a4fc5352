// Enterprise services in a real browser: the office searches the registry, opens 华巨新材料
// (flags, the figures chart, the contact masked until revealed), registers an enterprise whose
// code has a wrong check character (refused inline) and then the right one; builds a policy
// with the condition builder and watches the live preview, sees an impossible value refused
// inline, opens the qualifying list and confirms it; 华巨 on a phone sees its policies and
// raises a request, the department replies (a reply without text refused inline), and 华巨
// confirms it with a rating.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, PHONE, TODAY, startAll, stopAll, newPage, login, shot, navigate, tableLoaded } from './lib.mjs'

const HUAJU = { login: 'huaju', password: 'ent12345' }
const ZRZY = { login: 'zrzy', password: 'unit123' }
let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

async function pickTree(page, testid, name) {
  await page.getByTestId(testid).first().click()
  await page.keyboard.type(name.slice(0, 2))
  await page
    .locator('.unit-select-popper .el-tree-node__content:visible')
    .filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) })
    .first()
    .click()
}

// A valid code (GB 32100-2015) from 17 characters.
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
function withCheck(body) {
  const s = [...body].reduce((a, c, i) => a + CHARS.indexOf(c) * W[i], 0)
  const c = 31 - (s % 31)
  return body + CHARS[c === 31 ? 0 : c]
}

test('the registry: search, the detail with flags, chart and a reveal; a bad code refused inline', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/ent', '/enterprises')
  await tableLoaded(page)
  await page.getByTestId('ent-search').fill('华巨')
  await page.keyboard.press('Enter')
  const link = page.locator('[data-testid^="ent-"]', { hasText: '湖南华巨新材料有限公司' }).first()
  await link.click()
  await page.getByTestId('ent-name').filter({ hasText: '湖南华巨新材料有限公司' }).waitFor()
  await page.getByTestId('ent-chart').locator('canvas').first().waitFor()
  assert.match(await page.getByTestId('ent-contact').innerText(), /\*\*\*\*/)
  await page.getByTestId('ent-reveal').click()
  await page.getByTestId('ent-contact').filter({ hasText: '13807331101' }).waitFor()
  assert.ok((await page.getByTestId('ent-policy').count()) >= 2, 'policies it qualifies for')
  await shot(page, 'enterprises-detail')

  await page.goto('/enterprises')
  await tableLoaded(page)
  await page.getByTestId('ent-add').click()
  const good = withCheck('91430202TEST0E2E1'.replace(/[IOZSV]/g, 'A'))
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
  await page.getByTestId('f-uscc').fill(bad)
  await page.getByTestId('f-name').fill('株洲浏览器测试科技有限公司')
  await pickTree(page, 'f-town', '桂花街道')
  await page.getByTestId('f-save').click()
  await page.locator('.el-dialog .el-form-item__error', { hasText: '校验位不正确' }).waitFor()
  await page.getByTestId('f-uscc').fill(good.toLowerCase())
  await page.getByTestId('f-save').click()
  await page.getByTestId('ent-uscc').filter({ hasText: good }).waitFor()
  assert.deepEqual(page.problems, [])
})

test('the policy editor: conditions with a live preview, an impossible value refused inline, then the list confirmed', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/ent', '/policies')
  await tableLoaded(page)
  await page.getByTestId('policy-add').click()
  await page.getByTestId('p-title').fill('浏览器测试：高新技术企业营收奖励')
  // the default first condition: flags has high_tech → some enterprises qualify
  await page.getByTestId('p-preview').filter({ hasText: /实时预览：[1-9]\d*家符合/ }).waitFor()
  const before = await page.getByTestId('p-preview').innerText()
  await page.getByTestId('cond-add').click()
  await page.getByTestId('cond-value-1').fill('很多')
  await page.getByTestId('p-preview').filter({ hasText: '金额格式无法识别' }).waitFor()
  await page.getByTestId('cond-value-1').fill('3亿')
  await page.waitForFunction((b) => {
    const t = document.querySelector('[data-testid="p-preview"]')?.innerText || ''
    return t.includes('实时预览') && t !== b
  }, before)
  await shot(page, 'enterprises-policy-editor')
  await page.getByTestId('p-save').click()
  await page.locator('.el-dialog').filter({ hasText: '新增政策' }).waitFor({ state: 'hidden' })
  await page.getByTestId('policy-search').fill('浏览器测试')
  await page.keyboard.press('Enter')
  await page.locator('[data-testid^="policy-"]', { hasText: '浏览器测试：高新技术企业营收奖励' }).first().click()
  const rows = page.getByTestId('eligible-table').locator('.el-table__body tr')
  await rows.first().waitFor()
  assert.ok((await rows.count()) >= 1)
  await page.getByTestId('confirm-list').click()
  await page.getByTestId('eligible-table').locator('.el-table__body', { hasText: '已确认' }).waitFor()
  await shot(page, 'enterprises-eligible')
  assert.deepEqual(page.problems, [])
})

test('on a phone: 华巨 sees its policies and raises a request; the department replies; 华巨 confirms with a rating', async () => {
  const phone = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(phone, HUAJU.login, HUAJU.password)
  await phone.goto('/enterprises/mine')
  await phone.getByTestId('ent-name').filter({ hasText: '湖南华巨新材料有限公司' }).waitFor()
  assert.ok((await phone.getByTestId('ent-policy').count()) >= 2)
  await phone.getByRole('tab', { name: /企业诉求/ }).click()
  await phone.getByTestId('ent-new-request').click()
  await phone.getByRole('radio', { name: '用地' }).click({ force: true })
  await phone.getByTestId('nr-text').fill('浏览器测试：三期用地请协调')
  await pickTree(phone, 'nr-unit', '荷塘区自然资源分局')
  await phone.getByTestId('nr-save').click()
  await phone.getByTestId('request-state').filter({ hasText: '待受理' }).waitFor()
  await shot(phone, 'enterprises-phone-request')
  const mine = await (await phone.request.get('/api/v1/enterprise-requests?q=' + encodeURIComponent('浏览器测试：三期用地'))).json()
  const q = mine.items[0]
  assert.equal(q.raised_on, TODAY)

  const desk = await newPage(browser, server)
  await login(desk, ZRZY.login, ZRZY.password)
  await navigate(desk, '/ent', '/enterprise-requests')
  await tableLoaded(desk)
  await desk.getByTestId(`req-${q.id}`).click()
  await desk.getByTestId('act-reply').click()
  await desk.locator('.el-drawer .el-form-item__error', { hasText: '答复内容必填' }).waitFor()
  await desk.getByTestId('request-text').fill('已纳入下月供地计划。')
  await desk.getByTestId('act-reply').click()
  await desk.getByTestId('request-state').filter({ hasText: '已答复' }).waitFor()

  await phone.reload()
  await phone.getByRole('tab', { name: /企业诉求/ }).click()
  await phone.getByTestId('ent-requests').locator('.el-table__row', { hasText: '浏览器测试：三期用地' }).click()
  await phone.getByTestId('act-confirm').click()
  await phone.locator('.el-drawer .el-form-item__error', { hasText: '满意度' }).waitFor()
  await phone.getByTestId('request-rating').locator('.el-rate__item').nth(3).click()
  await phone.getByTestId('act-confirm').click()
  await phone.getByTestId('request-state').filter({ hasText: '已办结' }).waitFor()
  await shot(phone, 'enterprises-phone-confirmed')
  const done = await (await phone.request.get(`/api/v1/enterprise-requests/${q.id}`)).json()
  assert.equal(done.rating, 4)
  assert.deepEqual(phone.problems, [])
  assert.deepEqual(desk.problems, [])
})

test('the supply–demand board: 华巨 posts a need on a phone; the office matches a demo post with the enterprise that responded', async () => {
  const phone = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(phone, HUAJU.login, HUAJU.password)
  await phone.goto('/supply-demand')
  await tableLoaded(phone)
  await phone.getByTestId('board-new').click()
  await phone.getByTestId('bp-save').click()
  await phone.locator('.el-dialog .el-form-item__error').first().waitFor()
  await phone.getByTestId('bp-title').fill('浏览器测试：采购钨粉')
  await phone.getByTestId('bp-text').fill('月采购钨粉20吨，寻本地供应商。')
  await phone.getByTestId('bp-save').click()
  await phone.getByTestId('post-state').filter({ hasText: '对接中' }).waitFor()
  await shot(phone, 'enterprises-board-phone')
  assert.deepEqual(phone.problems, [])

  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await navigate(page, '/ent', '/supply-demand')
  await tableLoaded(page)
  await page.locator('[data-testid^="post-"]', { hasText: '招聘数控操作工30名' }).first().click()
  await page.getByTestId('post-response').filter({ hasText: '湖南韵达物流有限公司' }).waitFor()
  await page.getByTestId('match-ent').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '湖南韵达物流有限公司' }).first().click()
  await page.getByTestId('match-send').click()
  await page.getByTestId('post-state').filter({ hasText: '已撮合' }).waitFor()
  await shot(page, 'enterprises-board-matched')
  assert.deepEqual(page.problems, [])
})
