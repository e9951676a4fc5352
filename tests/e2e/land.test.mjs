// Land acquisition in a real browser: the office opens the ledger of 三一智慧钢铁城 from the
// menu, sees progress cards that match the API and filters by village and state; then a
// household of a new project is added through the phone form, valued, and refused signing
// with the server's message naming the item without an amount, and signed once it has one.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, PHONE, startAll, stopAll, newPage, login, shot, navigate, tableLoaded } from './lib.mjs'

// yuan string '1234567.80' → '1,234,567.80'; in 万元 with two decimals (half away from zero)
const grouped = (s) => s.replace(/^(\d+)/, (m) => m.replace(/\B(?=(\d{3})+(?!\d))/g, ','))
const wan = (yuan) => {
  const q = (BigInt(yuan.replace('.', '')) * 2n + 10000n) / 20000n // hundredths of 万元
  return grouped(`${q / 100n}.${String(q % 100n).padStart(2, '0')}`)
}

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

test('ledger: progress cards that match the API, filters by village and state, masked ID numbers', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const projects = (await (await page.request.get('/api/v1/projects?per_page=500')).json()).items
  const sany = projects.find((p) => p.code === 'HT-2020-001')
  const g = await (await page.request.get(`/api/v1/projects/${sany.id}/land-progress`)).json()
  await navigate(page, '/land-group', '/land')
  await tableLoaded(page)
  await page.getByTestId('land-project').click()
  await page.locator('.el-select-dropdown__item', { hasText: sany.name }).first().click()
  await page.getByTestId('land-card-handed_over').filter({ hasText: `${g.handed_over} / ${g.households}` }).waitFor()
  assert.match(await page.getByTestId('land-card-rate').textContent(), new RegExp(`${g.acquired_rate}%`))
  assert.match(await page.getByTestId('land-card-signed').textContent(), new RegExp(`${g.signed} / ${g.households}`))
  await page.getByTestId('land-campaign').waitFor()
  await page.getByTestId('land-state').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '已签约' }).first().click()
  await page.getByRole('button', { name: /查询|搜索/ }).first().click()
  await tableLoaded(page)
  const total = await page.locator('.el-pagination__total').first().textContent()
  assert.match(total, /5/)
  const text = await page.getByTestId('data-table').first().textContent()
  assert.match(text, /430211\*{8}\d{3}[\dX]/)
  await shot(page, 'land-ledger')
})

test('a household from the phone form; signing refused with the missing item, then signed', async () => {
  const page = await newPage(browser, server, { viewport: PHONE, mobile: true })
  await login(page, OFFICE.login, OFFICE.password)
  const units = (await (await page.request.get('/api/v1/units?per_page=500')).json()).items
  const unit = units.find((u) => u.name === '三一指挥部')
  await page.goto("/land/field")
  await page.getByTestId('field-form').waitFor()
  const projects = (await (await page.request.get('/api/v1/projects?per_page=500')).json()).items
  const p = projects.find((x) => x.unit_id === unit.id)
  await page.getByTestId('field-project').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: p.name }).first().click()
  await page.getByTestId('field-village').fill('浏览器村')
  await page.getByTestId('field-head').fill('浏览器户')
  await page.getByTestId('field-id').fill('430203198001011234')
  await page.getByTestId('field-collective').fill('1.25')
  await page.getByTestId('field-save').click()
  // the check digit is wrong: the error shows under the field
  await page.locator('.el-form-item__error', { hasText: '身份证号码无效' }).waitFor()
  await page.getByTestId('field-id').fill('430203198001011235')
  await page.getByTestId('field-save').click()
  await page.waitForURL((u) => /^\/land\/households\/\d+$/.test(u.pathname))
  await page.getByTestId('household-id-number').filter({ hasText: '430203********1235' }).waitFor()
  await page.getByTestId('item-amount').fill('')
  await page.getByTestId('item-add').click()
  await page.getByTestId('household-items').locator('.el-table__row').first().waitFor()
  await page.getByTestId('move-valued').click()
  await page.getByTestId('household-state').filter({ hasText: '已评估' }).waitFor()
  await page.getByTestId('move-signed').click()
  await page.getByTestId('household-refusal').filter({ hasText: '尚未录入金额' }).waitFor()
  await shot(page, 'land-household-refused')
  await page.getByTestId('household-items').locator('input').first().fill('60000')
  await page.getByTestId('household-items').locator('input').first().press('Tab')
  await page.getByTestId('household-items').filter({ hasText: '60,000.00' }).waitFor() // money with thousands separators
  await page.getByTestId('move-signed').click()
  await page.getByTestId('household-state').filter({ hasText: '已签约' }).waitFor()
  await shot(page, 'land-household-signed')
})

