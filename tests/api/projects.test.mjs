// The project library and the battle map: CRUD with ETag/If-Match, every
// list filter and sort, data scope (a town cannot edit another town's
// project; an enterprise sees only its own), custom fields, node templates
// laid out in working days, node validation, baseline freeze and slip days,
// history, light thresholds and the battle map's grouping and lights.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServerAs, fields, TODAY, addDays, assertRollups } from './lib.mjs';
import { unitId } from './reports_helpers.mjs';

let server, office, admin, leader, jinshan, guihua, huaju, sany;
const U = {};
let seq = 0;
const chinaToday = () => TODAY;
const year = Number(chinaToday().slice(0, 4));
const fen = (s) => BigInt(s.replace('.', ''));


function body(extra = {}) {
  const code = `PT-${process.pid}-${seq++}`;
  return { code, name: `测试项目${code}`, level: 'district', category: '产业项目', chain: '新材料', stage: 'construction',
    unit_id: U.jinshan, total_investment: '3.66亿', annual_plan: { [String(year)]: '1.2亿' }, ...extra };
}
async function create(client, extra) {
  const r = await client.post('/api/v1/projects', body(extra));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  [server, office, admin, leader, jinshan, guihua, huaju, sany] = await startServerAs('office', 'admin', 'leader', 'jinshan', 'guihua', 'enterprise', 'sany');
  for (const [k, n] of [['jinshan', '金山街道'], ['guihua', '桂花街道'], ['sany', '三一指挥部'], ['sanyGroup', '三一指挥部征拆组'],
    ['huaju', '湖南华巨新材料有限公司'], ['hq', '金山新城指挥部'], ['zrzy', '荷塘区自然资源分局']]) U[k] = await unitId(office, n);
});
after(async () => { await server?.stop(); });

