// The project library (项目库) in a real browser against the real server and the demo
// district: search, filters and the Excel export of exactly the shown columns; creating a
// project through the form with money written as "3.66亿" (inline errors first); the project
// page with its nodes (template, editing, version conflict) and history; the import dialog
// (dry-run preview with the bad cells marked, then a clean file); roles and the phone layout.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { inflateRawSync } from 'node:zlib'
import path from 'node:path'
import { parseMoney, fenToYuan } from '../../web/src/modules/projects/money.js'
import { ADMIN, OFFICE, PHONE, OUT, DEMO_UNIT, TODAY, startAll, stopAll, newPage, login, shot, menuEntry, tableLoaded, apiAs } from './lib.mjs'

let server
let browser

before(async () => {
  ({ server, browser } = await startAll())
})

after(async () => {
  await stopAll({ server, browser })
})

const ROWS = '[data-testid="data-table"] .el-table__body tr.el-table__row'

/** The text of every shown row. */
async function rowTexts(page) {
  return page.$$eval(ROWS, (rows) => rows.map((r) => r.innerText))
}
/** The list's total from the pager ("共 N 条"). */
async function pagerTotal(page) {
  return Number((await page.locator('.dt-pager .el-pagination__total').innerText()).match(/\d+/)[0])
}
/** Waits until the table has reloaded after a filter change (debounced 300 ms) and
 * shows what `pred` (run in the page) expects: the pause alone cannot tell a reload
 * from a table not yet reloaded on a loaded machine. */
async function reloaded(page, pred, arg) {
  await page.waitForTimeout(350)
  await tableLoaded(page)
  await page.waitForFunction(pred, arg)
  await tableLoaded(page)
}
/** In the page: the table has rows, and every row shows each of `words`. */
const everyRowHas = (words) => {
  const rows = [...document.querySelectorAll('[data-testid="data-table"] .el-table__body tr.el-table__row')]
  return rows.length > 0 && rows.every((r) => words.every((w) => r.innerText.includes(w)))
}
/** In the page: the pager says "共 n 条". */
const pagerSays = (n) => Number((/\d+/.exec(document.querySelector('.dt-pager .el-pagination__total')?.innerText || '') || [])[0]) === n
async function pickOption(page, testid, label) {
  await page.getByTestId(testid).click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).first().click()
}
/** The text input of an Element Plus date picker (the test id lands on the input or around it). */
function dateInput(page, testid) {
  return page.locator(`input[data-testid="${testid}"], [data-testid="${testid}"] input`).first()
}
async function pickUnit(page, scope, testid, unit) {
  await scope.getByTestId(testid).click()
  await page.keyboard.type(unit.slice(0, 2))
  await page
    .locator('.unit-select-popper .el-tree-node__content:visible')
    .filter({ hasText: new RegExp(`^\\s*${unit}\\s*$`) })
    .first()
    .click()
}

