// Layout (issue 20 #8), the two faults left, measured in a real browser at 1440 px and 390 px:
// the dashboard's overdue-nodes card shows every column whole (no column cut off by the card,
// no text cut short without a tooltip; on a phone each node reads as a list entry), and the
// problem page's workflow steps run down the page on a phone (one line per title) while they
// stay side by side on a desktop.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, DESKTOP, PHONE, TODAY, startAll, stopAll, newPage, login, shot } from './lib.mjs'

let server
let browser
before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

async function openDashboard(page) {
  await page.goto('/dashboard')
  await page.getByTestId('overdue-card').waitFor()
  await page.waitForFunction(() => !document.querySelector('.dash > .el-loading-mask'))
}

/**
 * Every piece of text in the card that is cut short (its content wider or taller than its box
 * while the box hides the overflow) and has neither a title nor Element Plus's overflow tooltip.
 */
function truncatedWithoutTooltip(page, selector) {
  return page.evaluate((sel) => {
    const out = []
    for (const el of document.querySelectorAll(sel)) {
      const text = el.textContent.trim()
      if (!text) continue
      const style = getComputedStyle(el)
      const hides = style.overflowX !== 'visible' || style.overflowY !== 'visible' || style.textOverflow === 'ellipsis'
      const cut = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1
      const tip = el.hasAttribute('title') || el.classList.contains('el-tooltip') || el.querySelector('[title]')
      if (hides && cut && !tip) out.push(text)
    }
    return out
  }, selector)
}

/** Boxes of the elements matching `selector` that reach outside the card (0.5 px slack). */
function outsideCard(page, selector) {
  return page.evaluate((sel) => {
    const card = document.querySelector('[data-testid="overdue-card"]').getBoundingClientRect()
    return [...document.querySelectorAll(sel)]
      .map((el) => ({ text: el.textContent.trim(), r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.left < card.left - 0.5 || r.right > card.right + 0.5 || r.top < card.top - 0.5 || r.bottom > card.bottom + 0.5))
      .map(({ text, r }) => `${text} [${Math.round(r.left)}–${Math.round(r.right)}]`)
  }, selector)
}

for (const [size, viewport] of [['1440', DESKTOP], ['1024', { width: 1024, height: 768 }]]) {
  test(`at ${size} px the dashboard's overdue table shows all five columns inside its card, headers on one line, nothing cut short without a tooltip`, async () => {
    const page = await newPage(browser, server, { viewport })
    await login(page, OFFICE.login, OFFICE.password)
    await openDashboard(page)
    const card = page.getByTestId('overdue-card')
    await card.scrollIntoViewIfNeeded()
    const heads = await card.locator('.el-table__header th .cell').allInnerTexts()
    assert.deepEqual(heads.map((h) => h.trim()), ['项目', '节点', '责任单位', '计划日期', '逾期天数'])
    const rows = await card.locator('.el-table__body tr').count()
    assert.ok(rows >= 3, `the demo has overdue nodes to show (${rows})`)
    // every header cell and every body cell lies inside the card: no column is cut off
    assert.deepEqual(await outsideCard(page, '[data-testid="overdue-card"] .el-table__header th'), [])
    assert.deepEqual(await outsideCard(page, '[data-testid="overdue-card"] .el-table__body tr:first-child td'), [])
    // so the table needs no sideways scrolling to be read
    const scroll = await card.locator('.el-table__body-wrapper .el-scrollbar__wrap').evaluate((w) => [w.scrollWidth, w.clientWidth])
    assert.ok(scroll[0] <= scroll[1] + 1, `no hidden columns to the right (${scroll})`)
    // header labels on one line each
    const tall = await card.locator('.el-table__header th .cell').evaluateAll((els) =>
      els.filter((el) => el.getBoundingClientRect().height > (parseFloat(getComputedStyle(el).lineHeight) || 23) * 1.5).map((el) => el.innerText),
    )
    assert.deepEqual(tall, [], 'header labels on one line')
    assert.deepEqual(await truncatedWithoutTooltip(page, '[data-testid="overdue-card"] .cell'), [])
    // where a long name is cut short, pointing at it shows the whole name
    const cut = card.locator('.el-table__body .cell.el-tooltip')
    const cutIndex = await cut.evaluateAll((els) => els.findIndex((el) => el.scrollWidth > el.clientWidth + 1))
    if (cutIndex >= 0) {
      const cell = cut.nth(cutIndex)
      const full = (await cell.textContent()).trim()
      await cell.hover()
      await page.locator('.el-popper', { hasText: full }).last().waitFor()
    }
    await shot(page, `layout2-dashboard-overdue-${size}`)
    assert.deepEqual(page.problems, [])
    await page.context().close()
  })
}

test('at 390 px each overdue node is a list entry inside the card with its project, node, unit, planned date and days overdue all readable', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, OFFICE.login, OFFICE.password)
  await openDashboard(page)
  const card = page.getByTestId('overdue-card')
  await card.scrollIntoViewIfNeeded()
  const items = card.getByTestId('overdue-item')
  const n = await items.count()
  assert.ok(n >= 3, `the demo has overdue nodes to show (${n})`)
  // the same nodes the table shows on a desktop, in the same order
  const projects = await items.locator('[data-testid="overdue-project"]').allInnerTexts()
  // the page shows last month (January in January) of TODAY's year
  const [y, m] = TODAY.split('-').map(Number)
  const api = await (await page.request.get(`/api/v1/dashboard?year=${y}&month=${m === 1 ? 1 : m - 1}`)).json()
  assert.deepEqual(projects.map((s) => s.trim()), api.overdue_nodes.map((x) => x.project_name))
  // every entry names the five things the desktop's columns show, each labelled
  const first = await items.first().innerText()
  for (const label of ['责任单位', '计划日期']) assert.ok(first.includes(label), `"${label}" in ${first}`)
  assert.match(first, /逾期\s*\d+\s*天/)
  // nothing reaches outside the card and nothing is cut short without a tooltip
  assert.deepEqual(await outsideCard(page, '[data-testid="overdue-item"] *'), [])
  assert.deepEqual(await truncatedWithoutTooltip(page, '[data-testid="overdue-item"] *'), [])
  // no table squeezed into the phone, and the page does not scroll sideways
  assert.equal(await card.locator('.el-table').count(), 0)
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= PHONE.width + 1, `the page does not scroll sideways (${width})`)
  // a project's name opens the project
  const id = await items.first().locator('[data-testid="overdue-project"]').getAttribute('href')
  assert.match(id, /^\/projects\/\d+$/)
  await shot(page, 'layout2-dashboard-overdue-390')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

