// The main lists at 1440 px (issue 20 #8 and "Missing: lists"): nothing falls off the screen,
// the project list's 总投资 and the problems' 督办 are on screen, and the 操作 column is
// fixed at the right edge of the table.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ADMIN, OFFICE, UNIT_STAFF, TODAY, DEMO_UNIT, startAll, stopAll, newPage, login, shot, navigate, tableLoaded, apiAs } from './lib.mjs'

let server
let browser

before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

/** How the first data table on the page sits in a 1440-px window; `header` is a column title to find. */
async function measure(page, header) {
  return page.evaluate((header) => {
    const root = document.querySelector('[data-testid="data-table"]') || document.querySelector('.el-table')
    const table = root.classList.contains('el-table') ? root : root.querySelector('.el-table')
    const box = table.getBoundingClientRect()
    const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap') || table.querySelector('.el-table__body-wrapper')
    const ths = [...table.querySelectorAll('.el-table__header th')]
    const th = header ? ths.find((x) => x.innerText.trim().startsWith(header)) : null
    const ops = ths.find((x) => x.innerText.trim() === '操作')
    return {
      tableRight: box.right,
      scroll: wrap.scrollWidth,
      client: wrap.clientWidth,
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      header: th ? { left: th.getBoundingClientRect().left, right: th.getBoundingClientRect().right } : null,
      ops: ops ? { right: ops.getBoundingClientRect().right, fixed: ops.classList.contains('el-table-fixed-column--right') } : null,
    }
  }, header)
}

function fits(m, what) {
  assert.ok(m.page <= m.viewport + 1, `${what}: page ${m.page} wide in ${m.viewport}`)
  assert.ok(m.tableRight <= m.viewport + 1, `${what}: table ends at ${m.tableRight}`)
  assert.ok(m.scroll <= m.client + 1, `${what}: table ${m.scroll} wide in ${m.client}, it scrolls sideways`)
}

