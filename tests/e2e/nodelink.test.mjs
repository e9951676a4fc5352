// A problem raised from a node of the project file (一项目一档) is linked to that node: the API
// stores node_id, the file's problem list names the node, the node's row in the plan lists its
// open problems, and the problem's page links back to the node. Screenshot: nodelink-nodes.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFFICE, TODAY, startAll, stopAll, newPage, login, shot } from './lib.mjs'

let server
let browser
before(async () => ({ server, browser } = await startAll()))
after(() => stopAll({ server, browser }))

async function apiGet(page, path) {
  const r = await page.request.get(`/api/v1${path}`)
  assert.equal(r.status(), 200, path)
  return r.json()
}

test('a problem raised from a node is linked to it: shown in the file’s problem list, on the node’s row and on the problem page', async () => {
  const page = await newPage(browser, server)
  await login(page, OFFICE.login, OFFICE.password)
  // a project with nodes, none of which has a problem yet
  const projects = (await apiGet(page, '/projects?per_page=50&sort=code')).items
  let project = null
  let nodes = []
  for (const p of projects) {
    const r = await apiGet(page, `/projects/${p.id}/nodes`)
    nodes = (Array.isArray(r) ? r : r.items).slice().sort((a, b) => a.seq - b.seq || a.id - b.id)
    if (nodes.length >= 2) { project = p; break }
  }
  assert.ok(project, 'a demo project with nodes')
  await page.goto(`/projects/${project.id}?tab=nodes`)
  const rows = page.locator('#pane-nodes .el-table__body tr.el-table__row')
  await rows.first().waitFor()
  assert.equal(await page.locator('#pane-nodes [data-testid="node-problems"]:visible').count(), 0, 'no node has a problem raised from it yet')
  // the second node's row (the first in the plan may be done long ago)
  const node = nodes[1]
  const row = rows.filter({ hasText: node.name }).first()
  await row.locator('[data-testid="node-raise"]').click()
  await page.getByTestId('raise-form').waitFor()
  assert.equal(await page.getByTestId('raise-node').innerText(), node.name, 'the form names the node it is raised from')
  const title = page.locator('[data-testid="raise-title"] input, input[data-testid="raise-title"]').first()
  const text = `节点问题 ${TODAY}`
  await title.fill((await title.inputValue()) + text)
  await page.getByTestId('raise-submit').click()
  await page.locator('#pane-problems').waitFor({ state: 'visible' })
  await page.getByTestId('file-problems').getByText(text).waitFor()

  // the API has the link
  const mine = (await apiGet(page, `/problems?node=${node.id}&per_page=50`)).items.find((p) => p.title.endsWith(text))
  assert.ok(mine, 'listed under the node')
  assert.equal(mine.node_id, node.id)
  assert.equal(mine.node_name, node.name)
  // the file's problem list names the node
  const fileRow = page.getByTestId('file-problems').locator('tr').filter({ hasText: text })
  assert.equal(await fileRow.getByTestId('file-problem-node').innerText(), node.name)

  // the node's row lists its open problem, which opens the problem
  await page.locator('#tab-nodes').click()
  const nodeRow = page.locator('#pane-nodes .el-table__body tr.el-table__row').filter({ hasText: node.name }).first()
  const open = nodeRow.getByTestId('node-problems')
  await open.waitFor()
  assert.ok((await open.innerText()).includes(mine.title))
  // only that node's row
  assert.equal(await page.locator('#pane-nodes [data-testid="node-problems"]:visible').count(), 1)
  await shot(page, 'nodelink-nodes')
  await open.getByText(mine.title).click()
  await page.waitForURL(new RegExp(`/problems/${mine.id}$`))
  const link = page.getByTestId('problem-node')
  await link.waitFor()
  assert.equal(await link.innerText(), node.name)
  await link.click()
  await page.waitForURL((u) => u.pathname === `/projects/${project.id}` && u.searchParams.get('tab') === 'nodes')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