/** The shared strings and first sheet's rows of an XLSX (a zip of XML), enough to check an export. */
function readXlsx(buf) {
  const files = {}
  // Walk the central directory: sizes in local headers may be deferred to data descriptors.
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  let p = buf.readUInt32LE(eocd + 16)
  const n = buf.readUInt16LE(eocd + 10)
  for (let i = 0; i < n; i++) {
    const method = buf.readUInt16LE(p + 10)
    const csize = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    const lstart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(lstart, lstart + csize)
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8')
    p += 46 + nameLen + extraLen + commentLen
  }
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
  const strings = [...(files['xl/sharedStrings.xml'] || '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    unescape([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((x) => x[1]).join('')),
  )
  const sheet = files['xl/worksheets/sheet1.xml'] || ''
  const rows = [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((r) =>
    [...r[1].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) => {
      const v = /<v>([\s\S]*?)<\/v>/.exec(c[2] || '')
      const inline = /<t[^>]*>([\s\S]*?)<\/t>/.exec(c[2] || '')
      if (/t="s"/.test(c[1]) && v) return strings[Number(v[1])]
      if (inline) return unescape(inline[1])
      return v ? v[1] : ''
    }),
  )
  return { rows, files }
}

test('the office searches, filters and exports exactly the shown columns', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await menuEntry(page, '/projects').click()
  await page.waitForURL((u) => u.pathname === '/projects')
  await tableLoaded(page)
  const all = await pagerTotal(page)
  assert.ok(all >= 100, `the demo library has ~150 projects (${all})`)
  // Lights are dots with their reasons in a tooltip.
  assert.ok((await page.locator(`${ROWS} [data-testid="light-dot"]`).count()) > 0)
  await shot(page, 'projects')

  // Search by name.
  await page.getByTestId('projects-q').fill('三一')
  await reloaded(page, () => {
    const rows = [...document.querySelectorAll('[data-testid="data-table"] .el-table__body tr.el-table__row')]
    return rows.length > 0 && rows.every((r) => r.innerText.includes('三一'))
  })
  assert.ok((await pagerTotal(page)) < all)
  await page.getByTestId('projects-q').fill('')

  // Filter: provincial projects under construction.
  await pickOption(page, 'projects-level', '省重点')
  await reloaded(page, () => [...document.querySelectorAll('[data-testid="data-table"] .el-table__body tr.el-table__row')].every((r) => r.innerText.includes('省重点')))
  await pickOption(page, 'projects-stage', '在建')
  await reloaded(page, everyRowHas, ['省重点', '在建'])
  const texts = await rowTexts(page)
  assert.ok(texts.length > 0, 'some provincial projects are under construction')
  for (const t of texts) assert.match(t, /省重点[\s\S]*在建/)
  const filtered = await pagerTotal(page)
  assert.ok(filtered < all)

  // Hide the 产业链 column, then export: the file has exactly the shown columns and rows.
  await page.getByTestId('dt-columns').click()
  await page.locator('.dt-chooser .el-checkbox').filter({ hasText: '产业链' }).click()
  await page.keyboard.press('Escape')
  // until the table has re-rendered without it (a fixed pause could end first)
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="data-table"] .el-table__header th .cell')].some((c) => c.innerText.trim() === '产业链'))
  const headers = (await page.$$eval('[data-testid="data-table"] .el-table__header th .cell', (ths) => ths.map((th) => th.innerText.trim()))).filter(Boolean)
  assert.ok(!headers.includes('产业链'))
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dt-export').click()])
  await mkdir(OUT, { recursive: true })
  const file = path.join(OUT, 'projects-export.xlsx')
  await download.saveAs(file)
  const buf = await readFile(file)
  assert.equal(buf.subarray(0, 2).toString(), 'PK', 'an XLSX file')
  const { rows, files } = readXlsx(buf)
  assert.equal(rows.length, filtered + 1, 'one row per project shown by the filters, plus the header')
  const head = rows[0]
  assert.ok(!head.includes('产业链'), 'the hidden column is not exported')
  // exactly the columns on screen, in their order (the light column spelled out)
  const onScreen = headers.filter((h) => h !== '操作').map((h) => (h === '灯' ? '红黄绿灯' : h))
  assert.deepEqual(head, onScreen)
  const year = TODAY.slice(0, 4)
  for (const h of ['项目编号', '项目名称', '项目级别', '项目阶段', '责任单位', '总投资（万元）', `${year}年计划（万元）`, '本年已完成（万元）']) assert.ok(head.includes(h), `export has ${h}: ${head}`)
  const nameCol = head.indexOf('项目名称')
  const shownNames = (await page.$$eval(`${ROWS} [data-testid="project-link"]`, (a) => a.map((x) => x.textContent.trim()))).sort()
  const exportedNames = rows.slice(1).map((r) => r[nameCol])
  for (const nm of shownNames) assert.ok(exportedNames.includes(nm), `${nm} exported`)
  // money as numbers in 万元, as on screen: a row's 总投资 and year plan equal the API's yuan ÷ 10,000
  const sheet = files['xl/worksheets/sheet1.xml']
  const totalCol = head.indexOf('总投资（万元）')
  const planCol = head.indexOf(`${year}年计划（万元）`)
  const colRef = (c) => String.fromCharCode(65 + c)
  assert.match(sheet, new RegExp(`<c r="${colRef(totalCol)}2" s="\\d+"><v>[\\d.]+</v></c>`), 'the total is a number cell')
  const first = (await (await page.request.get(`/api/v1/projects?q=${encodeURIComponent(rows[1][nameCol])}&per_page=5`)).json()).items.find((p) => p.name === rows[1][nameCol])
  assert.ok(Math.abs(Number(rows[1][totalCol]) * 10000 - Number(first.total_investment)) < 0.01, `${rows[1][totalCol]} 万元 vs ${first.total_investment} 元`)
  if (first.annual_plan?.[year]) assert.ok(Math.abs(Number(rows[1][planCol]) * 10000 - Number(first.annual_plan[year])) < 0.01)
  // a dated Chinese file name, a frozen header repeated on every printed page, A4 landscape, widths by content
  assert.equal(download.suggestedFilename(), `项目库-${TODAY}.xlsx`)
  assert.match(sheet, /<pane [^>]*ySplit="1"[^>]*state="frozen"/)
  assert.match(sheet, /<pageSetup [^>]*paperSize="9"[^>]*orientation="landscape"|<pageSetup [^>]*orientation="landscape"[^>]*paperSize="9"/)
  assert.match(files['xl/workbook.xml'], /_xlnm.Print_Titles[^<]*<\/definedName>|Print_Titles/)
  const widths = [...sheet.matchAll(/<col min="(\d+)" max="\d+" width="([\d.]+)"/g)].map((m) => [Number(m[1]) - 1, Number(m[2])])
  const w = Object.fromEntries(widths)
  assert.ok(w[nameCol] > w[head.indexOf('项目级别')], 'the name column is wider than the level column')

  // Reset the column choice for the next tests.
  await page.getByTestId('dt-columns').click()
  await page.locator('.dt-chooser-head').getByRole('button').click()
  await page.keyboard.press('Escape')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a project is created through the form with 3.66亿, its page opens, and it shows in the list', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/projects')
  await tableLoaded(page)
  await page.getByTestId('project-add').click()
  const dialog = page.getByTestId('project-form')
  await dialog.waitFor()
  // An empty form shows the inline errors and sends nothing.
  await page.getByTestId('pf-save').click()
  await dialog.locator('.el-form-item__error').first().waitFor()
  assert.ok((await dialog.locator('.el-form-item__error').count()) >= 3)

  const code = `E2E-${Date.now().toString(36).toUpperCase()}`
  await page.getByTestId('pf-code').fill(code)
  await page.getByTestId('pf-name').fill('株洲测试新材料产业园')
  // A money form the server would refuse is caught in the browser with the same grammar.
  await page.getByTestId('pf-total').fill('3.66亿x')
  await page.getByTestId('pf-name').click()
  const totalItem = dialog.locator('.el-form-item').filter({ has: page.getByTestId('pf-total') })
  await totalItem.locator('.el-form-item__error').filter({ hasText: '金额格式无法识别' }).waitFor()
  await page.getByTestId('pf-total').fill('3.66亿')
  // a year's plan above the total investment, and a negative area, are refused saying why
  const planItem = dialog.locator('.el-form-item').filter({ has: page.getByTestId('pf-plan') })
  const areaItem = dialog.locator('.el-form-item').filter({ has: page.getByTestId('pf-area') })
  await page.getByTestId('pf-plan').fill('4亿')
  await page.getByTestId('pf-area').fill('-5')
  await page.getByTestId('pf-name').click()
  await planItem.locator('.el-form-item__error').filter({ hasText: '计划投资不能超过总投资（3.66亿）' }).waitFor()
  await areaItem.locator('.el-form-item__error').filter({ hasText: '面积不能为负数' }).waitFor()
  await page.getByTestId('pf-area').fill('4.125')
  await page.getByTestId('pf-name').click()
  await areaItem.locator('.el-form-item__error').filter({ hasText: '最多两位小数' }).waitFor()
  await page.getByTestId('pf-plan').fill('12453万元')
  await page.getByTestId('pf-area').fill('40')
  await pickUnit(page, dialog, 'pf-unit', DEMO_UNIT)
  await page.getByTestId('pf-name').click()
  // the total's error goes once it is valid (after its leave transition): wait for that, not 150 ms
  await totalItem.locator('.el-form-item__error').waitFor({ state: 'detached' })
  assert.equal(await totalItem.locator('.el-form-item__error').count(), 0)
  await shot(page, 'project-create-form')
  await page.getByTestId('pf-save').click()
  await dialog.waitFor({ state: 'hidden' })

  // The new project's page opens, with the exact figures.
  await page.waitForURL((u) => /^\/projects\/\d+$/.test(u.pathname))
  await page.getByTestId('project-name').waitFor()
  let head = await page.getByTestId('project-head').innerText()
  assert.match(head, /3\.66 亿元/)

  // The new project is in the list, its money in 万元.
  await page.goto('/projects')
  await tableLoaded(page)
  await page.getByTestId('projects-q').fill(code)
  await reloaded(page, everyRowHas, [code])
  const texts = await rowTexts(page)
  assert.equal(texts.length, 1)
  assert.match(texts[0], new RegExp(code))
  assert.match(texts[0], /36,600\.00/)
  assert.match(texts[0], new RegExp(DEMO_UNIT))

  // A second project with the same code: the server's error shows under the code field.
  await page.getByTestId('project-add').click()
  await dialog.waitFor()
  await page.getByTestId('pf-code').fill(code)
  await page.getByTestId('pf-name').fill('重复编号项目')
  await page.getByTestId('pf-total').fill('5亿')
  await pickUnit(page, dialog, 'pf-unit', DEMO_UNIT)
  await page.getByTestId('pf-save').click()
  const codeItem = dialog.locator('.el-form-item').filter({ has: page.getByTestId('pf-code') })
  await codeItem.locator('.el-form-item__error').filter({ hasText: '已存在' }).waitFor()
  await shot(page, 'project-create-duplicate')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })

  // Its page shows the exact figures.
  await page.locator(`${ROWS} [data-testid="project-link"]`).first().click()
  await page.waitForURL((u) => /^\/projects\/\d+$/.test(u.pathname))
  await page.getByTestId('project-name').waitFor()
  head = await page.getByTestId('project-head').innerText()
  assert.match(head, /3\.66 亿元/)
  assert.match(head, /1\.25 亿元|12,453\.00 万元/)
  assert.match(head, /40\.00 亩/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a project saved with its code left empty gets the next code of the year, shown on its page that opens', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/projects')
  await tableLoaded(page)
  await page.getByTestId('project-add').click()
  const dialog = page.getByTestId('project-form')
  await dialog.waitFor()
  assert.match(await page.getByTestId('pf-code').getAttribute('placeholder'), /自动编号/)
  await page.getByTestId('pf-name').fill('自动编号测试项目')
  await page.getByTestId('pf-total').fill('2亿')
  await pickUnit(page, dialog, 'pf-unit', DEMO_UNIT)
  await page.getByTestId('pf-save').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.waitForURL((u) => /^\/projects\/\d+$/.test(u.pathname))
  await page.getByTestId('project-name').waitFor()
  const year = TODAY.slice(0, 4)
  assert.match(await page.getByTestId('project-head').innerText(), new RegExp(`HT-${year}-\\d{3}`))
  assert.deepEqual(page.problems, [])
  await page.context().close()
})