test('征迁一张图: the parcels of 三一 on a map coloured by state with a legend; a click opens the household', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const projects = (await (await page.request.get('/api/v1/projects?per_page=500')).json()).items
  const sany = projects.find((p) => p.code === 'HT-2020-001')
  const fc = await (await page.request.get(`/api/v1/projects/${sany.id}/parcels`)).json()
  // from the menu, then the project and one village by the query
  await navigate(page, '/land-group', '/land/map')
  await page.getByTestId('land-map-legend').waitFor()
  await page.goto(`/land/map?project=${sany.id}&village=${encodeURIComponent('石塘村')}`)
  const chart = page.getByTestId('land-map-chart')
  await chart.locator('canvas').first().waitFor()
  const inVillage = fc.features.filter((f) => f.properties.village === '石塘村')
  const count = (s) => inVillage.filter((f) => f.properties.state === s).length
  for (const [s, zh] of [['surveyed', '已调查'], ['valued', '已评估'], ['signed', '已签约'], ['demolished', '已倒房'], ['handed_over', '已交地']])
    assert.equal((await page.getByTestId(`land-map-legend-${s}`).textContent()).trim(), `${zh} ${count(s)}`)
  const flagged = inVillage.filter((f) => f.properties.area_mismatch).length
  assert.ok(flagged > 0)
  assert.match(await page.getByTestId('land-map-legend-mismatch').textContent(), new RegExp(`5%\\s*${flagged}$`))
  await shot(page, 'land-map')
  // a click on a parcel opens its household; the 10 × 9 grid has narrow gaps, so try a few points near the middle
  const box = await chart.boundingBox()
  const ids = new Set(inVillage.map((f) => String(f.id)))
  let opened = false
  for (const [dx, dy] of [[0.06, 0], [0.06, 0.04], [-0.06, 0], [0.12, 0.06], [-0.12, -0.06], [0, 0.1]]) {
    await page.mouse.click(box.x + box.width * (0.5 + dx), box.y + 40 + (box.height - 50) * (0.5 + dy))
    opened = await page.waitForURL((u) => /^\/land\/households\/\d+$/.test(u.pathname), { timeout: 5000 }).then(() => true, () => false) // a miss costs the wait; a hit on a loaded machine may take seconds
    if (opened) break
  }
  assert.ok(opened, 'a click on the map opened a household')
  const id = new URL(page.url()).pathname.split('/').pop()
  assert.ok(ids.has(id), `household ${id} is a parcel of 石塘村`)
  await page.getByText('石塘村').first().waitFor()
  assert.deepEqual(page.problems, [])
})