async function openProblem(page) {
  const first = (await (await page.request.get('/api/v1/problems?per_page=1')).json()).items[0]
  await page.goto(`/problems/${first.id}`)
  const steps = page.getByTestId('problem-steps')
  await steps.waitFor()
  return steps
}

/** Each step's box and its title's height against its line height. */
function stepBoxes(steps) {
  return steps.locator('.el-step').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect()
      const title = el.querySelector('.el-step__title')
      const tr = title.getBoundingClientRect()
      return { text: title.innerText.trim(), left: r.left, top: r.top, right: r.right, bottom: r.bottom, h: tr.height, line: parseFloat(getComputedStyle(title).lineHeight) || 20 }
    }),
  )
}

test('at 390 px a problem\'s workflow steps run down the page, one step under the other, each title on one line', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, OFFICE.login, OFFICE.password)
  const steps = await openProblem(page)
  assert.ok(await steps.evaluate((el) => el.classList.contains('el-steps--vertical')), 'vertical steps')
  const boxes = await stepBoxes(steps)
  assert.equal(boxes.length, 5)
  assert.deepEqual(boxes.map((b) => b.text), ['待受理', '已受理', '办理中', '已答复', '已办结'])
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].top >= boxes[i - 1].bottom - 0.5, `"${boxes[i].text}" below "${boxes[i - 1].text}"`)
  for (const b of boxes) assert.ok(b.h < b.line * 1.5, `"${b.text}" on one line (${b.h}px for a ${b.line}px line)`)
  // the steps do not scroll sideways, and neither does the page
  assert.ok(await steps.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'the steps fit the width')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= PHONE.width + 1, `the page does not scroll sideways (${width})`)
  await shot(page, 'layout2-problem-steps-390')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('at 1440 px a problem\'s workflow steps stay side by side in one row', async () => {
  const page = await newPage(browser, server, { viewport: DESKTOP })
  await login(page, OFFICE.login, OFFICE.password)
  const steps = await openProblem(page)
  assert.ok(!(await steps.evaluate((el) => el.classList.contains('el-steps--vertical'))), 'not vertical')
  const boxes = await stepBoxes(steps)
  assert.equal(boxes.length, 5)
  for (let i = 1; i < boxes.length; i++) {
    assert.ok(Math.abs(boxes[i].top - boxes[0].top) < 1, `"${boxes[i].text}" on the first step's row`)
    assert.ok(boxes[i].left >= boxes[i - 1].right - 0.5, `"${boxes[i].text}" right of "${boxes[i - 1].text}"`)
  }
  for (const b of boxes) assert.ok(b.h < b.line * 1.5, `"${b.text}" on one line`)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