test('create, read with ETag, update with If-Match, stale 409, delete', async () => {
  const me = await leader.get('/api/v1/me');
  const p = await create(office, { leader_id: me.body.user.id, hq_id: U.hq, owner_unit_id: U.huaju, land_area_mu: '40',
    tags: ['省市重点', '集中开工'], flag_top500: true, location: '金山工业园', lng: 113.2, lat: 27.9 });
  assert.equal(p.total_investment, '366000000.00');
  assert.deepEqual(p.annual_plan, { [String(year)]: '120000000.00' });
  assert.equal(p.land_area_mu, '40.00');
  assert.equal(p.flag_100m, true);
  assert.equal(p.flag_1bn, false);
  assert.equal(p.unit_name, '金山街道');
  assert.equal(p.hq_name, '金山新城指挥部');
  assert.equal(p.owner_name, '湖南华巨新材料有限公司');
  assert.equal(p.leader_name, '王区长');
  // Display names beside the codes, for exports that read like the screen.
  assert.equal(p.level_name, '区重点');
  assert.equal(p.stage_name, '在建');
  assert.ok(['红灯', '黄灯', '绿灯'].includes(p.light_label));
  assert.deepEqual(p.tags, ['省市重点', '集中开工']);
  assert.ok(['red', 'yellow', 'green'].includes(p.light));
  assert.ok(Array.isArray(p.light_reasons));
  assert.equal(p.ytd_investment, '0.00');
  assert.equal(p.version, 1);

  let r = await office.get(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('etag'), '"1"');
  r = await office.patch(`/api/v1/projects/${p.id}`, { total_investment: '12亿' }, { 'If-Match': '"1"' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.version, 2);
  assert.equal(r.body.flag_1bn, true);
  assert.equal(r.headers.get('etag'), '"2"');
  r = await office.patch(`/api/v1/projects/${p.id}`, { name: '旧版本' }, { 'If-Match': '"1"' });
  assert.equal(r.status, 409);
  r = await office.patch(`/api/v1/projects/${p.id}`, { name: '用字段给版本', version: 2 });
  assert.equal(r.status, 200);
  r = await office.patch(`/api/v1/projects/${p.id}`, { name: '没有版本' });
  assert.equal(r.status, 428);
  r = await office.patch(`/api/v1/projects/${p.id}`, { total_investment: '5亿亿', version: 3 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['total_investment']);
  r = await office.post('/api/v1/projects', { ...body(), code: p.code });
  assert.equal(r.status, 409);
  r = await office.post('/api/v1/projects', { ...body(), level: 'county', stage: 'x', unit_id: 999999, oops: 1 });
  assert.equal(r.status, 400);
  assert.deepEqual(fields(r), ['oops']);
  r = await office.post('/api/v1/projects', { ...body(), level: 'county', stage: 'x', unit_id: 999999, category: '无' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['category', 'level', 'stage', 'unit_id']);

  r = await office.get(`/api/v1/projects/${p.id}/history`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((e) => e.action).slice(0, 3), ['update', 'update', 'create']);
  assert.equal(r.body.items[0].after.name, '用字段给版本');

  r = await jinshan.del(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 403);
  r = await office.del(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 204);
  r = await office.get(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 404);
  assertRollups(server); // the roll-ups kept with these writes agree with the facts
});

test('every filter and sort of the list', async () => {
  const tag = `标签${process.pid}`;
  const me = await leader.get('/api/v1/me');
  const a = await create(office, { level: 'province', stage: 'preparation', chain: '信创', category: '基础设施', tags: [tag],
    unit_id: U.sanyGroup, leader_id: me.body.user.id, total_investment: '9亿', annual_plan: { 2031: '1亿' } });
  const b = await create(office, { level: 'city', chain: '信创', tags: [tag], name: `检索用唯一名称${process.pid}`, total_investment: '7亿' });
  const get = async (qs) => {
    const r = await office.get(`/api/v1/projects?per_page=500&${qs}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  let l = await get(`q=${encodeURIComponent(`检索用唯一名称${process.pid}`)}`);
  assert.deepEqual(l.items.map((x) => x.id), [b.id]);
  l = await get(`q=${encodeURIComponent(a.code)}`);
  assert.deepEqual(l.items.map((x) => x.id), [a.id]);
  l = await get('level=province');
  assert.ok(l.items.length > 1 && l.items.every((x) => x.level === 'province') && l.items.some((x) => x.id === a.id));
  l = await get('stage=preparation');
  assert.ok(l.items.every((x) => x.stage === 'preparation') && l.items.some((x) => x.id === a.id));
  l = await get(`unit=${U.sany}`); // includes the HQ's working groups
  assert.ok(l.items.some((x) => x.id === a.id));
  assert.ok(l.items.every((x) => ['三一指挥部', '三一指挥部征拆组', '三一指挥部项目建设组'].includes(x.unit_name)));
  l = await get(`unit=${U.sanyGroup}`);
  assert.deepEqual(l.items.map((x) => x.id), [a.id]);
  l = await get(`leader=${me.body.user.id}`);
  assert.ok(l.items.length > 10 && l.items.every((x) => x.leader_id === me.body.user.id));
  l = await get(`chain=${encodeURIComponent('信创')}&tag=${encodeURIComponent(tag)}`);
  assert.deepEqual(l.items.map((x) => x.id).sort(), [a.id, b.id].sort());
  l = await get(`category=${encodeURIComponent('基础设施')}`);
  assert.ok(l.items.every((x) => x.category === '基础设施') && l.items.some((x) => x.id === a.id));
  l = await get('year=2031');
  assert.deepEqual(l.items.map((x) => x.id), [a.id]);
  for (const light of ['red', 'yellow', 'green']) {
    l = await get(`light=${light}`);
    assert.ok(l.items.every((x) => x.light === light));
  }
  const all = await get('');
  const counts = {};
  for (const x of all.items) counts[x.light] = (counts[x.light] || 0) + 1;
  for (const light of ['red', 'yellow', 'green']) assert.equal((await get(`light=${light}`)).total, counts[light] || 0);
  l = await get('sort=-total_investment');
  for (let i = 1; i < l.items.length; i++) assert.ok(fen(l.items[i - 1].total_investment) >= fen(l.items[i].total_investment));
  l = await get('sort=code');
  for (let i = 1; i < l.items.length; i++) assert.ok(l.items[i - 1].code <= l.items[i].code);
  l = await get('sort=-light');
  const rank = { red: 2, yellow: 1, green: 0 };
  for (let i = 1; i < l.items.length; i++) assert.ok(rank[l.items[i - 1].light] >= rank[l.items[i].light]);
  l = await get('sort=level');
  const lr = { province: 0, city: 1, district: 2 };
  for (let i = 1; i < l.items.length; i++) assert.ok(lr[l.items[i - 1].level] <= lr[l.items[i].level]);
  const page2 = await office.get('/api/v1/projects?per_page=7&page=2&sort=code');
  assert.equal(page2.body.items.length, 7);
  assert.equal(page2.body.items[0].code, l.items.map((x) => x.code).sort()[7]);
  let r = await office.get('/api/v1/projects?sort=bogus');
  assert.equal(r.status, 422);
  r = await office.get('/api/v1/projects?level=county');
  assert.equal(r.status, 422);
  r = await office.get(`/api/v1/projects?format=xlsx&columns=code:编号,name:名称&q=${encodeURIComponent(a.code)}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.subarray(0, 2).toString(), 'PK');
});

test('scope: towns edit only their own projects, enterprises see only theirs, the public only published', async () => {
  const p = await create(office, { unit_id: U.jinshan });
  let r = await guihua.patch(`/api/v1/projects/${p.id}`, { name: '越权修改', version: 1 });
  assert.equal(r.status, 403);
  r = await guihua.get(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 403);
  r = await guihua.get('/api/v1/projects?per_page=500');
  assert.ok(r.body.items.length > 0 && r.body.items.every((x) => x.unit_name === '桂花街道'));
  r = await jinshan.patch(`/api/v1/projects/${p.id}`, { name: '金山自己改', version: 1 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await jinshan.patch(`/api/v1/projects/${p.id}`, { unit_id: U.guihua, version: 2 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['unit_id']);
  // a unit creates reserve projects for its own units only
  r = await jinshan.post('/api/v1/projects', body({ stage: 'reserve' }));
  assert.equal(r.status, 201);
  r = await jinshan.post('/api/v1/projects', body({ stage: 'construction' }));
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['stage']);
  r = await jinshan.post('/api/v1/projects', body({ stage: 'reserve', unit_id: U.guihua }));
  assert.equal(r.status, 403);
  // the HQ user sees projects whose HQ it is
  const h = await create(office, { unit_id: U.guihua, hq_id: U.hq });
  r = await sany.get(`/api/v1/projects/${h.id}`);
  assert.equal(r.status, 403);
  // an enterprise: only its own projects, only progress fields
  const own = await create(office, { owner_unit_id: U.huaju, published: true });
  r = await huaju.get('/api/v1/projects?per_page=500');
  assert.ok(r.body.items.length >= 2);
  assert.ok(r.body.items.every((x) => x.owner_unit_id === U.huaju));
  r = await huaju.get(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 403);
  r = await huaju.patch(`/api/v1/projects/${own.id}`, { name: '企业改名', version: 1 });
  assert.equal(r.status, 403);
  r = await huaju.patch(`/api/v1/projects/${own.id}`, { stage: 'completed', location: '仙庾工业园', version: 1 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.stage, 'completed');
  // the public list: published only, no login
  r = await server.client().get('/api/v1/public/projects?per_page=500');
  assert.equal(r.status, 200);
  assert.ok(r.body.items.some((x) => x.id === own.id));
  assert.ok(r.body.items.every((x) => x.published === true));
  assert.ok(!r.body.items.some((x) => x.id === p.id));
  r = await server.client().get('/api/v1/projects');
  assert.equal(r.status, 401);
});

test('custom fields: defined by the administrator, validated by type, filterable', async () => {
  let r = await office.post('/api/v1/project-fields', { key: 'risk', label: '风险等级', type: 'choice', options: ['高', '中', '低'] });
  assert.equal(r.status, 403);
  r = await admin.post('/api/v1/project-fields', { key: 'risk', label: '风险等级', type: 'choice', options: ['高', '中', '低'] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await admin.post('/api/v1/project-fields', { key: 'signed', label: '签约金额', type: 'money' });
  assert.equal(r.status, 201);
  r = await admin.post('/api/v1/project-fields', { key: 'signed_on', label: '签约日期', type: 'date' });
  assert.equal(r.status, 201);
  r = await admin.post('/api/v1/project-fields', { key: 'Bad Key', label: 'x', type: 'colour' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['key', 'type']);
  r = await office.get('/api/v1/project-fields');
  assert.deepEqual(r.body.items.map((f) => f.key).sort(), ['risk', 'signed', 'signed_on']);
  r = await office.post('/api/v1/projects', body({ custom: { risk: '极高', signed: '五亿', signed_on: '2026-13-01', nope: 1 } }));
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['custom.nope', 'custom.risk', 'custom.signed', 'custom.signed_on']);
  const p = await create(office, { custom: { risk: '高', signed: '2.5亿', signed_on: '2026-03-01' } });
  assert.deepEqual(p.custom, { risk: '高', signed: '250000000.00', signed_on: '2026-03-01' });
  r = await office.get('/api/v1/projects?per_page=500&cf.risk=%E9%AB%98');
  assert.deepEqual(r.body.items.map((x) => x.id), [p.id]);
  r = await office.patch(`/api/v1/projects/${p.id}`, { custom: { risk: '低' }, version: 1 });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.custom, { risk: '低', signed: '250000000.00', signed_on: '2026-03-01' });
  r = await office.get('/api/v1/projects?per_page=500&cf.risk=%E9%AB%98');
  assert.equal(r.body.total, 0);
  // shown in exports: the list export names custom columns cf.KEY
  r = await office.get(`/api/v1/projects?format=csv&columns=code:编号,cf.risk:风险等级&q=${p.code}`);
  assert.match(r.body.toString(), /"低"/);
  // a required field is required from then on
  r = await admin.post('/api/v1/project-fields', { key: 'approval', label: '立项文号', type: 'text', required: true });
  assert.equal(r.status, 201);
  r = await office.post('/api/v1/projects', body());
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['custom.approval']);
  r = await admin.del('/api/v1/project-fields/approval');
  assert.equal(r.status, 204);
});

test('templates laid out in working days, node rules, baseline freeze and slip days', async () => {
  let r = await office.get(`/api/v1/node-templates?category=${encodeURIComponent('产业项目')}`);
  const tpl = r.body.items[0];
  assert.deepEqual(tpl.steps.map((s) => s.name), ['征拆', '土地报批', '土地挂网/出让', '规划许可', '施工许可', '开工', '主体封顶', '竣工', '投产']);
  assert.deepEqual(tpl.steps.map((s) => s.kind), ['land_acquisition', 'land_approval', 'land_listing', 'planning_permit',
    'construction_permit', 'start', 'topping_out', 'completion', 'production']);
  const p = await create(office, { hq_id: U.hq, owner_unit_id: U.huaju });
  const start = '2026-09-25'; // the National Day holidays fall inside the first step
  r = await guihua.post(`/api/v1/projects/${p.id}/nodes`, { template_id: tpl.id, start });
  assert.equal(r.status, 403);
  r = await office.post(`/api/v1/projects/${p.id}/nodes`, { template_id: tpl.id, start });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const nodes = r.body.items;
  assert.equal(nodes.length, 9);
  let prev = start;
  for (let i = 0; i < nodes.length; i++) {
    const c = await office.get(`/api/v1/calendar/add-working-days?from=${prev}&days=${tpl.steps[i].duration_days}`);
    assert.equal(nodes[i].planned_date, c.body.date, `node ${i}`);
    assert.equal(nodes[i].depends_on, i ? nodes[i - 1].id : null);
    assert.equal(nodes[i].seq, i + 1);
    prev = nodes[i].planned_date;
  }
  assert.equal(nodes[0].unit_name, '金山新城指挥部'); // unit_role hq
  assert.equal(nodes[5].unit_name, '湖南华巨新材料有限公司'); // unit_role owner
  assert.equal(nodes[1].unit_name, '金山街道');

  // node rules
  const n3 = nodes[3];
  r = await office.patch(`/api/v1/nodes/${n3.id}`, { actual_date: addDays(chinaToday(), 2), version: n3.version });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['actual_date']);
  r = await office.patch(`/api/v1/nodes/${n3.id}`, { planned_date: addDays(nodes[2].planned_date, -1), version: n3.version });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['planned_date']);
  r = await office.patch(`/api/v1/nodes/${n3.id}`, { depends_on: nodes[5].id, version: n3.version });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['depends_on']);
  r = await office.patch(`/api/v1/nodes/${n3.id}`, { note: 'x', version: n3.version + 5 });
  assert.equal(r.status, 409);
  // a town may not touch another town's nodes; the unit responsible for a node records its progress
  r = await guihua.patch(`/api/v1/nodes/${n3.id}`, { note: '越权', version: n3.version });
  assert.equal(r.status, 403);
  r = await huaju.patch(`/api/v1/nodes/${nodes[5].id}`, { planned_date: '2027-12-01', version: 1 });
  assert.equal(r.status, 403);
  r = await huaju.patch(`/api/v1/nodes/${nodes[5].id}`, { note: '设备已进场', version: 1 });
  assert.equal(r.status, 200, JSON.stringify(r.body));

  // a single node
  r = await office.post(`/api/v1/projects/${p.id}/nodes`, { name: '设备安装', kind: 'other', planned_date: addDays(nodes[8].planned_date, 30),
    depends_on: nodes[8].id, person: '张三', unit_id: U.zrzy });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.seq, 10);
  assert.equal(r.body.unit_name, '荷塘区自然资源分局');
  r = await office.del(`/api/v1/nodes/${r.body.id}`);
  assert.equal(r.status, 204);

  // baseline freeze, then a slip of 10 working days
  assert.equal(nodes[6].slip_days, null);
  r = await jinshan.post(`/api/v1/projects/${p.id}/baseline`);
  assert.equal(r.status, 403);
  r = await office.post(`/api/v1/projects/${p.id}/baseline`);
  assert.equal(r.status, 200);
  assert.equal(r.body.nodes, 9);
  r = await office.get(`/api/v1/projects/${p.id}/nodes`);
  const frozen = r.body.items;
  // 偏差 against the baseline runs to today for an open node past its planned date
  // (issue 20 #10), so right after the freeze only those overdue nodes show a slip
  const between = async (from, to) => (await office.get(`/api/v1/calendar/working-days-between?from=${from}&to=${to}`)).body.days;
  const expectedSlip = async (n) => between(n.baseline_date, n.actual_date || (n.planned_date < chinaToday() ? chinaToday() : n.planned_date));
  assert.ok(frozen.every((n) => n.baseline_date === n.planned_date));
  for (const n of frozen) assert.equal(n.slip_days, await expectedSlip(n), `node ${n.seq}`);
  const n6 = frozen[6];
  const later = (await office.get(`/api/v1/calendar/add-working-days?from=${n6.planned_date}&days=10`)).body.date;
  r = await office.patch(`/api/v1/nodes/${n6.id}`, { planned_date: later, version: n6.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.baseline_date, n6.planned_date);
  assert.equal(r.body.slip_days, later < chinaToday() ? await expectedSlip(r.body) : 10);
  // year-wide baseline
  r = await office.post('/api/v1/baseline', { year });
  assert.equal(r.status, 200);
  assert.ok(r.body.nodes > 100);
  r = await office.get(`/api/v1/projects/${p.id}/nodes`);
  assert.equal(r.body.items[6].slip_days, await expectedSlip(r.body.items[6]));
  if (r.body.items[6].planned_date >= chinaToday()) assert.equal(r.body.items[6].slip_days, 0);
  r = await office.get(`/api/v1/projects/${p.id}/history?per_page=50`);
  assert.ok(r.body.items.some((e) => e.action === 'baseline'));
  assert.ok(r.body.items.some((e) => e.entity === 'node' && e.action === 'update'));
  assert.ok(r.body.items.some((e) => e.action === 'apply_template'));

  // templates: admin/office edit them with a version
  r = await office.post('/api/v1/node-templates', { category: '产业项目', name: `快速${process.pid}`, steps: [{ name: '开工', kind: 'start', duration_days: 3 }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const t2 = r.body;
  r = await office.patch(`/api/v1/node-templates/${t2.id}`, { steps: [{ name: '开工', kind: 'start', duration_days: 0 }, { name: '投产', kind: 'bogus', duration_days: 2 }], version: 1 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['steps[1].kind']);
  r = await jinshan.del(`/api/v1/node-templates/${t2.id}`);
  assert.equal(r.status, 403);
  r = await office.del(`/api/v1/node-templates/${t2.id}`);
  assert.equal(r.status, 204);
  assertRollups(server); // the roll-ups kept with these writes agree with the facts
});

test('node lights and project lights follow the thresholds', async () => {
  let r = await office.put('/api/v1/settings/lights', { yellow_days: 7, red_lag: 100, yellow_lag: 100 });
  assert.equal(r.status, 403);
  r = await admin.put('/api/v1/settings/lights', { yellow_days: 7, red_lag: 10, yellow_lag: 20 });
  assert.equal(r.status, 422);
  r = await admin.put('/api/v1/settings/lights', { yellow_days: 7, red_lag: 100, yellow_lag: 100 });
  assert.equal(r.status, 200);
  const today = chinaToday();
  const mk = async (planned) => {
    const p = await create(office, {});
    const n = await office.post(`/api/v1/projects/${p.id}/nodes`, { name: '开工', kind: 'start', planned_date: planned });
    assert.equal(n.status, 201);
    return { p: (await office.get(`/api/v1/projects/${p.id}`)).body, n: n.body };
  };
  const red = await mk(addDays(today, -1));
  assert.equal(red.n.light, 'red');
  assert.equal(red.p.light, 'red');
  assert.match(red.p.light_reasons[0], /^节点「开工」计划\d{4}-\d\d-\d\d，已逾期1天$/);
  const yellow7 = await mk(addDays(today, 7));
  assert.equal(yellow7.p.light, 'yellow');
  const yellow0 = await mk(today);
  assert.equal(yellow0.n.light, 'yellow');
  const green = await mk(addDays(today, 8));
  assert.equal(green.p.light, 'green');
  assert.deepEqual(green.p.light_reasons, []);
  // done nodes are green whatever their date
  r = await office.patch(`/api/v1/nodes/${red.n.id}`, { actual_date: today, version: red.n.version });
  assert.equal(r.body.light, 'green');
  r = await office.get(`/api/v1/projects/${red.p.id}`);
  assert.equal(r.body.light, 'green');
  r = await admin.put('/api/v1/settings/lights', { yellow_days: 10 });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { yellow_days: 10, red_lag: 100, yellow_lag: 100 });
  r = await office.get(`/api/v1/projects/${green.p.id}`);
  assert.equal(r.body.light, 'yellow');
  r = await admin.put('/api/v1/settings/lights', { yellow_days: 7 });
  assertRollups(server); // the roll-ups kept with these writes agree with the facts
});

test('battle map: grouping, lights, filters', async () => {
  await admin.put('/api/v1/settings/lights', { yellow_days: 7, red_lag: 100, yellow_lag: 100 });
  let r = await leader.get('/api/v1/battlemap');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const bm = r.body;
  assert.equal(bm.today, chinaToday());
  assert.equal(bm.year, year);
  assert.ok(bm.total >= 100, `total ${bm.total}`);
  const ps = bm.groups.flatMap((g) => g.projects);
  assert.equal(ps.length, bm.total);
  assert.equal(bm.lights.red + bm.lights.yellow + bm.lights.green, bm.total);
  assert.ok(bm.lights.red > 0 && bm.lights.yellow > 0 && bm.lights.green > 0, JSON.stringify(bm.lights));
  const rank = { green: 0, yellow: 1, red: 2 };
  for (const p of ps) {
    // with the lag thresholds at 100 the project light is its worst node light
    const worst = p.nodes.reduce((w, n) => Math.max(w, rank[n.light]), 0);
    assert.equal(rank[p.light], worst, p.code);
    assert.equal(p.light_reasons.length, p.nodes.filter((n) => n.light !== 'green').length);
    for (const n of p.nodes) {
      const expect = n.actual_date ? 'green' : n.planned_date < bm.today ? 'red' : n.planned_date <= addDays(bm.today, 7) ? 'yellow' : 'green';
      assert.equal(n.light, expect, `${p.code} ${n.name}`);
    }
  }
  for (const g of bm.groups) assert.ok(g.projects.every((p) => p.unit_name === g.label));
  assert.equal(new Set(bm.groups.map((g) => g.key)).size, bm.groups.length);

  r = await leader.get('/api/v1/battlemap?light=red&group=leader');
  assert.ok(r.body.groups.every((g) => g.projects.every((p) => p.light === 'red' && (p.leader_name || '未指定联系领导') === g.label)));
  assert.equal(r.body.total, bm.lights.red);
  r = await leader.get(`/api/v1/battlemap?group=chain&chain=${encodeURIComponent('新材料')}`);
  assert.ok(r.body.groups.length === 1 && r.body.groups[0].label === '新材料');
  r = await leader.get(`/api/v1/battlemap?unit=${U.sany}&level=province&year=${year - 1}`);
  assert.ok(r.body.total >= 1);
  assert.ok(r.body.groups.flatMap((g) => g.projects).every((p) => p.level === 'province' && p.unit_name.startsWith('三一指挥部')));
  // a town sees its own projects only
  r = await guihua.get('/api/v1/battlemap');
  assert.ok(r.body.groups.every((g) => g.label === '桂花街道'));
  assert.equal(bm.truncated, false);
  r = await leader.get('/api/v1/battlemap?limit=5');
  assert.equal(r.body.groups.flatMap((g) => g.projects).length, 5);
  assert.equal(r.body.total, bm.total);
  assert.deepEqual(r.body.lights, bm.lights);
  assert.equal(r.body.truncated, true);
  r = await leader.get('/api/v1/battlemap?group=floor');
  assert.equal(r.status, 422);
  await admin.put('/api/v1/settings/lights', { yellow_days: 7, red_lag: 20, yellow_lag: 10 });
});

// ---- automatic project codes (issue 20, "Missing: lists") ----
const autoHead = () => `HT-${year}-`;
const autoNo = (code) => {
  assert.match(code, new RegExp(`^${autoHead()}\\d{3,}$`), `an assigned code: ${code}`);
  return Number(code.slice(autoHead().length));
};

test('a project created without a code gets the next code of the year in the office form HT-<year>-NNN; an empty code too', async () => {
  // no code key at all (JSON leaves out undefined)
  const a = await create(office, { code: undefined });
  const n = autoNo(a.code);
  const b = await create(office, { ...body(), code: '' });
  assert.equal(autoNo(b.code), n + 1);
  const c = await create(office, { ...body(), code: null });
  assert.equal(autoNo(c.code), n + 2);
  const r = await office.get(`/api/v1/projects/${c.id}`);
  assert.equal(r.body.code, c.code);
  // the audit entry of the create carries the assigned code
  const audit = await admin.get(`/api/v1/audit?entity=project&entity_id=${c.id}`);
  assert.equal(audit.status, 200, JSON.stringify(audit.body));
  const entry = (audit.body.items || []).find((x) => x.action === 'create' && Number(x.entity_id) === c.id);
  assert.ok(entry, 'an audit entry for the create');
  assert.match(JSON.stringify(entry), new RegExp(c.code));
});

test('a code typed by hand is kept; one of the HT-<year>-NNN form moves the automatic numbering past it', async () => {
  const a = await create(office, { ...body(), code: undefined });
  const n = autoNo(a.code);
  const typed = `${autoHead()}${String(n + 40).padStart(3, '0')}`;
  const t = await create(office, { ...body(), code: typed });
  assert.equal(t.code, typed);
  const b = await create(office, { ...body(), code: undefined });
  assert.equal(autoNo(b.code), n + 41);
  const own = await create(office, body());
  assert.match(own.code, /^PT-/);
  // a typed code that exists is still refused, naming the field
  const r = await office.post('/api/v1/projects', { ...body(), code: typed });
  assert.equal(r.status, 409);
  assert.deepEqual(fields(r), ['code']);
});

test('a town creating its reserve project without a code gets one too', async () => {
  const p = await create(jinshan, { ...body(), code: undefined, stage: 'reserve', level: 'district', unit_id: U.jinshan });
  autoNo(p.code);
});

test('eight projects created at once without a code each get their own code, consecutive, none refused', async () => {
  const res = await Promise.all(Array.from({ length: 8 }, () => office.post('/api/v1/projects', { ...body(), code: undefined })));
  for (const r of res) assert.equal(r.status, 201, JSON.stringify(r.body));
  const nos = res.map((r) => autoNo(r.body.code)).sort((x, y) => x - y);
  assert.equal(new Set(nos).size, 8, `distinct codes: ${nos}`);
  assert.equal(nos[7] - nos[0], 7, `consecutive: ${nos}`);
});

test('an update may not empty a project code', async () => {
  const p = await create(office, { ...body(), code: undefined });
  const r = await office.patch(`/api/v1/projects/${p.id}`, { code: '', version: p.version });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['code']);
});
