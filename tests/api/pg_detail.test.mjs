// pg_detail.test.mjs — the detail answers read in fewer statements (issue 21) say what
// they said before, on both stores: a project with no plans, tags, open nodes or reports
// and one with many of each (plans by year, tags in order, node reasons by date before
// the investment lag, only approved investment counted, another year asked for); a
// project's scope (another unit 403, no such project 404, the owner may report progress);
// a household with no and with many items, payments, events and hard cases, another
// unit's household 404; and the ledger of a unit user holding its own units' projects'
// households and those of projects whose HQ is one of its units, with an exact total.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TODAY, addDays, monthOf } from './lib.mjs';
import { idNumber } from './land_helpers.mjs';

let server, office, admin, sany, guihua, enterprise, leader;
let sanyUnit, guihuaUnit, huajuUnit;
const year = Number(TODAY.slice(0, 4));
const lastMonth = monthOf(-1);

before(async () => {
  server = await startServer();
  [office, admin, sany, guihua, enterprise, leader] = await Promise.all(
    ['office', 'admin', 'sany', 'guihua', 'enterprise', 'leader'].map((w) => server.login(w)));
  sanyUnit = (await sany.get('/api/v1/me')).body.user.unit_id;
  guihuaUnit = (await guihua.get('/api/v1/me')).body.user.unit_id;
  huajuUnit = (await enterprise.get('/api/v1/me')).body.user.unit_id;
});
after(async () => { await server?.stop(); });

