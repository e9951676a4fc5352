// tasks.test.mjs — monthly tasks, rankings, the accountability list and its
// publication, the public board and the quarterly assessment, against the
// demo district (three months of tasks ending with the current month).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fields } from './lib.mjs';

let server, office, admin, leader, jinshan, anon, month, prevMonth;
const units = {};

before(async () => {
  server = await startServer();
  [office, admin, leader, jinshan] = await Promise.all(['office', 'admin', 'leader', 'jinshan'].map((w) => server.login(w)));
  anon = server.client();
  const r = await office.get('/api/v1/accountability');
  assert.equal(r.status, 200);
  month = r.body.month;
  const [y, m] = month.split('-').map(Number);
  const p = new Date(Date.UTC(y, m - 2, 1));
  prevMonth = `${p.getUTCFullYear()}-${String(p.getUTCMonth() + 1).padStart(2, '0')}`;
  const list = await office.get('/api/v1/tasks', undefined);
  assert.equal(list.status, 200);
  const all = await office.get(`/api/v1/tasks?month=${month}&per_page=500`);
  for (const t of all.body.items) units[t.unit_name] = t.unit_id;
});

after(async () => { await server?.stop(); });

test('a task is created with its figures in the kind\'s measure', async () => {
  const r = await office.post('/api/v1/tasks', {
    unit_id: units['桂花街道'], month: '2030-01', kind: 'land', title: '测试征拆', target: '120.5亩', weight: 2,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  for (const k of ['id', 'unit_id', 'month', 'kind', 'title', 'target', 'actual', 'weight', 'completed']) assert.ok(k in r.body, k);
  assert.equal(r.body.target, '120.50');
  assert.equal(r.body.actual, null);
  assert.equal(r.body.completed, false);
  assert.equal(r.body.state, 'not_reported');
  assert.equal(r.body.weight, 2);
  const inv = await office.post('/api/v1/tasks', {
    unit_id: units['三一指挥部'], month: '2030-01', kind: 'investment', title: '投资', target: '1.2亿', actual: '1.5亿',
  });
  assert.equal(inv.status, 201);
  assert.equal(inv.body.target, '120000000.00');
  assert.equal(inv.body.state, 'confirmed'); // the office's own entry counts as confirmed
  assert.equal(inv.body.completed, true);
  assert.equal(inv.body.ratio, '125.00');
});

test('bad input is a 4xx naming the field', async () => {
  const base = { unit_id: units['桂花街道'], month: '2030-01', kind: 'land', title: '测试', target: 100 };
  let r = await office.post('/api/v1/tasks', { ...base, unit_id: 999999 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['unit_id']);
  r = await office.post('/api/v1/tasks', { ...base, month: '2030-13' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['month']);
  r = await office.post('/api/v1/tasks', { ...base, target: -5 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['target']);
  r = await office.post('/api/v1/tasks', { ...base, target: 0 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['target']);
  r = await office.post('/api/v1/tasks', { ...base, kind: 'swimming' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['kind']);
  r = await office.post('/api/v1/tasks', { ...base, kind: 'node', target: undefined });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['deadline']);
  r = await office.post('/api/v1/tasks', { ...base, colour: 'red' });
  assert.equal(r.status, 400);
  r = await office.post('/api/v1/tasks', { ...base, kind: 'count', source: 'derived' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['source']);
  r = await office.post('/api/v1/tasks', { ...base, unit_id: units['金山街道'] - 1000 });
  assert.equal(r.status, 422);
  r = await office.get('/api/v1/tasks?month=2026-1');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['month']);
  r = await office.get('/api/v1/tasks?kind=x');
  assert.equal(r.status, 422);
  r = await office.get('/api/v1/rankings?month=bad');
  assert.equal(r.status, 422);
  r = await office.get('/api/v1/rankings?group=village');
  assert.equal(r.status, 422);
  r = await office.get('/api/v1/accountability?month=2026-00');
  assert.equal(r.status, 422);
  r = await office.post('/api/v1/accountability/2026-99/publish', {});
  assert.equal(r.status, 422);
  r = await jinshan.post('/api/v1/tasks', base);
  assert.equal(r.status, 403);
});

test('a unit reports, the office confirms; versions guard edits', async () => {
  const c = await office.post('/api/v1/tasks', {
    unit_id: units['金山街道'], month: '2030-02', kind: 'demolition', title: '倒房', target: 10,
  });
  assert.equal(c.status, 201);
  const id = c.body.id;
  // the unit may report its actual only
  let r = await jinshan.patch(`/api/v1/tasks/${id}`, { target: 1, version: c.body.version });
  assert.equal(r.status, 400);
  r = await jinshan.patch(`/api/v1/tasks/${id}`, { actual: 10 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['version']);
  r = await jinshan.patch(`/api/v1/tasks/${id}`, { actual: 10, version: c.body.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'reported');
  assert.equal(r.body.actual, '10');
  assert.equal(r.body.completed, false); // not counted until confirmed
  const v2 = r.body.version;
  r = await jinshan.patch(`/api/v1/tasks/${id}`, { actual: 9, version: c.body.version });
  assert.equal(r.status, 409);
  r = await office.post(`/api/v1/tasks/${id}/confirm`, { version: c.body.version });
  assert.equal(r.status, 409);
  r = await jinshan.post(`/api/v1/tasks/${id}/confirm`, {});
  assert.equal(r.status, 403);
  r = await office.post(`/api/v1/tasks/${id}/confirm`, { version: v2 });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'confirmed');
  assert.equal(r.body.completed, true);
  r = await office.post(`/api/v1/tasks/${id}/confirm`, {});
  assert.equal(r.status, 409);
  // If-Match works as well as the version field
  r = await office.patch(`/api/v1/tasks/${id}`, { weight: 3 }, { 'If-Match': `"${r.body?.version ?? 0}"` });
  const cur = await office.get(`/api/v1/tasks/${id}`);
  assert.equal(cur.headers.get('etag'), `"${cur.body.version}"`);
  r = await office.patch(`/api/v1/tasks/${id}`, { weight: 3 }, { 'If-Match': `"${cur.body.version}"` });
  assert.equal(r.status, 200);
  assert.equal(r.body.weight, 3);
  // another unit's task is out of the unit's scope
  const other = await office.post('/api/v1/tasks', {
    unit_id: units['桂花街道'], month: '2030-02', kind: 'demolition', title: '倒房', target: 10,
  });
  r = await jinshan.patch(`/api/v1/tasks/${other.body.id}`, { actual: 10, version: 1 });
  assert.equal(r.status, 404);
  r = await jinshan.get(`/api/v1/tasks/${other.body.id}`);
  assert.equal(r.status, 404);
});

test('the list filters by month, unit, kind and completion, within scope', async () => {
  let r = await office.get(`/api/v1/tasks?month=${month}&kind=land&per_page=100`);
  assert.equal(r.status, 200);
  assert.ok(r.body.total >= 7);
  assert.ok(r.body.items.every((t) => t.kind === 'land' && t.month === month));
  r = await office.get(`/api/v1/tasks?month=${month}&completed=false&per_page=100`);
  assert.ok(r.body.items.length > 0 && r.body.items.every((t) => t.completed === false));
  const done = await office.get(`/api/v1/tasks?month=${month}&completed=true&per_page=100`);
  const all = await office.get(`/api/v1/tasks?month=${month}&per_page=500`);
  assert.equal(done.body.total + r.body.total, all.body.total);
  r = await jinshan.get(`/api/v1/tasks?month=${month}&per_page=100`);
  assert.ok(r.body.total > 0);
  assert.ok(r.body.items.every((t) => t.unit_name === '金山街道'));
  r = await office.get(`/api/v1/tasks?unit=${units['仙庾镇']}&per_page=100`);
  assert.ok(r.body.items.every((t) => t.unit_id === units['仙庾镇']));
  assert.equal(new Set(r.body.items.map((t) => t.month)).size, 3);
  r = await office.get(`/api/v1/tasks?month=${month}&format=xlsx&columns=unit_name:单位,title:任务`);
  assert.equal(r.status, 200);
  assert.equal(r.body.subarray(0, 2).toString(), 'PK');
});

test('rankings per peer group with the tie rule and rank changes', async () => {
  const r = await office.get(`/api/v1/rankings?month=${month}&group=town`);
  assert.equal(r.status, 200);
  assert.match(r.body.tie_rule, /完成率/);
  assert.equal(r.body.groups.length, 1);
  const rows = r.body.items;
  assert.equal(rows.length, 7);
  for (const row of rows) {
    for (const k of ['unit_id', 'unit_name', 'rank', 'rank_change', 'score']) assert.ok(k in row, k);
    assert.match(row.score, /^\d+\.\d\d$/);
  }
  const xianyu = rows.find((x) => x.unit_name === '仙庾镇');
  assert.equal(xianyu.kinds.land.rank, 7);
  assert.equal(xianyu.kinds.land.ratio, '30.00');
  assert.equal(xianyu.light, 'red');
  const songjiaqiao = rows.find((x) => x.unit_name === '宋家桥街道');
  assert.equal(songjiaqiao.kinds.land.rank_change, -2); // 3rd (tied at 100%) → 5th
  const yuetang = rows.find((x) => x.unit_name === '月塘街道');
  assert.equal(yuetang.rank, 1);
  assert.equal(yuetang.light, 'green');
  // every group when none is named
  const all = await leader.get(`/api/v1/rankings?month=${month}`);
  assert.deepEqual(all.body.groups.map((g) => g.group), ['town', 'department', 'hq']);
  // a town sees only its own row
  const own = await jinshan.get(`/api/v1/rankings?month=${month}`);
  assert.equal(own.status, 200);
  assert.deepEqual(own.body.items.map((x) => x.unit_name), ['金山街道']);
  assert.equal(own.body.items[0].kinds.land.of, 7);
  const x = await office.get(`/api/v1/rankings?month=${month}&format=xlsx`);
  assert.equal(x.body.subarray(0, 2).toString(), 'PK');
  const pdf = await office.get(`/api/v1/rankings?month=${month}&group=town&format=pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.body.subarray(0, 4).toString(), '%PDF');
  const bad = await anon.get(`/api/v1/rankings?month=${month}`);
  assert.equal(bad.status, 401);
});

test('the accountability list states each entry\'s reasons with its figures', async () => {
  const r = await office.get(`/api/v1/accountability?month=${month}`);
  assert.equal(r.status, 200);
  const e = r.body.entries;
  const jinInterview = e.find((x) => x.unit_name === '金山街道' && x.action === 'interview');
  assert.ok(jinInterview);
  assert.equal(jinInterview.reasons[0],
    `${month} 征拆(亩)任务完成 35.00%（目标200亩，完成70亩），在镇街组7个单位中排第6名（倒数第2）`);
  assert.equal(jinInterview.figures[0].ratio, '35.00');
  assert.ok(e.find((x) => x.unit_name === '金山街道' && x.action === 'circulate'));
  // missed only this month: 约谈 not (not in the last 2), 通报 not
  assert.ok(!e.find((x) => x.unit_name === '宋家桥街道'));
  // completed: nothing
  assert.ok(!e.find((x) => x.unit_name === '月塘街道'));
  // every entry has the three named fields
  for (const x of e) {
    assert.ok(['interview', 'circulate', 'discipline'].includes(x.action));
    assert.ok(Array.isArray(x.reasons) && x.reasons.length > 0);
  }
  // last month: 宋家桥 completed, so it is not circulated this month
  const prev = await office.get(`/api/v1/accountability?month=${prevMonth}`);
  assert.equal(prev.status, 200);
});

test('settings are admin-editable and change the list', async () => {
  let r = await office.get('/api/v1/accountability/settings');
  assert.deepEqual([r.body.last_n, r.body.months], [2, 2]);
  r = await office.put('/api/v1/accountability/settings', { last_n: 3 });
  assert.equal(r.status, 403);
  r = await admin.put('/api/v1/accountability/settings', { last_n: 0 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['last_n']);
  r = await admin.put('/api/v1/accountability/settings', { weights: { luck: 5 } });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['weights.luck']);
  r = await admin.put('/api/v1/accountability/settings', { last_n: 3, months: 3 });
  assert.equal(r.status, 200);
  let list = await office.get(`/api/v1/accountability?month=${month}`);
  // with N = 3 宋家桥 (missed, 3rd from last in 征拆) is interviewed; M = 3 needs three missed months
  assert.ok(list.body.entries.find((x) => x.unit_name === '宋家桥街道' && x.action === 'interview'));
  assert.ok(!list.body.entries.find((x) => x.unit_name === '金山街道' && x.action === 'circulate'));
  assert.ok(list.body.entries.find((x) => x.unit_name === '仙庾镇' && x.action === 'circulate'));
  r = await admin.put('/api/v1/accountability/settings', { last_n: 2, months: 2 });
  assert.equal(r.status, 200);
  list = await office.get(`/api/v1/accountability?month=${month}`);
  assert.ok(!list.body.entries.find((x) => x.unit_name === '宋家桥街道'));
});

test('a published list is frozen; a correction is a new version with the changes', async () => {
  // 问责 flagged by the office
  let r = await office.post(`/api/v1/accountability/${month}/flags`, { unit_id: 999999, reason: '因懒政怠政影响攻坚推进' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['unit_id']);
  r = await jinshan.post(`/api/v1/accountability/${month}/flags`, { unit_id: units['仙庾镇'], reason: '因懒政怠政影响攻坚推进' });
  assert.equal(r.status, 403);
  r = await office.post(`/api/v1/accountability/${month}/flags`, { unit_id: units['仙庾镇'], reason: '征拆工作失职，导致项目交地延误两个月' });
  assert.equal(r.status, 201);

  r = await jinshan.post(`/api/v1/accountability/${month}/publish`, {});
  assert.equal(r.status, 403);
  const pub1 = await office.post(`/api/v1/accountability/${month}/publish`, { note: '11月名单' });
  assert.equal(pub1.status, 201);
  assert.equal(pub1.body.version, 1);
  const v1 = await office.get(`/api/v1/accountability?month=${month}&version=1`);
  assert.equal(v1.status, 200);
  assert.equal(v1.body.state, 'published');
  assert.equal(pub1.body.entries, v1.body.entries.length);
  assert.ok(pub1.body.entries >= 10);
  assert.ok(v1.body.entries.find((x) => x.unit_name === '仙庾镇' && x.action === 'discipline'));
  const mingzhao = v1.body.entries.find((x) => x.unit_name === '明照街道' && x.action === 'interview');
  assert.ok(mingzhao, 'the unconfirmed report counts as not done');
  assert.match(mingzhao.reasons[0], /另有1项已填报、待项目办确认，未计入/);

  // the office confirms 明照街道's pending report: the live list changes, version 1 does not
  const pending = await office.get(`/api/v1/tasks?month=${month}&unit=${units['明照街道']}&kind=demolition`);
  const t = pending.body.items[0];
  assert.equal(t.state, 'reported');
  r = await office.post(`/api/v1/tasks/${t.id}/confirm`, { version: t.version });
  assert.equal(r.status, 200);
  const live = await office.get(`/api/v1/accountability?month=${month}`);
  assert.ok(!live.body.entries.find((x) => x.unit_name === '明照街道'));
  const again = await office.get(`/api/v1/accountability?month=${month}&version=1`);
  assert.deepEqual(again.body.entries, v1.body.entries);

  // the board shows version 1 until the correction is published
  let board = await anon.get(`/api/v1/public/board?month=${month}`);
  assert.equal(board.status, 200);
  assert.equal(board.body.version, 1);
  assert.ok(board.body.entries.find((x) => x.unit_name === '明照街道'));

  const pub2 = await office.post(`/api/v1/accountability/${month}/publish`, { note: '更正：明照街道倒房已确认完成' });
  assert.equal(pub2.status, 201);
  assert.equal(pub2.body.version, 2);
  assert.deepEqual(pub2.body.changes.removed.map((x) => [x.unit_name, x.action]), [['明照街道', 'interview']]);
  assert.deepEqual(pub2.body.changes.added, []);
  const v2 = await office.get(`/api/v1/accountability?month=${month}&version=2`);
  assert.equal(v2.body.changes.removed.length, 1);
  assert.deepEqual(v2.body.versions.map((v) => v.version), [1, 2]);
  const missing = await office.get(`/api/v1/accountability?month=${month}&version=9`);
  assert.equal(missing.status, 404);

  board = await anon.get('/api/v1/public/board');
  assert.equal(board.body.month, month);
  assert.equal(board.body.version, 2);
  assert.ok(!board.body.entries.find((x) => x.unit_name === '明照街道'));
  assert.ok(board.body.rankings.find((g) => g.group === 'town').items.length >= 7);
  const empty = await anon.get('/api/v1/public/board?month=2001-01');
  assert.equal(empty.body.published, false);

  // the live list still answers the anonymous public with 401
  const denied = await anon.get(`/api/v1/accountability?month=${month}`);
  assert.equal(denied.status, 401);

  const pdf = await office.get(`/api/v1/accountability?month=${month}&version=2&format=pdf`);
  assert.equal(pdf.body.subarray(0, 4).toString(), '%PDF');
  const xlsx = await office.get(`/api/v1/accountability?month=${month}&format=xlsx`);
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
});

test('a town sees only its own reasons', async () => {
  const r = await jinshan.get(`/api/v1/accountability?month=${month}`);
  assert.equal(r.status, 200);
  assert.ok(r.body.entries.length >= 2);
  assert.ok(r.body.entries.every((x) => x.unit_name === '金山街道'));
  const v = await jinshan.get(`/api/v1/accountability?month=${month}&version=1`);
  assert.ok(v.body.entries.every((x) => x.unit_name === '金山街道'));
  const a = await jinshan.get('/api/v1/assessments');
  assert.ok(a.body.items.every((x) => x.unit_name === '金山街道'));
});

test('quarterly assessment: validation, factors and weights', async () => {
  let r = await office.get('/api/v1/assessments?quarter=2026-Q5');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['quarter']);
  r = await office.get('/api/v1/assessments?quarter=2026Q1');
  assert.equal(r.status, 422);
  r = await office.get('/api/v1/assessments?quarter=2026-Q3');
  assert.equal(r.status, 200);
  assert.equal(r.body.quarter, '2026-Q3');
  assert.equal(r.body.from, '2026-07-01');
  assert.equal(r.body.to, '2026-09-30');
  assert.deepEqual(r.body.factors.map((f) => f.key), ['investment', 'starts', 'nodes', 'problems', 'reports']);
  for (const row of r.body.items) {
    assert.match(row.score, /^\d+\.\d\d$/);
    assert.ok(row.rank >= 1);
  }
  const w = await admin.put('/api/v1/accountability/settings', { weights: { investment: 50, reports: 0 } });
  assert.equal(w.status, 200);
  r = await office.get('/api/v1/assessments?quarter=2026-Q3');
  assert.equal(r.body.factors[0].weight, 50);
  assert.equal(r.body.factors[4].weight, 0);
  const x = await office.get('/api/v1/assessments?quarter=2026-Q3&format=xlsx');
  assert.equal(x.status, 200);
  assert.equal(x.body.subarray(0, 2).toString(), 'PK');
});

test('derived tasks take their actual from guatu\'s own data', async () => {
  const nodes = await office.get(`/api/v1/tasks?month=${month}&kind=node&per_page=100`);
  assert.equal(nodes.status, 200);
  const derived = nodes.body.items.filter((t) => t.source === 'derived');
  assert.ok(derived.length > 0, 'the demo has derived node tasks');
  for (const t of derived) {
    assert.equal(t.state, 'derived');
    assert.equal(t.confirmed, true);
    assert.ok(t.node_name);
    assert.equal(t.completed, t.actual === '1');
  }
  // no actual may be entered on a derived task
  let r = await office.patch(`/api/v1/tasks/${derived[0].id}`, { actual: 1, version: derived[0].version });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['actual']);
  // a derived node task needs a node; a derived investment task needs projects
  r = await office.post('/api/v1/tasks', { unit_id: units['桂花街道'], month, kind: 'node', title: '节点', deadline: `${month}-20`, source: 'derived' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['node_id']);
  r = await office.post('/api/v1/tasks', { unit_id: units['桂花街道'], month, kind: 'investment', title: '投资', target: '100万', source: 'derived' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['project_ids']);
  r = await office.post('/api/v1/tasks', { unit_id: units['桂花街道'], month, kind: 'node', title: '节点', deadline: `${month}-20`, node_id: 99999999 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['node_id']);
  r = await office.post('/api/v1/tasks', { unit_id: units['桂花街道'], month, kind: 'investment', title: '投资', target: '100万', project_ids: [99999999] });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['project_ids']);
  assert.match(r.body.errors[0].message, /关联项目.*不存在.* \/ .*linked project.*does not exist/);
  // a project code typed where the project is picked is refused, saying so
  r = await office.post('/api/v1/tasks', { unit_id: units['桂花街道'], month, kind: 'investment', title: '投资', target: '100万', project_ids: ['HT-2026-001'] });
  assert.equal(r.status, 422);
  assert.match(r.body.errors[0].message, /非项目代码.* \/ .*not their codes/);
  // the same node with a deadline before anything could be done: not reached
  r = await office.post('/api/v1/tasks', {
    unit_id: units['桂花街道'], month: '2031-01', kind: 'node', title: '节点', deadline: '2000-01-01', node_id: derived[0].node_id, source: 'derived',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.actual, '0');
  assert.equal(r.body.completed, false);
  // investment: last month's approved investment of the HQ's projects
  const prevTasks = await office.get(`/api/v1/tasks?month=${prevMonth}&kind=investment&per_page=100`);
  const inv = prevTasks.body.items.find((t) => t.source === 'derived');
  if (inv) {
    assert.ok(inv.projects.length > 0);
    assert.equal(inv.completed, true);
    // the same projects in a month without reports derive nothing
    r = await office.post('/api/v1/tasks', {
      unit_id: inv.unit_id, month: '2031-01', kind: 'investment', title: '投资', target: '1万', source: 'derived', project_ids: inv.projects.map((p) => p.id),
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.actual, '0.00');
    assert.equal(r.body.completed, false);
  }
});

test('a task\'s linked projects carry their code and name, as the project picker shows them', async () => {
  const projects = (await office.get('/api/v1/projects?per_page=3&sort=code')).body.items;
  const month = '2030-02'; // far from the months the rankings read
  const r = await office.post('/api/v1/tasks', {
    unit_id: units['桂花街道'], month, kind: 'investment', title: '关联项目带代码', target: '100万', project_ids: projects.slice(0, 2).map((p) => p.id),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.projects.map((p) => [p.id, p.code, p.name]), projects.slice(0, 2).map((p) => [p.id, p.code, p.name]));
  const del = await office.del(`/api/v1/tasks/${r.body.id}`);
  assert.ok([200, 204].includes(del.status));
});

test('the demo district has last month’s list published, so the public board is not empty before anyone publishes', async () => {
  const board = await anon.get(`/api/v1/public/board?month=${prevMonth}`);
  assert.equal(board.status, 200);
  assert.equal(board.body.published, true);
  assert.equal(board.body.month, prevMonth);
  assert.equal(board.body.version, 1);
  assert.ok(board.body.months.includes(prevMonth));
  assert.ok(board.body.entries.length > 0, 'the published list names units');
  assert.ok(board.body.rankings.find((g) => g.group === 'town').items.length >= 7);
  // what the board shows is what the office's list of that month says as version 1
  const v1 = await office.get(`/api/v1/accountability?month=${prevMonth}&version=1`);
  assert.equal(v1.status, 200);
  assert.equal(v1.body.state, 'published');
  assert.deepEqual(board.body.entries, v1.body.entries);
});