test('the form reads money with exactly the server grammar', async () => {
  const call = await apiAs(server, ADMIN)
  const units = await call('GET', '/units?per_page=500')
  const unit = units.body.items.find((u) => u.name === DEMO_UNIT)
  const made = await call('POST', '/projects', {
    code: `E2E-M-${Date.now().toString(36).toUpperCase()}`,
    name: '金额语法测试项目',
    level: 'district',
    category: '产业项目',
    stage: 'reserve',
    unit_id: unit.id,
    total_investment: '1亿',
  })
  assert.equal(made.status, 201, JSON.stringify(made.body))
  let version = made.body.version
  const forms = ['5亿', '3.66亿元', '12453万元', '39.625万元', '4156万', '1.2亿', '1,234.56', '366000000', ' 12 万 ', '1.230元', '0', '0.01',
    '1,234,567.8万元', '1.234元', '1.2345678万', 'abc', '5亿亿', '1..2', '.5', '5.', '+5', '12,34', '五亿', '-5', '', '99999999999999999999']
  for (const form of forms) {
    const fen = parseMoney(form)
    const client = fen !== null && fen >= 0n
    const r = await call('PATCH', `/projects/${made.body.id}`, { total_investment: form, version })
    assert.equal(r.status === 200, client, `"${form}": browser ${client ? 'accepts' : 'refuses'}, server answered ${r.status} ${JSON.stringify(r.body.errors || '')}`)
    if (r.status === 200) {
      version = r.body.version
      assert.equal(r.body.total_investment, fenToYuan(fen), `"${form}" is the same amount on both sides`)
    } else {
      assert.equal(r.status, 422)
      assert.equal(r.body.errors[0].field, 'total_investment')
    }
  }
})