test('progress cards show money with thousands separators; the campaign chart has a money axis of paid per day and in total', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const projects = (await (await page.request.get('/api/v1/projects?per_page=500')).json()).items
  const sany = projects.find((p) => p.code === 'HT-2020-001')
  const g = await (await page.request.get(`/api/v1/projects/${sany.id}/land-progress`)).json()
  const c = await (await page.request.get(`/api/v1/projects/${sany.id}/land-campaign`)).json()
  await page.goto(`/land?project=${sany.id}`)
  const paid = page.getByTestId('land-card-paid')
  await paid.filter({ hasText: grouped(g.paid) }).waitFor()
  assert.match(g.paid, /^\d{7,}\.\d{2}$/, 'the demo has millions paid')
  assert.equal((await paid.locator('.value').textContent()).trim(), `${grouped(g.paid)} / ${grouped(g.due)} 元`)
  assert.equal((await page.getByTestId('land-card-acquired').locator('.value').textContent()).trim(),
    `${grouped(g.acquired_mu)} / ${grouped(g.planned_mu)} 亩`)
  // the tooltip near the campaign's last day: households and money (万元) side by side, as the API counts them
  const chart = page.getByTestId('land-campaign')
  await chart.locator('canvas').first().waitFor({ timeout: 30000 }) // the campaign is read after the cards
  const box = await chart.boundingBox()
  await page.mouse.move(box.x + box.width - 80, box.y + box.height / 2)
  const tip = page.locator('div', { hasText: /^\d{4}-\d{2}-\d{2}/ }).filter({ hasText: '累计支付(万元)' }).last()
  await tip.waitFor()
  const text = await tip.textContent()
  const day = c.days.find((d) => text.startsWith(d.date))
  assert.ok(day, `the tooltip's day is a day of the campaign: ${text}`)
  assert.ok(day.date >= c.days.at(-30).date, 'near the end of the campaign')
  assert.match(text, new RegExp(`累计支付\\(万元\\)：${wan(day.paid_total)}`))
  assert.match(text, new RegExp(`当日支付\\(万元\\)：${wan(day.paid)}`))
  assert.match(text, new RegExp(`已交地：${day.handed_over_total}`))
  assert.ok(Number(day.paid_total) >= 1e7, 'the total paid runs into the tens of millions: separators show')
  await shot(page, 'land-campaign-money')
  assert.deepEqual(page.problems, [])
})

test('disclosure: the office publishes a village from the UI; anyone reads it without login at its stable URL and prints its PDF; withdrawn, it is gone', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const projects = (await (await page.request.get('/api/v1/projects?per_page=500')).json()).items
  const sany = projects.find((p) => p.code === 'HT-2020-001')
  const g = await (await page.request.get(`/api/v1/projects/${sany.id}/land-progress`)).json()
  const village = '龙头铺村'
  const v = g.villages.find((x) => x.village === village)
  assert.equal(v.published, false, 'the demo has not published 龙头铺村')
  await navigate(page, '/land-group', '/land/disclosure')
  await page.getByTestId('disclosure-project').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: sany.name }).first().click()
  await page.getByTestId(`disclosure-state-${village}`).filter({ hasText: '未公示' }).waitFor()
  await page.getByTestId(`disclosure-publish-${village}`).click()
  await page.getByTestId(`disclosure-state-${village}`).filter({ hasText: '已公示' }).waitFor()
  const href = await page.getByTestId(`disclosure-open-${village}`).getAttribute('href')
  assert.equal(href, `/disclosure/${sany.id}?village=${encodeURIComponent(village)}`)
  const pdfHref = await page.getByTestId(`disclosure-pdf-${village}`).getAttribute('href')
  await shot(page, 'land-disclosure-office')

  // the public, not logged in, at the stable URL
  const anon = await newPage(browser, server)
  await anon.goto(href)
  const table = anon.getByTestId('disclosure-table')
  await table.waitFor()
  assert.equal(await table.locator('tbody tr').count(), v.households)
  const pub = await (await anon.request.get(`/api/v1/projects/${sany.id}/disclosure?village=${encodeURIComponent(village)}`)).json()
  assert.equal((await anon.getByTestId('disclosure-total').textContent()).trim(), grouped(pub.total))
  const all = await anon.getByTestId('public-disclosure').textContent()
  assert.doesNotMatch(all, /\d{6}\*{4,}|\d{17}[\dX]|1[3-9]\d\*{4}\d{4}|1[3-9]\d{9}/, 'no ID number or phone, masked or not')
  assert.equal(await anon.getByTestId('disclosure-pdf').getAttribute('href'), pdfHref)
  const pdf = await anon.request.get(pdfHref)
  assert.equal(pdf.status(), 200)
  assert.match(pdf.headers()['content-type'], /application\/pdf/)
  await shot(anon, 'land-disclosure-public')
  // the project's page lists the published villages
  await anon.goto(`/disclosure/${sany.id}`)
  await anon.getByTestId('disclosure-village-list').getByText(village).click()
  await anon.waitForURL((u) => u.searchParams.get('village') === village)
  await anon.getByTestId('disclosure-table').waitFor()

  // withdrawn: the public page says it is not published
  await page.getByTestId(`disclosure-withdraw-${village}`).click()
  await page.locator('.el-popconfirm:visible').getByRole('button', { name: /确定|Yes|OK/ }).click()
  await page.getByTestId(`disclosure-state-${village}`).filter({ hasText: '未公示' }).waitFor()
  await anon.goto(href)
  await anon.getByTestId('disclosure-missing').waitFor()
  assert.deepEqual(page.problems, [])
  assert.deepEqual(anon.problems, [])
})

