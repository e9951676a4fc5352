// 多页签: the tab bar of open pages above the content (issue 20, "Missing: lists").
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, PHONE, startAll, stopAll, newPage, login, shot, menuEntry, navigate, tableLoaded } from './lib.mjs'

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

const tabTitles = (page) => page.locator('[data-testid="tags-view"] .tags-item .tags-title').allInnerTexts()
const tab = (page, path) => page.getByTestId('tab-' + path)

async function openProjectsAndProblems(page) {
  await menuEntry(page, '/projects').click()
  await page.waitForURL((u) => u.pathname === '/projects')
  await tableLoaded(page)
  await navigate(page, '/dispatching', '/problems')
  await tableLoaded(page)
}

test('pages opened from the sidebar each add a tab after the fixed home tab, and the current one is marked', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await tab(page, '/').waitFor()
  assert.deepEqual(await tabTitles(page), ['首页'])
  assert.equal(await page.getByTestId('tab-close-/').count(), 0, 'the home tab has no ×')
  await openProjectsAndProblems(page)
  assert.deepEqual(await tabTitles(page), ['首页', '项目库', '问题交办'])
  assert.equal(await tab(page, '/problems').getAttribute('aria-current'), 'page')
  assert.equal(await tab(page, '/projects').getAttribute('aria-current'), null)
  // opening the same page again adds no second tab
  await menuEntry(page, '/projects').click()
  await page.waitForURL((u) => u.pathname === '/projects')
  assert.equal((await tabTitles(page)).length, 3)
  // marking the current tab scrolls only the bar, never the page beside the menu
  assert.equal(await page.evaluate(() => document.querySelector('.main').scrollLeft), 0)
  await shot(page, 'tabs-desktop')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('switching back to a list tab keeps what the user typed in its search box and the rows it found', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await menuEntry(page, '/projects').click()
  await tableLoaded(page)
  const q = page.locator('input[data-testid="projects-q"], [data-testid="projects-q"] input').first()
  await q.fill('三一')
  await q.press('Enter')
  await tableLoaded(page)
  const rowsBefore = await page.locator('[data-testid="data-table"] .el-table__body tr.el-table__row').count()
  await navigate(page, '/dispatching', '/problems')
  await tableLoaded(page)
  await tab(page, '/projects').click()
  await page.waitForURL((u) => u.pathname === '/projects')
  const q2 = page.locator('input[data-testid="projects-q"], [data-testid="projects-q"] input').first()
  assert.equal(await q2.inputValue(), '三一', 'the search box kept its text')
  assert.equal(await page.locator('[data-testid="data-table"] .el-table__body tr.el-table__row').count(), rowsBefore)
  // 刷新 from the tab menu renders the page afresh: the search box is empty again
  await tab(page, '/projects').click({ button: 'right' })
  await page.getByTestId('ctx-refresh').click()
  await page.waitForFunction(() => {
    const el = document.querySelector('input[data-testid="projects-q"], [data-testid="projects-q"] input')
    return el && el.value === ''
  })
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('× closes a tab and shows its neighbour; 关闭其他 and 关闭全部 keep the home tab', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await openProjectsAndProblems(page)
  await page.getByTestId('tab-close-/problems').click()
  await page.waitForURL((u) => u.pathname === '/projects')
  assert.equal(await tab(page, '/problems').count(), 0)
  assert.equal((await tabTitles(page)).length, 2)

  // right-click → 关闭其他 on the projects tab
  await navigate(page, '/dispatching', '/problems')
  await tableLoaded(page)
  await tab(page, '/projects').click({ button: 'right' })
  await page.getByTestId('tabs-context').waitFor()
  await page.getByTestId('ctx-others').click()
  await page.waitForURL((u) => u.pathname === '/projects')
  assert.deepEqual(await tabTitles(page), ['首页', '项目库'])

  // the ▾ menu → 关闭全部 goes home
  await page.getByTestId('tabs-menu').click()
  await page.getByTestId('tabs-all').click()
  await page.waitForURL((u) => u.pathname === '/')
  assert.deepEqual(await tabTitles(page), ['首页'])
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the tabs survive a reload of the page, and are labelled in English after the language switch', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await openProjectsAndProblems(page)
  const before = await tabTitles(page)
  await page.reload()
  await tab(page, '/problems').waitFor()
  assert.deepEqual(await tabTitles(page), before)
  assert.equal(await tab(page, '/problems').getAttribute('aria-current'), 'page')
  await page.getByTestId('lang-switch').click()
  await page.getByTestId('lang-en').click()
  await page.waitForFunction(() => document.querySelector('[data-testid="tab-/"]')?.innerText.includes('Home'))
  const en = await tabTitles(page)
  assert.equal(en[0], 'Home')
  assert.deepEqual(en.slice(0, 2), ['Home', 'Project library'])
  for (const s of en) assert.doesNotMatch(s, /[\u4e00-\u9fff]/, `English tab title: ${s}`)
  await page.getByTestId('lang-switch').click()
  await page.getByTestId('lang-zh-CN').click()
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('on a phone (390 px) there is no tab bar; the page keeps the whole width', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/projects')
  await tableLoaded(page)
  assert.equal(await page.getByTestId('tags-view').count(), 0)
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