test('the project page: nodes from a template, editing a node, a version conflict, the history', async () => {
  const call = await apiAs(server, ADMIN)
  const units = await call('GET', '/units?per_page=500')
  const unit = units.body.items.find((u) => u.name === DEMO_UNIT)
  const created = await call('POST', '/projects', {
    code: `E2E-N-${Date.now().toString(36).toUpperCase()}`,
    name: '节点测试项目',
    level: 'district',
    category: '产业项目',
    stage: 'preparation',
    unit_id: unit.id,
    total_investment: '2亿',
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id

  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto(`/projects/${id}?tab=nodes`)
  await page.getByTestId('node-table').waitFor()
  // Lay the template out in working days from a Monday.
  await page.getByTestId('node-template').click()
  await page.getByTestId('tpl-select').waitFor()
  await dateInput(page, 'tpl-start').fill('2026-03-02')
  await page.keyboard.press('Enter')
  await page.getByTestId('tpl-apply').click()
  const nodeRows = page.locator('[data-testid="node-table"] .el-table__body tr.el-table__row')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="node-table"] .el-table__body tr.el-table__row').length >= 9)
  const first = await nodeRows.first().innerText()
  assert.match(first, /征拆/)
  const dates = await nodeRows.evaluateAll((rows) => rows.map((r) => (r.innerText.match(/\d{4}-\d{2}-\d{2}/) || [''])[0]))
  for (let i = 1; i < dates.length; i++) assert.ok(dates[i] >= dates[i - 1], `planned dates follow each other: ${dates}`)
  for (const d of dates) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay()
    assert.ok(wd >= 1 && wd <= 5 || d === '', `${d} is a weekday`)
  }
  await shot(page, 'project-nodes')

  // Edit the first node: the person and a completion date (today at the latest).
  await nodeRows.first().getByTestId('node-edit').click()
  await page.getByTestId('node-person').fill('张建国')
  await dateInput(page, 'node-actual').fill('2026-03-20')
  await page.keyboard.press('Enter')
  await page.getByTestId('node-save').click()
  await page.locator('.el-message--success').first().waitFor()
  await page.waitForFunction(() => document.querySelector('[data-testid="node-table"] .el-table__body tr.el-table__row')?.innerText.includes('张建国'))
  assert.match(await nodeRows.first().innerText(), /✓ 2026-03-20/)

  // Someone else changes the project while the form is open: saving says so and reloads.
  await page.locator('.el-tabs__item').filter({ hasText: '基本信息' }).click()
  await page.getByTestId('project-edit').click()
  const dialog = page.getByTestId('project-form')
  await dialog.waitFor()
  const other = await call('PATCH', `/projects/${id}`, { name: '节点测试项目（他人已改）', version: created.body.version })
  assert.equal(other.status, 200, JSON.stringify(other.body))
  await page.getByTestId('pf-name').fill('节点测试项目（我的修改）')
  await page.getByTestId('pf-save').click()
  const box = page.locator('.el-message-box').filter({ hasText: '已被他人修改' })
  await box.waitFor()
  await shot(page, 'project-conflict')
  await box.getByRole('button', { name: '重新加载' }).click()
  await page.getByTestId('project-name').filter({ hasText: '他人已改' }).waitFor()

  // The history lists the changes with a readable before/after.
  await page.locator('.el-tabs__item').filter({ hasText: '变更记录' }).click()
  const hist = page.getByTestId('project-history')
  await hist.getByTestId('json-diff').first().waitFor()
  const text = await hist.innerText()
  assert.match(text, /他人已改/)
  assert.match(text, /新增|修改/)
  await shot(page, 'project-history')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the import dialog marks bad cells and imports a clean file all or nothing', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/projects')
  await tableLoaded(page)
  const before = await pagerTotal(page)
  await mkdir(OUT, { recursive: true })

  // The import template is the export in the import layout; re-importing it changes nothing.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('project-template').click()])
  const templateFile = path.join(OUT, 'projects-template.xlsx')
  await download.saveAs(templateFile)
  const { rows: tplRows } = readXlsx(await readFile(templateFile))
  for (const h of ['项目编号', '项目名称', '项目级别', '总投资', '责任单位']) assert.ok(tplRows[0].includes(h), `template has ${h}`)
  assert.equal(tplRows.length, before + 1, 'the template holds every project')
  await page.getByTestId('project-import').click()
  const dialog = page.getByTestId('import-dialog')
  await dialog.waitFor()
  await dialog.locator('input[type=file]').setInputFiles(templateFile)
  await page.getByTestId('import-ok').waitFor()
  const summary = await page.getByTestId('import-preview').innerText()
  assert.match(summary, /新增 0 个，更新 0 个/, summary.slice(0, 200))
  await dialog.getByRole('button', { name: '重新选择文件' }).click()

  // A CSV with a bad amount and an unknown unit on its second data row.
  const head = '项目编号,项目名称,项目级别,项目类别,产业链,项目阶段,总投资,年度计划投资,占地面积(亩),建设地点,责任单位,联系领导,指挥部,业主单位,标签'
  const stamp = Date.now().toString(36).toUpperCase()
  const good = `E2E-I1-${stamp},导入测试项目一,区重点,产业项目,新材料,储备,5亿,1.2亿,40,荷塘区,${DEMO_UNIT},,,,集中开工`
  const bad = `E2E-I2-${stamp},导入测试项目二,区重点,产业项目,新材料,储备,五亿元整,,,荷塘区,不存在的单位,,,,`
  const badFile = path.join(OUT, 'import-bad.csv')
  await writeFile(badFile, `\ufeff${head}\r\n${good}\r\n${bad}\r\n`)
  await dialog.locator('input[type=file]').setInputFiles(badFile)
  await page.getByTestId('import-preview').waitFor()
  await page.getByTestId('import-has-errors').waitFor()
  const errs = await page.getByTestId('import-errors').innerText()
  assert.match(errs, /总投资/)
  assert.match(errs, /责任单位/)
  assert.match(errs, /\b3\b/, 'the error names row 3')
  assert.ok((await dialog.locator('td.imp-bad').count()) >= 1, 'the bad cells are marked')
  assert.ok(await page.getByTestId('import-confirm').isDisabled(), 'a file with errors cannot be imported')
  await shot(page, 'import-errors')

  // The clean file: preview, confirm, done; the list grows by one.
  const goodFile = path.join(OUT, 'import-good.csv')
  await writeFile(goodFile, `\ufeff${head}\r\n${good}\r\n`)
  await dialog.getByRole('button', { name: '重新选择文件' }).click()
  await dialog.locator('input[type=file]').setInputFiles(goodFile)
  await page.getByTestId('import-ok').waitFor()
  assert.match(await page.getByTestId('import-preview').innerText(), /新增 1/)
  await shot(page, 'import-preview')
  await page.getByTestId('import-confirm').click()
  await page.getByTestId('import-done').waitFor()
  assert.match(await page.getByTestId('import-done').innerText(), /新增 1/)
  await dialog.getByRole('button', { name: '关闭', exact: true }).click()
  await reloaded(page, pagerSays, before + 1)
  assert.equal(await pagerTotal(page), before + 1)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('admin keeps the node templates and adds a custom field that shows in the form and the filters', async () => {
  const page = await newPage(browser, server)
  await login(page, ADMIN.login, ADMIN.password)
  await page.goto('/projects/templates')
  const card = page.getByTestId('tpl-card').filter({ hasText: '产业项目' }).first()
  await card.waitFor()
  const text = await card.innerText()
  for (const step of ['征拆', '土地报批', '土地挂网/出让', '规划许可', '施工许可', '开工', '主体封顶', '竣工', '投产']) assert.ok(text.includes(step), `template has ${step}`)
  assert.match(text, /合计 \d+ 个工作日/)

  // A choice field: the key is checked inline first.
  await page.getByTestId('cf-add').click()
  const dialog = page.locator('.el-dialog').filter({ hasText: '字段键' })
  await dialog.waitFor()
  const key = `phase${Date.now().toString(36).slice(-4)}`
  await dialog.locator('input').first().fill('Bad Key')
  await dialog.locator('input').nth(1).click()
  await dialog.locator('.el-form-item__error').filter({ hasText: '小写字母' }).waitFor()
  await dialog.locator('input').first().fill(key)
  await dialog.locator('input').nth(1).fill('建设期次')
  await dialog.locator('.el-select').first().click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^\s*选项\s*$/ }).click()
  const opts = dialog.getByTestId('cf-options').locator('input').first()
  for (const o of ['一期', '二期']) {
    await opts.fill(o)
    await page.keyboard.press('Enter')
  }
  await dialog.getByRole('button', { name: '保存' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await page.locator('.el-table__row').filter({ hasText: key }).waitFor()
  assert.match(await page.locator('.el-table__row').filter({ hasText: key }).innerText(), /一期、二期/)
  await shot(page, 'project-templates')

  // The field is in the project form and among the list filters.
  await page.goto('/projects')
  await tableLoaded(page)
  await page.getByTestId('projects-more').click()
  await page.locator('.filter-form .el-form-item').filter({ hasText: '建设期次' }).waitFor()
  await page.getByTestId('project-add').click()
  const form = page.getByTestId('project-form')
  await form.waitFor()
  await form.locator('.el-form-item').filter({ hasText: '建设期次' }).waitFor()
  await page.keyboard.press('Escape')
  // Clean up so that other tests see the library as the demo made it.
  const call = await apiAs(server, ADMIN)
  assert.equal((await call('DELETE', `/project-fields/${key}`)).status, 204)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('an enterprise sees only its own projects and no battle map; the list works on a phone', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, 'huaju', 'ent12345')
  await page.goto('/projects')
  await tableLoaded(page)
  const texts = await rowTexts(page)
  assert.ok(texts.length >= 1, 'its project is listed')
  for (const t of texts) assert.match(t, /华巨/)
  assert.equal(await page.getByTestId('project-add').count(), 0, 'no 新建项目 for an enterprise')
  const wide = await page.evaluate(() => {
    const el = document.querySelector('[data-testid="data-table"] .el-table__body-wrapper .el-scrollbar__wrap')
    return el ? el.scrollWidth > el.clientWidth : false
  })
  assert.ok(wide, 'the table scrolls sideways on a phone')
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'the page does not overflow')
  await shot(page, 'phone-projects')
  await page.getByTestId('menu-toggle').click()
  await page.locator('.menu-drawer').waitFor()
  assert.equal(await menuEntry(page, '/battlemap').count(), 0, 'no battle map for an enterprise')
  assert.equal(await menuEntry(page, '/projects').count(), 1)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('on a 1440-px screen the project list fits: 总投资 and the year columns on screen, no sideways scrolling', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/projects')
  await tableLoaded(page)
  const fit = await page.evaluate(() => {
    const root = document.querySelector('[data-testid="data-table"]')
    const table = root.classList.contains('el-table') ? root : root.querySelector('.el-table')
    const box = table.getBoundingClientRect()
    const th = [...table.querySelectorAll('.el-table__header th')].find((x) => x.innerText.includes('总投资'))
    const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap') || table.querySelector('.el-table__body-wrapper')
    return { right: th.getBoundingClientRect().right, tableRight: box.right, scroll: wrap.scrollWidth, client: wrap.clientWidth, page: document.documentElement.scrollWidth }
  })
  assert.ok(fit.right <= fit.tableRight + 1, `总投资 ends at ${fit.right}, the table at ${fit.tableRight}`)
  assert.ok(fit.scroll <= fit.client + 1, `table ${fit.scroll} wide in ${fit.client}`)
  assert.ok(fit.page <= 1441, `page ${fit.page} wide`)
  await shot(page, 'projects-1440')
  await page.context().close()
})
