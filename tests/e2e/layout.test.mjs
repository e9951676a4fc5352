// Layout (issue 20 #8), measured in a real browser at 1440 px and 390 px: the battle map's
// 今天 badge covers no label of the timeline at any zoom, and the printed battle map repeats
// its timeline header at the top of every page (the PDF's text, page by page). The dashboard
// donut's labels are checked in web/tests/charts.test.mjs (the chart draws on a canvas).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { OFFICE, DESKTOP, PHONE, OUT, startAll, stopAll, newPage, login, shot } from './lib.mjs'

let server
let browser
before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

async function chartReady(page) {
  await page.getByTestId('gantt').waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-testid="battlemap"] .el-loading-mask'))
  await page.locator('[data-testid="gantt-row"]').first().waitFor()
}

/** Labels of the timeline's scale whose box the 今天 badge overlaps. */
function badgeOverlaps(page) {
  return page.evaluate(() => {
    const badge = document.querySelector('[data-testid="today-badge"]')
    if (!badge) return null
    const b = badge.getBoundingClientRect()
    const hit = []
    for (const s of document.querySelectorAll('.g-tick span')) {
      const r = s.getBoundingClientRect()
      if (!r.width || !s.textContent.trim()) continue
      if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom) hit.push(s.textContent.trim())
    }
    return hit
  })
}

for (const [size, viewport, mobile] of [['1440', DESKTOP, false], ['390', PHONE, true]]) {
  test(`at ${size} px the 今天 badge on the battle map covers no label of the timeline, at every zoom`, async () => {
    const page = await newPage(browser, server, { viewport, mobile })
    await login(page, OFFICE.login, OFFICE.password)
    for (const zoom of ['week', 'month', 'quarter']) {
      await page.goto(`/battlemap?zoom=${zoom}`)
      await chartReady(page)
      await page.getByTestId('bm-zoom').getByText(zoom === 'week' ? '周' : zoom === 'month' ? '月' : '季度', { exact: true }).click()
      await page.waitForTimeout(200)
      // the badge is on screen: the chart scrolls to today
      await page.getByTestId('today-badge').waitFor()
      const hits = await badgeOverlaps(page)
      assert.deepEqual(hits, [], `${zoom}: the badge covers ${hits}`)
      // and the badge sits inside the timeline head, above the rows
      const head = await page.getByTestId('gantt-head').boundingBox()
      const badge = await page.getByTestId('today-badge').boundingBox()
      assert.ok(badge.y >= head.y && badge.y + badge.height <= head.y + head.height + 0.5, `${zoom}: the badge is in the head`)
    }
    await shot(page, `layout-battlemap-week-${size}`)
    assert.deepEqual(page.problems, [])
    await page.context().close()
  })
}

test('the printed battle map repeats its timeline header on every page', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/battlemap')
  await chartReady(page)
  await page.evaluate(() => {
    window.print = () => {}
  })
  await page.getByTestId('bm-print').click()
  await page.getByTestId('bm-print-a4').click()
  await page.emulateMedia({ media: 'print' })
  // the chart prints as a table whose header group is the timeline
  const display = await page.evaluate(() => [getComputedStyle(document.querySelector('.g-inner')).display,
    getComputedStyle(document.querySelector('[data-testid="gantt-head"]')).display])
  assert.deepEqual(display, ['table', 'table-header-group'])
  const corner = (await page.locator('.g-corner').innerText()).trim()
  const year = (await page.locator('.g-tick-up span').first().innerText()).trim()
  await mkdir(OUT, { recursive: true })
  const pdf = path.join(OUT, 'layout-battlemap-a4.pdf')
  await writeFile(pdf, await page.pdf({ format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true }))
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim())
  assert.ok(pages.length >= 3, `the whole map takes several A4 pages (${pages.length})`)
  // every page but the first starts with the header: the scale's year line, then the corner's
  // 项目 beside the months (a project's name ending in 项目 is not the header)
  for (let i = 1; i < pages.length; i++) {
    const [first, second] = pages[i].split('\n').filter((l) => l.trim()).map((l) => l.trim())
    assert.ok(first.startsWith(year), `page ${i + 1} starts with the scale (${year}): ${first}`)
    assert.ok(second === corner || second.startsWith(corner + ' '), `page ${i + 1} has the header's ${corner}: ${second}`)
  }
  await page.emulateMedia({ media: 'screen' })
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