test('a payment carries a voucher uploaded from the household page; a file that is neither image nor PDF is refused', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const projects = (await (await page.request.get('/api/v1/projects?per_page=500')).json()).items
  const sany = projects.find((p) => p.code === 'HT-2020-001')
  const list = await (await page.request.get(`/api/v1/households?project=${sany.id}&state=handed_over&per_page=1`)).json()
  const hh = list.items[0]
  const before = await (await page.request.get(`/api/v1/households/${hh.id}`)).json()
  const pay = before.payments.find((p) => !p.voucher_id)
  assert.ok(pay, 'a payment without a voucher')
  await page.goto(`/land/households/${hh.id}`)
  await page.getByTestId('household-payments').waitFor()
  // wrong type: refused with the server's message, nothing attached
  await page.getByTestId(`voucher-file-${pay.id}`).setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('not a voucher') })
  await page.locator('.el-message--error', { hasText: '只接受图片、PDF' }).waitFor()
  assert.equal(await page.getByTestId(`voucher-${pay.id}`).count(), 0)
  // a PDF: the payment shows its voucher, which opens
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
  await page.getByTestId(`voucher-file-${pay.id}`).setInputFiles({ name: 'voucher.pdf', mimeType: 'application/pdf', buffer: pdf })
  const link = page.getByTestId(`voucher-${pay.id}`)
  await link.waitFor()
  const after = await (await page.request.get(`/api/v1/households/${hh.id}`)).json()
  const stored = after.payments.find((p) => p.id === pay.id)
  assert.ok(stored.voucher_id)
  assert.equal(await link.getAttribute('href'), `/api/v1/attachments/${stored.voucher_id}`)
  const file = await page.request.get(`/api/v1/attachments/${stored.voucher_id}`)
  assert.equal(file.status(), 200)
  assert.deepEqual(Buffer.from(await file.body()), pdf)
  await shot(page, 'land-household-voucher')
  assert.deepEqual(page.problems, [])
})

test('the battle map: a land-acquisition node\'s card shows the ledger — households handed over, 亩 acquired against the plan', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  const projects = (await (await page.request.get('/api/v1/projects?per_page=500')).json()).items
  const lukou = projects.find((p) => p.code === 'HT-2021-005') // the 渌口-style project: 118 of 120 households handed over
  const nodes = (await (await page.request.get(`/api/v1/projects/${lukou.id}/nodes`)).json()).items
  const i = nodes.findIndex((n) => n.kind === 'land_acquisition')
  assert.ok(i >= 0, 'the project has a land-acquisition node')
  assert.deepEqual(nodes[i].land, { households: 120, handed_over: 118, acquired_mu: '4191.26', planned_mu: '4291.26', acquired_rate: '97.67', done: false })
  await page.goto('/battlemap')
  await page.getByTestId('gantt').waitFor()
  await page.locator(`[data-node="${lukou.id}:${i}"].b-plan`).hover()
  const card = page.getByTestId('g-tip-land')
  await card.waitFor()
  assert.equal((await card.innerText()).trim(), '征拆台账：交地 118 / 120 户，已征 4,191.26 / 4,291.26 亩')
  await shot(page, 'battlemap-land-node')
  assert.deepEqual(page.problems, [])
})
