// projectfile.test.mjs — the API the project's file (一项目一档) reads that no other module
// offered: GET /api/v1/dispatch/decisions?project — the dispatch decisions about one project
// (through the problem it created, the node it moved, or else its agenda item), newest
// meeting first, scoped like the project itself and, for a unit, only from held meetings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fields, TODAY, addDays } from './lib.mjs';

let server, office, jinshan, enterprise, bank;
let jinshanUnit, project, other, node;
before(async () => {
  server = await startServer();
  [office, jinshan, enterprise, bank] = await Promise.all(['office', 'jinshan', 'enterprise', 'bank'].map((w) => server.login(w)));
  jinshanUnit = (await jinshan.get('/api/v1/me')).body.user.unit_id;
  const mine = (await jinshan.get('/api/v1/projects?per_page=500')).body.items;
  const all = (await office.get('/api/v1/projects?per_page=500')).body.items;
  const mineIds = new Set(mine.map((p) => p.id));
  project = mine.find((p) => p.unit_id === jinshanUnit);
  other = all.find((p) => !mineIds.has(p.id));
  assert.ok(project && other);
  const nodes = (await office.get(`/api/v1/projects/${project.id}/nodes`)).body;
  node = (Array.isArray(nodes) ? nodes : nodes.items).find((n) => !n.actual_date);
  assert.ok(node, 'the project has an open node');
});
after(async () => { await server?.stop(); });

const ids = (r) => r.body.items.map((d) => d.id);

test('decisions by project: a problem and a node decision about the project are listed with their meeting and status', async () => {
  const m = await office.post('/api/v1/dispatch/meetings', { kind: 'special', title: '一项目一档专题会', date: TODAY });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const item = await office.post(`/api/v1/dispatch/meetings/${m.body.id}/agenda`, { title: '专题：项目档案', project_id: project.id });
  assert.equal(item.status, 201);
  const itemId = item.body.agenda.find((i) => i.title === '专题：项目档案').id;
  let r = await office.post(`/api/v1/dispatch/meetings/${m.body.id}/decisions`, { item_id: itemId, kind: 'problem', text: '五日内完成供电接入', unit_id: jinshanUnit });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const newDate = addDays(TODAY, 20);
  r = await office.post(`/api/v1/dispatch/meetings/${m.body.id}/decisions`, { kind: 'node', text: '节点顺延', node_id: node.id, new_date: newDate });
  assert.equal(r.status, 201, JSON.stringify(r.body));

  r = await office.get(`/api/v1/dispatch/decisions?project=${project.id}`);
  assert.equal(r.status, 200);
  const ours = r.body.items.filter((d) => d.meeting_id === m.body.id);
  assert.equal(ours.length, 2, 'both decisions about the project');
  const prob = ours.find((d) => d.kind === 'problem');
  const mv = ours.find((d) => d.kind === 'node');
  assert.equal(prob.meeting_title, '一项目一档专题会');
  assert.equal(prob.meeting_date, TODAY);
  assert.equal(prob.item_title, '专题：项目档案');
  assert.equal(prob.text, '五日内完成供电接入');
  assert.ok(prob.problem_id, 'linked to the problem it created');
  assert.equal(prob.status, 'in_progress');
  assert.equal(mv.node_id, node.id);
  assert.equal(mv.node_name, node.name);
  assert.equal(mv.new_date, newDate);
  assert.equal(r.body.total, r.body.items.length);
  // newest meeting first
  const dates = r.body.items.map((d) => d.meeting_date);
  assert.deepEqual(dates, [...dates].sort().reverse());
  // another project's list does not carry them
  r = await office.get(`/api/v1/dispatch/decisions?project=${other.id}`);
  assert.equal(r.status, 200);
  assert.ok(!ids(r).some((id) => ours.some((d) => d.id === id)));
});

test('decisions by project: a unit in scope sees the decisions of the held meeting, a unit out of scope is refused as for the project itself', async () => {
  const m = await office.post('/api/v1/dispatch/meetings', { kind: 'special', title: '范围专题会', date: TODAY });
  const d = await office.post(`/api/v1/dispatch/meetings/${m.body.id}/decisions`, { kind: 'problem', project_id: project.id, text: '限期协调', unit_id: jinshanUnit });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  const decId = d.body.id;
  // recording a decision holds the meeting, which circulates it to the units concerned
  assert.equal((await office.get(`/api/v1/dispatch/meetings/${m.body.id}`)).body.state, 'held');
  const r = await jinshan.get(`/api/v1/dispatch/decisions?project=${project.id}`);
  assert.equal(r.status, 200);
  assert.ok(ids(r).includes(decId), 'the unit responsible reads it in the project file');
  assert.ok(r.body.items.every((x) => x.meeting_state === 'held'));
  // out of scope: the same answer as reading the project
  assert.equal((await jinshan.get(`/api/v1/projects/${other.id}`)).status, 403);
  assert.equal((await jinshan.get(`/api/v1/dispatch/decisions?project=${other.id}`)).status, 403);
  assert.equal((await office.get('/api/v1/dispatch/decisions?project=99999999')).status, 404);
});

test('decisions by project: the project is required, and readers outside dispatch are refused', async () => {
  let r = await office.get('/api/v1/dispatch/decisions');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['project']);
  r = await office.get('/api/v1/dispatch/decisions?project=abc');
  assert.equal(r.status, 422);
  assert.equal((await enterprise.get(`/api/v1/dispatch/decisions?project=${project.id}`)).status, 403);
  assert.equal((await bank.get(`/api/v1/dispatch/decisions?project=${project.id}`)).status, 403);
});
