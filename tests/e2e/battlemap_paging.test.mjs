// The battle map of a large scope in a real browser: the server pages it by group
// (GUATU_BATTLEMAP_MAX is set low so that the demo district counts as large). The page shows
// every group's header with its count from the group index at once, the later groups as
// placeholders of their rows' height, and loads a group's projects when it is scrolled into
// view; printing gathers the groups still missing first.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, startAll, stopAll, newPage, login, shot } from './lib.mjs'

let server
let browser

before(async () => {
  process.env.GUATU_BATTLEMAP_MAX = '30' // the demo's ~150 projects page; the first page carries ~10
  ;({ server, browser } = await startAll())
})

after(async () => {
  await stopAll({ server, browser })
  delete process.env.GUATU_BATTLEMAP_MAX
})

const rows = (page) => page.getByTestId('gantt-row').count()
const groupKeys = (page) => page.$$eval('[data-testid="gantt-group"]', (gs) => gs.map((g) => g.dataset.group))

test('a paged battle map shows every group at once and loads a later group when it is scrolled into view', async () => {
  const page = await newPage(browser, server)
  const asked = []
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/battlemap')) asked.push(new URL(r.url()).searchParams)
  })
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/battlemap')
  await page.getByTestId('gantt-row').first().waitFor()

  const total = Number((await page.getByTestId('bm-total').innerText()).match(/\d+/)[0])
  const groups = await groupKeys(page)
  assert.ok(groups.length > 3, `several groups (${groups.length})`)
  // The headers count every project of the group from the index, loaded or not.
  const counts = await page.$$eval('[data-testid="gantt-group"] .g-group-count', (cs) => cs.map((c) => Number(c.textContent.match(/\d+/)[0])))
  assert.equal(counts.reduce((a, b) => a + b, 0), total)
  const shown = await rows(page)
  assert.ok(shown > 0 && shown < total, `only the first groups are drawn (${shown} of ${total})`)

  // The last group is a placeholder as tall as its rows will be.
  const last = page.locator('[data-testid="gantt-placeholder"]').last()
  const lastIdx = Number(await last.getAttribute('data-idx'))
  const lastKey = groups[lastIdx]
  const h = (await last.boundingBox()).height
  assert.equal(Math.round(h), counts[lastIdx] * 34)
  assert.ok(!asked.some((q) => q.get('group_key') === lastKey), 'the last group is not read before it is seen')
  await shot(page, 'battlemap-paged-top')

  // Scrolling the chart to the bottom brings the last group in: its rows replace the placeholder.
  const gantt = page.getByTestId('gantt')
  const lastGroup = page.locator(`[data-testid="gantt-group"][data-group="${lastKey}"]`)
  await gantt.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await page.waitForFunction(
    (key) => {
      const g = document.querySelector(`[data-testid="gantt-group"][data-group="${key}"]`)
      return g && g.nextElementSibling && g.nextElementSibling.dataset.testid === 'gantt-row'
    },
    lastKey,
  )
  assert.ok(asked.some((q) => q.get('group_key') === lastKey), 'the last group was read by its key')
  const lastRows = await lastGroup.evaluate((g) => {
    let n = 0
    for (let e = g.nextElementSibling; e && e.dataset.testid === 'gantt-row'; e = e.nextElementSibling) n++
    return n
  })
  assert.equal(lastRows, counts[lastIdx], 'the group shows as many rows as its header counts')
  assert.ok((await rows(page)) > shown)
  await shot(page, 'battlemap-paged-scrolled')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('printing a paged battle map loads every group first, then prints them all', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/battlemap')
  await page.getByTestId('gantt-row').first().waitFor()
  const total = Number((await page.getByTestId('bm-total').innerText()).match(/\d+/)[0])
  assert.ok((await rows(page)) < total)
  await page.evaluate(() => {
    window.__printed = 0
    window.print = () => window.__printed++
  })
  await page.getByTestId('bm-print').click()
  await page.getByTestId('bm-print-a3').click()
  await page.waitForFunction(() => window.__printed === 1)
  assert.equal(await rows(page), total, 'every project is on the printed map')
  assert.equal(await page.getByTestId('gantt-placeholder').count(), 0)
  assert.equal(await page.getByTestId('bm-print-progress').count(), 0, 'the progress is gone once all are loaded')
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