let seq = 0;
async function newProject(extra = {}) {
  const r = await office.post('/api/v1/projects', {
    code: `PGD-${process.pid}-${++seq}`, name: `明细测试项目${seq}`, level: 'district', category: '产业项目',
    stage: 'construction', unit_id: sanyUnit, ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function node(project, name, planned) {
  const r = await office.post(`/api/v1/projects/${project}/nodes`, { name, kind: 'other', planned_date: planned });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('a project with no plans, tags, open nodes or reports: an empty plan and tag list, green, no reasons, nothing invested', async () => {
  const p = await newProject();
  const r = await office.get(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.annual_plan, {});
  assert.deepEqual(r.body.tags, []);
  assert.equal(r.body.light, 'green');
  assert.equal(r.body.light_label, '绿灯');
  assert.deepEqual(r.body.light_reasons, []);
  assert.equal(r.body.ytd_investment, '0.00');
  assert.equal(r.body.can_edit, 'all');
});

test('a project with many plans, tags and nodes lists plans by year, tags in order, open nodes due soon by date then the lag, and counts approved investment only', async () => {
  const tags = ['乙', '甲', 'A组', '省市重点'];
  const p = await newProject({
    tags, annual_plan: { [String(year + 1)]: '3亿', [String(year - 1)]: '1亿', [String(year)]: '2亿' },
  });
  await node(p.id, '远期节点', addDays(TODAY, 30)); // beyond the yellow horizon: no reason
  await node(p.id, '即将到期', addDays(TODAY, 2));
  await node(p.id, '已逾期', addDays(TODAY, -3));
  const done = await node(p.id, '已完成', addDays(TODAY, -10));
  const fin = await office.patch(`/api/v1/nodes/${done.id}`, { actual_date: TODAY, version: done.version });
  assert.equal(fin.status, 200, JSON.stringify(fin.body));

  let r = await office.get(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body.annual_plan), [String(year - 1), String(year), String(year + 1)]);
  assert.deepEqual(r.body.annual_plan, {
    [String(year - 1)]: '100000000.00', [String(year)]: '200000000.00', [String(year + 1)]: '300000000.00',
  });
  assert.deepEqual(r.body.tags, [...tags].sort());
  assert.equal(r.body.light, 'red');
  const reasons = r.body.light_reasons;
  assert.match(reasons[0], /^节点「已逾期」计划\d{4}-\d\d-\d\d，已逾期3天$/);
  assert.match(reasons[1], /^节点「即将到期」计划\d{4}-\d\d-\d\d，还剩2天到期$/);
  assert.ok(reasons.length <= 3, JSON.stringify(reasons));
  if (reasons.length === 3) assert.match(reasons[2], new RegExp(`^${year}年计划投资20000\\.00万元，已完成0\\.00万元`));
  assert.equal(r.body.ytd_investment, '0.00');

  // a report counts in its year once approved, and only then
  const rep = await sany.post(`/api/v1/projects/${p.id}/reports`, {
    period: lastMonth, investment: '1234.56万', image_progress: '主体施工', percent: 10,
  });
  assert.equal(rep.status, 201, JSON.stringify(rep.body));
  const repYear = lastMonth.slice(0, 4);
  r = await office.get(`/api/v1/projects/${p.id}?year=${repYear}`);
  assert.equal(r.body.ytd_investment, '0.00', 'a submitted report is not yet invested');
  const ok = await office.post(`/api/v1/reports/${rep.body.id}/review`, { decision: 'approve' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  r = await office.get(`/api/v1/projects/${p.id}?year=${repYear}`);
  assert.equal(r.body.ytd_investment, '12345600.00');
  r = await office.get(`/api/v1/projects/${p.id}?year=${Number(repYear) + 1}`);
  assert.equal(r.body.ytd_investment, '0.00', 'another year counts its own reports');
  // the answer of a write carries the same related rows
  const patched = await office.patch(`/api/v1/projects/${p.id}`, { name: `${p.name}改`, version: r.body.version });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.deepEqual(patched.body.tags, [...tags].sort());
  assert.deepEqual(patched.body.annual_plan, r.body.annual_plan);
  assert.deepEqual(patched.body.light_reasons.slice(0, 2), reasons.slice(0, 2));
});

test('a project is 404 when absent, 403 to another unit, progress-only to its owner and read-only to a leader', async () => {
  const p = await newProject({ owner_unit_id: huajuUnit });
  assert.equal((await sany.get(`/api/v1/projects/${p.id}`)).body.can_edit, 'all');
  const other = await guihua.get(`/api/v1/projects/${p.id}`);
  assert.equal(other.status, 403);
  assert.ok(!('name' in other.body), 'a refused project shows nothing of itself');
  assert.equal((await enterprise.get(`/api/v1/projects/${p.id}`)).body.can_edit, 'progress');
  assert.equal((await leader.get(`/api/v1/projects/${p.id}`)).body.can_edit, 'none');
  assert.equal((await office.get('/api/v1/projects/987654321')).status, 404);
  assert.equal((await guihua.get('/api/v1/projects/987654321')).status, 404);
});

async function household(project, head = '张三') {
  const r = await sany.post(`/api/v1/projects/${project}/households`, {
    village: '石塘村', group: '三组', head_name: head, id_number: idNumber('43020319800101123'), phone: '13807331234',
    land_mu: { collective: '2.50' }, houses: 1, house_area_m2: 120.5,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('a household with nothing recorded yet has no items, payments or hard cases and the one event of its survey', async () => {
  const p = await newProject();
  const h = await household(p.id);
  const r = await sany.get(`/api/v1/households/${h.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items, []);
  assert.deepEqual(r.body.payments, []);
  assert.deepEqual(r.body.hard_cases, []);
  assert.deepEqual(r.body.history.map((e) => e.to_state), ['surveyed']);
  assert.equal(r.body.project_name, p.name);
  assert.equal(r.body.can_edit, true);
  assert.equal(r.body.id_number, '430203********1235');
});

test('a household with many items, payments, events and hard cases lists each in order; another unit gets 404', async () => {
  const p = await newProject();
  const h = await household(p.id);
  const kinds = ['land', 'crops', 'resettlement'];
  const items = [];
  for (const [i, kind] of kinds.entries()) {
    const r = await sany.post(`/api/v1/households/${h.id}/items`, { kind, amount: `${(i + 1) * 1000}.50` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    items.push(r.body);
  }
  for (const to of ['valued', 'signed']) {
    const m = await sany.post(`/api/v1/households/${h.id}/transitions`, { to });
    assert.equal(m.status, 200, JSON.stringify(m.body));
  }
  const paid = [[items[1].id, '500.25', addDays(TODAY, -2)], [items[0].id, '100', addDays(TODAY, -5)], [items[0].id, '200', addDays(TODAY, -2)]];
  for (const [item_id, amount, paid_on] of paid) {
    const r = await sany.post(`/api/v1/households/${h.id}/payments`, { item_id, amount, paid_on });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  for (const title of ['面积有异议', '安置地点有异议']) {
    const r = await sany.post(`/api/v1/households/${h.id}/hard-cases`, { title, description: '待协调' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const r = await sany.get(`/api/v1/households/${h.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((i) => [i.kind, i.amount]), [['land', '1000.50'], ['crops', '2000.50'], ['resettlement', '3000.50']]);
  assert.deepEqual(r.body.items.map((i) => i.paid), ['300.00', '500.25', '0.00']);
  assert.deepEqual(r.body.items.map((i) => i.owed), ['700.50', '1500.25', '3000.50']);
  // by payment date, then in the order recorded
  assert.deepEqual(r.body.payments.map((y) => [y.paid_on, y.amount, y.kind]),
    [[addDays(TODAY, -5), '100.00', 'land'], [addDays(TODAY, -2), '500.25', 'crops'], [addDays(TODAY, -2), '200.00', 'land']]);
  assert.deepEqual(r.body.hard_cases.map((c) => c.title), ['面积有异议', '安置地点有异议']);
  // every field of each kind, in the order the answer has always had them
  assert.deepEqual(Object.keys(r.body.items[0]), ['id', 'household_id', 'kind', 'amount', 'paid', 'owed', 'note', 'created_at', 'kind_name']);
  assert.deepEqual(Object.keys(r.body.payments[0]),
    ['id', 'item_id', 'kind', 'amount', 'paid_on', 'payer', 'voucher_id', 'voucher_name', 'user_name', 'created_at', 'kind_name']);
  assert.deepEqual(Object.keys(r.body.history[0]), ['id', 'from_state', 'to_state', 'on_date', 'user_name', 'at', 'to_name']);
  assert.deepEqual(Object.keys(r.body.hard_cases[0]),
    ['id', 'title', 'description', 'state', 'raised_on', 'meeting_on', 'members', 'decision', 'version']);
  assert.equal(r.body.items[0].household_id, h.id);
  assert.equal(r.body.items[0].kind_name, '土地费');
  assert.equal(r.body.payments[0].voucher_id, null);
  assert.equal(typeof r.body.payments[0].user_name, 'string');
  assert.equal(r.body.history[0].from_state, null);
  assert.deepEqual([r.body.hard_cases[0].state, r.body.hard_cases[0].description, r.body.hard_cases[0].version], ['open', '待协调', 1]);
  assert.deepEqual(r.body.history.map((e) => e.to_state), ['surveyed', 'valued', 'signed']);
  assert.deepEqual(r.body.history.map((e) => e.to_name), ['已调查', '已评估', '已签约']);
  for (const c of [guihua, enterprise]) assert.equal((await c.get(`/api/v1/households/${h.id}`)).status, 404);
  assert.equal((await office.get(`/api/v1/households/${h.id}`)).status, 200);
  assert.equal((await sany.get('/api/v1/households/987654321')).status, 404);
});

test("a unit user's ledger holds its units' projects' households and those of projects its HQ leads, with an exact total", async () => {
  const mine = await newProject();
  const theirs = await newProject({ unit_id: guihuaUnit });
  const hq = await admin.post('/api/v1/units', { name: `明细测试指挥部${process.pid}`, kind: 'hq', parent_id: sanyUnit });
  assert.equal(hq.status, 201, JSON.stringify(hq.body));
  const led = await newProject({ unit_id: guihuaUnit, hq_id: hq.body.id });
  const village = `明细村${process.pid}`;
  const add = async (c, project, head) => {
    const r = await c.post(`/api/v1/projects/${project}/households`, { village, head_name: head, land_mu: { collective: '1' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const a = await add(sany, mine.id, '甲');
  const b = await add(office, theirs.id, '乙');
  const c = await add(office, led.id, '丙');
  const q = (per, page = 1) => `/api/v1/households?village=${encodeURIComponent(village)}&sort=id&per_page=${per}&page=${page}`;
  let r = await sany.get(q(1));
  assert.equal(r.status, 200);
  assert.equal(r.body.total, 2, 'its own project and the one its HQ leads');
  assert.deepEqual(r.body.items.map((x) => x.id), [a]);
  r = await sany.get(q(1, 2));
  assert.deepEqual(r.body.items.map((x) => x.id), [c]);
  r = await guihua.get(q(5));
  assert.equal(r.body.total, 2);
  assert.deepEqual(r.body.items.map((x) => x.id), [b, c]);
  r = await office.get(q(5));
  assert.deepEqual(r.body.items.map((x) => x.id), [a, b, c]);
  assert.equal((await sany.get(`/api/v1/households/${c}`)).status, 200, 'the HQ unit reads the household it leads');
  assert.equal((await sany.get(`/api/v1/households/${b}`)).status, 404);
});

test("a list page's projects carry the same plans, tags, light, reasons and investment as each project's own answer", async () => {
  const chain = `明细链${process.pid}`;
  const a = await newProject({ chain, tags: ['丙', '甲'], annual_plan: { [String(year)]: '9亿', [String(year - 1)]: '1亿' } });
  const b = await newProject({ chain });
  const c = await newProject({ chain, tags: ['乙'], annual_plan: { [String(year)]: '2000万' } });
  await node(a.id, '甲的逾期节点', addDays(TODAY, -2));
  await node(a.id, '甲的近期节点', addDays(TODAY, 1));
  await node(c.id, '丙的近期节点', addDays(TODAY, 5));
  const rep = await sany.post(`/api/v1/projects/${c.id}/reports`, { period: lastMonth, investment: '300万', image_progress: '施工', percent: 5 });
  assert.equal(rep.status, 201, JSON.stringify(rep.body));
  assert.equal((await office.post(`/api/v1/reports/${rep.body.id}/review`, { decision: 'approve' })).status, 200);
  const fieldsOf = (p) => ({
    annual_plan: p.annual_plan, tags: p.tags, light: p.light, light_reasons: p.light_reasons, ytd_investment: p.ytd_investment,
  });
  for (const query of ['sort=id', 'sort=-light', 'sort=-light&page=1&per_page=2']) {
    const list = await office.get(`/api/v1/projects?chain=${encodeURIComponent(chain)}&${query.includes('per_page') ? '' : 'per_page=10&'}${query}`);
    assert.equal(list.status, 200);
    assert.equal(list.body.total, 3);
    for (const item of list.body.items) {
      const own = await office.get(`/api/v1/projects/${item.id}`);
      assert.deepEqual(fieldsOf(item), fieldsOf(own.body), `project ${item.id} with ${query}`);
    }
  }
  const list = (await office.get(`/api/v1/projects?chain=${encodeURIComponent(chain)}&per_page=10&sort=id`)).body.items;
  assert.deepEqual(list.map((p) => p.id), [a.id, b.id, c.id]);
  assert.deepEqual(list.map((p) => p.tags), [['丙', '甲'].sort(), [], ['乙']]);
  assert.equal(list[0].light, 'red');
  assert.equal(list[0].light_reasons.length >= 2, true);
  // the year's approved investment: the report's month is in this year unless today is in January
  assert.equal(list[2].ytd_investment, lastMonth.slice(0, 4) === String(year) ? '3000000.00' : '0.00');
  assert.equal(list[1].ytd_investment, '0.00');
});