test('at 1440 px the project list shows 总投资 and a fixed 操作 column on screen, without sideways scrolling', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/projects')
  await tableLoaded(page)
  const m = await measure(page, '总投资')
  fits(m, 'projects')
  assert.ok(m.header, 'a 总投资 column')
  assert.ok(m.header.right <= m.tableRight + 1, `总投资 ends at ${m.header.right}, the table at ${m.tableRight}`)
  assert.ok(m.ops?.fixed, '操作 is a fixed right column')
  assert.ok(m.tableRight - m.ops.right < 2, '操作 is the last column')
  // 查看档案 opens the project's page
  await page.locator('[data-testid="row-open"]:visible').first().click()
  await page.waitForURL(/\/projects\/\d+$/)
  await shot(page, 'lists-projects-1440')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('at 1440 px the problem list shows 督办 and a fixed 操作 column on screen, without sideways scrolling', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/problems')
  await tableLoaded(page)
  const m = await measure(page, '督办')
  fits(m, 'problems')
  assert.ok(m.header, 'a 督办 column')
  assert.ok(m.header.right <= m.tableRight + 1, `督办 ends at ${m.header.right}, the table at ${m.tableRight}`)
  assert.ok(m.ops?.fixed, '操作 is a fixed right column')
  await page.locator('[data-testid="row-open"]:visible').first().click()
  await page.waitForURL(/\/problems\/\d+$/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

for (const [path, user, fixedOps] of [
  ['/assessment/tasks', OFFICE, true],
  ['/invest/leads', OFFICE, true],
  ['/enterprises', OFFICE, false],
  ['/enterprise-requests', OFFICE, false],
  ['/qa', OFFICE, true],
  ['/system/users', ADMIN, false],
]) {
  test(`at 1440 px the list at ${path} fits the screen without sideways scrolling${fixedOps ? ', its 操作 column fixed at the right edge' : ''}`, async () => {
    const page = await newPage(browser, server)
    await login(page, user.login, user.password)
    await page.goto(path)
    await page.locator('.el-table').first().waitFor()
    await page.waitForFunction(() => !document.querySelector('.el-table .el-loading-mask'))
    const m = await measure(page, null)
    fits(m, path)
    if (fixedOps) {
      assert.ok(m.ops?.fixed, `${path}: 操作 is a fixed right column`)
      assert.ok(m.tableRight - m.ops.right < 2, `${path}: 操作 is the last column`)
    }
    assert.deepEqual(page.problems, [])
    await page.context().close()
  })
}

test('系统管理 → 字典管理: the fixed dictionaries are read-only; a chain the admin adds is offered by the project form until disabled', async () => {
  const page = await newPage(browser, server)
  await login(page, ADMIN.login, ADMIN.password)
  await navigate(page, '/system', '/system/dicts')
  await page.getByTestId('dict-project_level').click()
  await page.getByTestId('dict-readonly').waitFor()
  assert.match(await page.getByTestId('dict-items').innerText(), /district[\s\S]*区重点[\s\S]*District key/)
  assert.equal(await page.getByTestId('dict-add').count(), 0)

  await page.getByTestId('dict-project_chain').click()
  await page.getByTestId('dict-add').click()
  await page.getByTestId('dict-save').click()
  await page.getByTestId('dict-form').locator('.el-form-item__error').first().waitFor()
  const chain = '字典测试链'
  await page.getByTestId('dict-code').fill(chain)
  await page.getByTestId('dict-label-zh').fill(chain)
  await page.getByTestId('dict-label-en').fill('Dictionary test chain')
  await page.getByTestId('dict-save').click()
  await page.getByTestId('dict-form').waitFor({ state: 'hidden' })
  await page.getByTestId('dict-items').getByText('Dictionary test chain').waitFor()
  await shot(page, 'dicts-admin')

  const chainOptions = async () => {
    await page.goto('/projects')
    await tableLoaded(page)
    await page.getByTestId('project-add').click()
    await page.getByTestId('project-form').waitFor()
    await page.getByTestId('pf-chain').click()
    const list = page.locator('.el-select-dropdown:visible .el-select-dropdown__item')
    await list.first().waitFor()
    const texts = await list.allInnerTexts()
    await page.keyboard.press('Escape')
    return texts.map((s) => s.trim())
  }
  let opts = await chainOptions()
  assert.ok(opts.includes(chain), `the form offers ${chain}: ${opts}`)
  assert.ok(opts.includes('新材料'))

  await page.goto('/system/dicts')
  await page.getByTestId('dict-project_chain').click()
  const toggled = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/dicts/project_chain/'))
  await page.getByTestId('dict-enabled-' + chain).click()
  assert.equal((await toggled).status(), 200)
  // a fresh page load reads the dictionaries again
  await page.reload()
  opts = await chainOptions()
  assert.ok(!opts.includes(chain), `a disabled chain is not offered: ${opts}`)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})


async function unitIdOf(call, name) {
  const r = await call('GET', '/units?per_page=500')
  return r.body.items.find((u) => u.name === name).id
}

test('tasks: the office selects tasks and 批量确认 confirms those waiting, reporting each one that could not be confirmed', async () => {
  const call = await apiAs(server, OFFICE)
  const unit = await unitIdOf(call, DEMO_UNIT)
  const month = TODAY.slice(0, 7)
  const tag = `批量确认${process.pid}`
  const made = []
  const unitCall = await apiAs(server, UNIT_STAFF)
  for (const [i, actual] of [['甲', '12'], ['乙', '8'], ['丙', null]]) {
    let r = await call('POST', '/tasks', { unit_id: unit, month, kind: 'land', title: `${tag}${i}`, target: '10' })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    // the town reports its actual: the task waits for the office's confirmation
    if (actual) r = await unitCall('PATCH', `/tasks/${r.body.id}`, { actual, version: r.body.version })
    assert.ok(r.status < 300, JSON.stringify(r.body))
    made.push(r.body)
  }
  assert.deepEqual(made.map((t) => t.state), ['reported', 'reported', 'not_reported'])

  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/assessment/tasks')
  await tableLoaded(page)
  await page.locator('[data-testid="task-q"] input, input[data-testid="task-q"]').first().fill(tag)
  await page.locator('[data-testid="task-q"] input, input[data-testid="task-q"]').first().press('Enter')
  await page.waitForFunction((tag) => {
    const rows = [...document.querySelectorAll('[data-testid="data-table"] .el-table__body tr.el-table__row')]
    return rows.length === 3 && rows.every((r) => r.innerText.includes(tag))
  }, tag)
  const button = page.getByTestId('task-batch-confirm')
  assert.ok(await button.isDisabled(), 'nothing selected: the batch button is off')
  await tableLoaded(page)
  for (const box of await page.locator('[data-testid="data-table"] .el-table__body .el-checkbox__inner').all()) await box.click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="data-table"] .el-table__body .el-checkbox.is-checked').length === 3)
  await page.waitForFunction(() => document.querySelector('[data-testid="task-batch-confirm"]').innerText.includes('2'))
  // meanwhile someone else confirms 甲: the page's copy of it is now stale
  const r = await call('POST', `/tasks/${made[0].id}/confirm`, { version: made[0].version })
  assert.equal(r.status, 200)
  await button.click()
  await page.locator('.el-message-box .el-button--primary').click()
  await page.getByTestId('batch-results').waitFor()
  assert.equal((await page.getByTestId('batch-summary').innerText()).trim(), '成功 1 项，未成功 1 项')
  assert.match(await page.getByTestId('batch-failed').innerText(), new RegExp(`${tag}甲`))
  await shot(page, 'lists-tasks-batch')
  await page.getByTestId('batch-close').click()
  const after = await call('GET', `/tasks/${made[1].id}`)
  assert.equal(after.body.state, 'confirmed')
  const untouched = await call('GET', `/tasks/${made[2].id}`)
  assert.equal(untouched.body.state, 'not_reported')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('problems: the office selects problems and 批量交办 gives them to one lead unit; a closed one is not reassigned and is reported so', async () => {
  const call = await apiAs(server, OFFICE)
  const from = await unitIdOf(call, DEMO_UNIT)
  const to = '桂花街道'
  const projects = await call('GET', '/projects?per_page=1')
  const tag = `批量交办${process.pid}`
  const ids = []
  for (const i of ['甲', '乙', '丙']) {
    const r = await call('POST', '/problems', { project_id: projects.body.items[0].id, category: 'utilities', title: `${tag}${i}`, description: '测试', unit_id: from, deadline_days: 5 })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    ids.push(r.body.id)
  }
  // 丙 goes round the loop to 已办结: the unit accepts and replies, the office closes it
  const unitCall = await apiAs(server, UNIT_STAFF)
  for (const [who, ev] of [[unitCall, { type: 'accept' }], [unitCall, { type: 'reply', text: '已完成增容' }], [call, { type: 'close', text: '确认办结' }]]) {
    const r = await who('POST', `/problems/${ids[2]}/events`, ev)
    assert.ok(r.status < 300, `${ev.type}: ${JSON.stringify(r.body)}`)
  }

  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  await page.goto('/problems')
  await tableLoaded(page)
  const q = page.locator('[data-testid="problem-search"] input, input[data-testid="problem-search"]').first()
  await q.fill(tag)
  await q.press('Enter')
  await page.waitForFunction((tag) => {
    const rows = [...document.querySelectorAll('[data-testid="data-table"] .el-table__body tr.el-table__row')]
    return rows.length === 3 && rows.every((r) => r.innerText.includes(tag))
  }, tag)
  await tableLoaded(page)
  for (const box of await page.locator('[data-testid="data-table"] .el-table__body .el-checkbox__inner').all()) await box.click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="data-table"] .el-table__body .el-checkbox.is-checked').length === 3)
  await shot(page, 'lists-problems-selected')
  await page.getByTestId('problems-batch-assign').click()
  const dialog = page.getByTestId('batch-assign-dialog')
  await dialog.waitFor()
  await dialog.getByTestId('batch-assign-unit').click()
  await page.keyboard.type(to.slice(0, 2))
  await page.locator('.unit-select-popper .el-tree-node__content:visible').filter({ hasText: new RegExp(`^\\s*${to}\\s*$`) }).first().click()
  await page.getByTestId('batch-assign-save').click()
  await page.getByTestId('batch-results').waitFor()
  assert.equal((await page.getByTestId('batch-summary').innerText()).trim(), '成功 2 项，未成功 1 项')
  assert.match(await page.getByTestId('batch-failed').innerText(), new RegExp(`${tag}丙.*已办结`))
  await page.getByTestId('batch-close').click()
  for (const [i, id] of ids.entries()) {
    const p = await call('GET', `/problems/${id}`)
    assert.equal(p.body.unit_name, i < 2 ? to : DEMO_UNIT, `problem ${i}`)
  }
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
