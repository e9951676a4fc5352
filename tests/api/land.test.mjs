// land.test.mjs — land acquisition (征拆): the ledger, compensation items and partial
// payments to the fen, every refused move of the sequence rule with the message naming
// what is missing, progress (4191.26 of 4291.26 亩 → 97.67), ID numbers and phones masked
// in JSON and exports with audited reveals for land staff only, scope (another unit's
// households are 404 and not writable), bad input refused with field-named bilingual
// errors, hard cases, the public disclosure and its PDF, and the XLSX import (all or
// nothing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fields, TODAY, addDays, monthOf, assertRollups } from './lib.mjs';
import { xlsx, unzipText, pdfText, idNumber } from './land_helpers.mjs';

let server, office, admin, sany, guihua, enterprise, leader, anon;
let sanyUnit, guihuaUnit;
const ID1 = idNumber('43020319800101123'); // 430203198001011235
const ID2 = idNumber('43020219751212002');

before(async () => {
  server = await startServer();
  [office, admin, sany, guihua, enterprise, leader] = await Promise.all(
    ['office', 'admin', 'sany', 'guihua', 'enterprise', 'leader'].map((w) => server.login(w)));
  anon = server.client();
  sanyUnit = (await sany.get('/api/v1/me')).body.user.unit_id;
  guihuaUnit = (await guihua.get('/api/v1/me')).body.user.unit_id;
});
after(async () => { await server?.stop(); });

let seq = 0;
async function newProject(unit = sanyUnit, extra = {}) {
  const r = await office.post('/api/v1/projects', {
    code: `LAND-T-${++seq}`, name: `征拆测试项目${seq}`, level: 'district', category: '产业项目', unit_id: unit, ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function household(c, project, extra = {}) {
  const r = await c.post(`/api/v1/projects/${project}/households`, {
    village: '石塘村', group: '三组', head_name: '张三', id_number: ID1, phone: '13807331234',
    land_mu: { collective: '2.50' }, houses: 1, house_area_m2: 120.5, ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const item = (c, hh, kind, amount) => c.post(`/api/v1/households/${hh}/items`, amount === undefined ? { kind } : { kind, amount });
const pay = (c, hh, item_id, amount, paid_on = TODAY) => c.post(`/api/v1/households/${hh}/payments`, { item_id, amount, paid_on });
const move = (c, hh, to) => c.post(`/api/v1/households/${hh}/transitions`, { to });

test('a household is created with its land by kind, state surveyed, ID number and phone masked', async () => {
  const p = await newProject();
  const h = await household(sany, p.id, { land_mu: { collective: '2.50', state: 1.25 } });
  assert.equal(h.state, 'surveyed');
  assert.equal(h.state_name, '已调查');
  assert.equal(h.id_number, '430203********1235');
  assert.equal(h.phone, '138****1234');
  assert.deepEqual(h.land_mu, { collective: '2.50', state: '1.25' });
  assert.equal(h.total_mu, '3.75');
  assert.equal(h.house_area_m2, '120.50');
  assert.equal(h.group, '三组');
  assert.ok(!JSON.stringify(h).includes(ID1));
  const got = await sany.get(`/api/v1/households/${h.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.id_number, '430203********1235');
  assert.equal(got.body.history.length, 1);
  assert.equal(got.body.history[0].to_state, 'surveyed');
  const list = await office.get(`/api/v1/projects/${p.id}/households`);
  assert.equal(list.body.total, 1);
  assert.ok(!JSON.stringify(list.body).includes(ID1) && !JSON.stringify(list.body).includes('13807331234'));
});

test('every refused move of the sequence rule names what is missing', async () => {
  const p = await newProject();
  const h = await household(sany, p.id);
  // surveyed: nothing to value yet
  let r = await move(sany, h.id, 'valued');
  assert.equal(r.status, 422);
  assert.match(r.body.detail, /尚未录入任何补偿项 \/ no compensation item/);
  assert.deepEqual(fields(r), ['to']);
  r = await move(sany, h.id, 'signed');
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /未评估不能签约/);
  r = await move(sany, h.id, 'demolished');
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /未签约不能倒房.*only after signing/);
  r = await move(sany, h.id, 'handed_over');
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /未签约不能交地/);
  // an item without an amount blocks signing, named by kind and id
  const land = (await item(sany, h.id, 'land', '50000')).body;
  const crops = (await item(sany, h.id, 'crops')).body;
  assert.equal(crops.amount, null);
  assert.equal((await move(sany, h.id, 'valued')).status, 200);
  r = await move(sany, h.id, 'signed');
  assert.equal(r.status, 422);
  assert.ok(r.body.detail.includes(`补偿项「青苗补偿」(#${crops.id})尚未录入金额`), r.body.detail);
  assert.ok(r.body.detail.includes(`crops (#${crops.id}) has no amount`));
  r = await move(sany, h.id, 'demolished');
  assert.equal(r.status, 409);
  assert.equal((await sany.patch(`/api/v1/households/${h.id}/items/${crops.id}`, { amount: '3200.50' })).status, 200);
  assert.equal((await move(sany, h.id, 'signed')).status, 200);
  // after signing the items are fixed
  r = await item(sany, h.id, 'other', 10);
  assert.equal(r.status, 409);
  // a house stands: no handover before demolition
  r = await move(sany, h.id, 'handed_over');
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /房屋1栋，倒房后方可交地/);
  assert.equal((await move(sany, h.id, 'demolished')).status, 200);
  // handover needs every item paid in full, naming the amount still owed
  assert.equal((await pay(sany, h.id, land.id, '50000')).status, 201);
  assert.equal((await pay(sany, h.id, crops.id, '3000')).status, 201);
  r = await move(sany, h.id, 'handed_over');
  assert.equal(r.status, 422);
  assert.ok(r.body.detail.includes(`补偿项「青苗补偿」(#${crops.id})尚欠200.50元未支付`), r.body.detail);
  assert.ok(r.body.detail.includes('still owes 200.50 yuan'));
  assert.equal((await pay(sany, h.id, crops.id, '200.50')).status, 201);
  r = await move(sany, h.id, 'handed_over');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'handed_over');
  assert.equal(r.body.handed_over_on, TODAY);
  assert.deepEqual(r.body.history.map((e) => e.to_state), ['surveyed', 'valued', 'signed', 'demolished', 'handed_over']);
  // nothing after the end, nothing backwards
  r = await move(sany, h.id, 'signed');
  assert.equal(r.status, 409);
  r = await move(sany, h.id, 'bogus');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['to']);
});

test('a parcel without houses goes from signed straight to handed over', async () => {
  const p = await newProject();
  const h = await household(sany, p.id, { houses: 0, house_area_m2: 0 });
  const it = (await item(sany, h.id, 'land', 1000)).body;
  for (const to of ['valued', 'signed']) assert.equal((await move(sany, h.id, to)).status, 200);
  assert.equal((await pay(sany, h.id, it.id, 1000)).status, 201);
  assert.equal((await move(sany, h.id, 'handed_over')).status, 200);
});

test('partial payments add up to the due amount to the fen; never more, never before signing, never in the future', async () => {
  const p = await newProject();
  const h = await household(sany, p.id);
  const it = (await item(sany, h.id, 'facilities', '12345.67')).body;
  let r = await pay(sany, h.id, it.id, '100');
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /签约后方可支付/);
  await move(sany, h.id, 'valued');
  await move(sany, h.id, 'signed');
  for (const [amount, day] of [['0.01', addDays(TODAY, -30)], ['12000', addDays(TODAY, -2)], [345.65, TODAY]]) {
    r = await pay(sany, h.id, it.id, amount, day);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  assert.equal(r.body.item.paid, '12345.66');
  assert.equal(r.body.item.owed, '0.01');
  r = await pay(sany, h.id, it.id, '0.02');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['amount']);
  assert.match(r.body.errors[0].message, /超过该项尚欠金额0\.01元 \/ more than the 0\.01 yuan/);
  r = await pay(sany, h.id, it.id, '0.01');
  assert.equal(r.status, 201);
  const got = (await sany.get(`/api/v1/households/${h.id}`)).body;
  assert.equal(got.due, '12345.67');
  assert.equal(got.paid, '12345.67');
  assert.equal(got.owed, '0.00');
  assert.equal(got.payments.length, 4);
  assert.equal(got.payments.map((x) => Math.round(Number(x.amount) * 100)).reduce((a, b) => a + b), 1234567);
  r = await pay(sany, h.id, it.id, '1', addDays(TODAY, 1));
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['paid_on']);
  r = await pay(sany, h.id, 999999, '1');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['item_id']);
});

test('bad input is refused with field-named bilingual errors', async () => {
  const p = await newProject();
  let r = await sany.post(`/api/v1/projects/${p.id}/households`, {
    village: '', head_name: '李四', id_number: '430203198001011234', phone: '12345',
    land_mu: { collective: '-1', forest: '2' }, houses: -1,
  });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['houses', 'id_number', 'land_mu.collective', 'land_mu.forest', 'phone', 'village'].sort());
  assert.ok(r.body.errors.every((e) => / \/ /.test(e.message)));
  assert.match(r.body.errors.find((e) => e.field === 'id_number').message, /校验码.*check digit/);
  // a birth date that does not exist
  r = await sany.post(`/api/v1/projects/${p.id}/households`, { village: 'a', head_name: 'b', id_number: idNumber('43020319900229123') });
  assert.deepEqual(fields(r), ['id_number']);
  r = await sany.post(`/api/v1/projects/${p.id}/households`, { village: 'a', head_name: 'b', surveyed_on: addDays(TODAY, 1) });
  assert.deepEqual(fields(r), ['surveyed_on']);
  r = await sany.post(`/api/v1/projects/${p.id}/households`, { village: 'a', head_name: 'b', nickname: 'x' });
  assert.equal(r.status, 400);
  const h = await household(sany, p.id);
  r = await item(sany, h.id, 'land', -5);
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['amount']);
  assert.match(r.body.errors[0].message, /不能为负 \/ amount must not be negative/);
  r = await item(sany, h.id, 'land', '10000000000000.01');
  assert.equal(r.status, 422);
  assert.match(r.body.errors[0].message, /10万亿元.*10 trillion/);
  assert.equal((await item(sany, h.id, 'land', '10000000000000')).status, 201);
  r = await item(sany, h.id, 'bribe', 1);
  assert.deepEqual(fields(r), ['kind']);
  r = await sany.post(`/api/v1/households/${h.id}/payments`, { item_id: 'x', amount: 'abc', paid_on: '2026-02-30' });
  assert.deepEqual(fields(r).sort(), ['amount', 'item_id', 'paid_on']);
});

test('progress: 4191.26 of 4291.26 亩 acquired → 97.67; the cards add up', async () => {
  const p = await newProject();
  let r = await office.patch(`/api/v1/projects/${p.id}`, { land_plan_mu: '4291.26', version: p.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.land_plan_mu, '4291.26');
  const a = await household(sany, p.id, { land_mu: { collective: '4000.00', state: '191.26' }, houses: 0 });
  const b = await household(sany, p.id, { village: '湾塘村', land_mu: { collective: '100' }, houses: 2 });
  const c = await household(sany, p.id, { village: '湾塘村', land_mu: { collective: '0.5' } });
  const ia = (await item(sany, a.id, 'land', '1000000.10')).body;
  await item(sany, b.id, 'land', '2000.00');
  for (const to of ['valued', 'signed']) {
    assert.equal((await move(sany, a.id, to)).status, 200);
    assert.equal((await move(sany, b.id, to)).status, 200);
  }
  await pay(sany, a.id, ia.id, '1000000.10');
  assert.equal((await move(sany, a.id, 'handed_over')).status, 200);
  r = await leader.get(`/api/v1/projects/${p.id}/land-progress`);
  assert.equal(r.status, 200);
  const g = r.body;
  assert.equal(g.planned_mu, '4291.26');
  assert.equal(g.acquired_mu, '4191.26');
  assert.equal(g.acquired_rate, '97.67');
  assert.deepEqual([g.households, g.signed, g.demolished, g.handed_over], [3, 2, 1, 1]);
  assert.equal(g.due, '1002000.10');
  assert.equal(g.paid, '1000000.10');
  assert.equal(g.owed, '2000.00');
  assert.equal(g.start_on, TODAY);
  assert.equal(g.days, 0);
  assert.deepEqual(g.villages.map((v) => [v.village, v.households]), [['湾塘村', 2], ['石塘村', 1]]);
  assert.equal(g.villages.reduce((s, v) => s + v.households, 0), g.households);
  // the campaign chart ends with the same totals
  r = await office.get(`/api/v1/projects/${p.id}/land-campaign`);
  assert.equal(r.status, 200);
  const last = r.body.days.at(-1);
  assert.deepEqual([last.date, last.signed_total, last.handed_over_total, last.paid_total], [TODAY, 2, 1, '1000000.10']);
  // district-wide includes this project
  r = await office.get('/api/v1/land-progress');
  assert.equal(r.status, 200);
  const mine = r.body.by_project.find((x) => x.project_id === p.id);
  assert.equal(mine.acquired_rate, '97.67');
  assert.ok(r.body.by_unit.some((u) => u.unit_id === sanyUnit));
  // a bad plan
  r = await office.patch(`/api/v1/projects/${p.id}`, { land_plan_mu: '-3', version: (await office.get(`/api/v1/projects/${p.id}`)).body.version });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['land_plan_mu']);
});

test('scope: another unit\'s and another enterprise\'s households are invisible (404) and not writable', async () => {
  const p = await newProject();
  const h = await household(sany, p.id);
  for (const c of [guihua, enterprise]) {
    assert.equal((await c.get(`/api/v1/households/${h.id}`)).status, 404);
    assert.equal((await c.get(`/api/v1/projects/${p.id}/households`)).status, 404);
    assert.equal((await c.get(`/api/v1/projects/${p.id}/land-progress`)).status, 404);
    const list = await c.get('/api/v1/households?per_page=500');
    assert.equal(list.status, 200);
    assert.ok(!list.body.items.some((x) => x.id === h.id));
    const r = await move(c, h.id, 'valued');
    assert.ok([403, 404].includes(r.status));
    assert.ok([403, 404].includes((await item(c, h.id, 'land', 1)).status));
  }
  assert.ok([403, 404].includes((await guihua.post(`/api/v1/projects/${p.id}/households`, { village: 'x', head_name: 'y' })).status));
  // the leader reads, but does not write
  assert.equal((await leader.get(`/api/v1/households/${h.id}`)).status, 200);
  assert.equal((await move(leader, h.id, 'valued')).status, 403);
  // the public never reads the ledger
  assert.equal((await anon.get(`/api/v1/households/${h.id}`)).status, 401);
  // guihua's own project is theirs
  const q = await newProject(guihuaUnit);
  const mine = await household(guihua, q.id, { head_name: '桂花户' });
  assert.equal((await sany.get(`/api/v1/households/${mine.id}`)).status, 404);
});

test('unmasked reads are for land staff only, each audited; exports stay masked', async () => {
  const p = await newProject();
  const h = await household(sany, p.id, { id_number: ID2, phone: '07312345678' });
  const sanyId = (await sany.get('/api/v1/me')).body.user.id;
  // the demo makes sany land staff: start without
  assert.equal((await admin.del(`/api/v1/land-staff/${sanyId}`)).status, 204);
  let r = await sany.get(`/api/v1/households/${h.id}?reveal=1`);
  assert.equal(r.status, 403);
  r = await office.get(`/api/v1/households/${h.id}?reveal=1`);
  assert.equal(r.status, 403);
  assert.equal((await sany.put(`/api/v1/land-staff/1`, {})).status, 403);
  assert.equal((await admin.put(`/api/v1/land-staff/${sanyId}`, {})).status, 200);
  assert.ok((await admin.get('/api/v1/land-staff')).body.items.some((s) => s.user_id === sanyId));
  r = await sany.get(`/api/v1/households/${h.id}`);
  assert.equal(r.body.id_number, `${ID2.slice(0, 6)}********${ID2.slice(-4)}`);
  assert.equal(r.body.can_reveal, true);
  r = await sany.get(`/api/v1/households/${h.id}?reveal=1`);
  assert.equal(r.status, 200);
  assert.equal(r.body.id_number, ID2);
  assert.equal(r.body.phone, '07312345678');
  const audit = await admin.get(`/api/v1/audit?entity=land_household&entity_id=${h.id}&action=read`);
  assert.equal(audit.status, 200);
  assert.equal(audit.body.items.length, 1);
  assert.equal(audit.body.items[0].user_id, sanyId);
  assert.deepEqual(audit.body.items[0].after, { revealed: ['id_number', 'phone'] });
  // a land staff member out of the project's scope still cannot
  const guihuaId = (await guihua.get('/api/v1/me')).body.user.id;
  await admin.put(`/api/v1/land-staff/${guihuaId}`, {});
  assert.equal((await guihua.get(`/api/v1/households/${h.id}?reveal=1`)).status, 404);
  // exports: masked in XLSX and CSV
  r = await sany.get(`/api/v1/projects/${p.id}/households?format=xlsx&columns=${encodeURIComponent('head_name:户主,id_number:身份证号,phone:电话')}`);
  assert.equal(r.status, 200);
  const text = unzipText(r.body);
  assert.ok(text.includes('********'), 'masked ID in the XLSX');
  assert.ok(!text.includes(ID2) && !text.includes('07312345678'));
  r = await sany.get(`/api/v1/projects/${p.id}/households?format=csv&columns=id_number:身份证号`);
  assert.ok(!r.body.toString().includes(ID2));
  assert.equal((await admin.del(`/api/v1/land-staff/${sanyId}`)).status, 204);
  assert.equal((await sany.get(`/api/v1/households/${h.id}?reveal=1`)).status, 403);
  assert.equal((await admin.put(`/api/v1/land-staff/${sanyId}`, {})).status, 200);
});

test('ledger filters by village and state, sorts, pages and edits with versions', async () => {
  const p = await newProject();
  const a = await household(sany, p.id, { village: '东村', head_name: '甲' });
  await household(sany, p.id, { village: '东村', head_name: '乙' });
  await household(sany, p.id, { village: '西村', head_name: '丙' });
  await item(sany, a.id, 'land', 1);
  await move(sany, a.id, 'valued');
  let r = await office.get(`/api/v1/households?project=${p.id}&village=${encodeURIComponent('东村')}`);
  assert.equal(r.body.total, 2);
  r = await office.get(`/api/v1/households?project=${p.id}&state=valued`);
  assert.deepEqual(r.body.items.map((x) => x.head_name), ['甲']);
  r = await office.get(`/api/v1/projects/${p.id}/households?sort=-head_name&per_page=2&page=2`);
  assert.equal(r.body.total, 3);
  assert.equal(r.body.items.length, 1);
  r = await office.get(`/api/v1/households?state=gone`);
  assert.equal(r.status, 422);
  const cur = (await sany.get(`/api/v1/households/${a.id}`)).body;
  r = await sany.patch(`/api/v1/households/${a.id}`, { notes: '户主外出务工', version: cur.version });
  assert.equal(r.status, 200);
  assert.equal(r.body.notes, '户主外出务工');
  r = await sany.patch(`/api/v1/households/${a.id}`, { notes: '再改', version: cur.version });
  assert.equal(r.status, 409);
  r = await sany.patch(`/api/v1/households/${a.id}`, { notes: '无版本' });
  assert.equal(r.status, 428);
});

test('hard cases: raised on a household, decided by the leading group at a recorded meeting', async () => {
  const p = await newProject();
  const h = await household(sany, p.id);
  let r = await sany.post(`/api/v1/households/${h.id}/hard-cases`, { title: '对房屋面积认定有异议', description: '要求重新测量' });
  assert.equal(r.status, 201);
  const id = r.body.id;
  assert.equal(r.body.state, 'open');
  r = await office.get(`/api/v1/land-hard-cases?state=open&project=${p.id}`);
  assert.equal(r.body.total, 1);
  assert.equal((await office.get(`/api/v1/projects/${p.id}/land-progress`)).body.open_hard_cases, 1);
  r = await sany.post(`/api/v1/land-hard-cases/${id}/decision`, { meeting_on: TODAY, members: '甲', decision: 'x' });
  assert.equal(r.status, 403);
  r = await office.post(`/api/v1/land-hard-cases/${id}/decision`, { meeting_on: addDays(TODAY, 1), members: '', decision: '' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['decision', 'meeting_on', 'members']);
  r = await office.post(`/api/v1/land-hard-cases/${id}/decision`, {
    meeting_on: addDays(TODAY, -1), members: '王区长、李项目办、赵指挥', decision: '委托第三方重新测绘，按实测面积补偿',
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'decided');
  assert.equal(r.body.meeting_on, addDays(TODAY, -1));
  r = await office.post(`/api/v1/land-hard-cases/${id}/decision`, { meeting_on: TODAY, members: 'x', decision: 'y' });
  assert.equal(r.status, 409);
  assert.equal((await sany.get(`/api/v1/households/${h.id}`)).body.hard_cases[0].state, 'decided');
});

test('open hard cases are on the dispatch agenda next to the red projects; decided ones drop off when regenerated', async () => {
  const p = await newProject();
  const h = await household(sany, p.id, { village: '调度村', head_name: '议题户' });
  const c = await sany.post(`/api/v1/households/${h.id}/hard-cases`, { title: '对安置方案有异议', description: '要求货币安置' });
  assert.equal(c.status, 201);
  const meeting = (date) => office.post('/api/v1/dispatch/meetings', { kind: 'special', title: `征拆专题调度会${date}`, date });
  let m = await meeting(TODAY);
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const cases = m.body.agenda.filter((i) => i.kind === 'land_hard_case');
  const mine = cases.find((i) => i.project_id === p.id);
  assert.ok(mine, JSON.stringify(m.body.agenda.map((i) => i.kind)));
  assert.equal(mine.title, `疑难个案：${p.name} — 调度村 议题户户：对安置方案有异议`);
  assert.equal(mine.detail, `提出：${TODAY}。要求货币安置`);
  // the demo's three open 三一 cases are there too; the two decided ones are not
  assert.equal(cases.filter((i) => /三一智慧钢铁城/.test(i.title)).length, 3);
  assert.ok(!cases.some((i) => /兄弟分户争议|养殖场设施补偿标准/.test(i.title)));
  // right after the red projects, before the nodes
  const kinds = m.body.agenda.map((i) => i.kind);
  const firstCase = kinds.indexOf('land_hard_case');
  assert.ok(kinds.slice(0, firstCase).every((k) => k === 'red_project'));
  assert.ok(kinds.slice(firstCase).every((k) => k !== 'red_project'));
  // a meeting before the case was raised does not have it
  const earlier = await meeting(addDays(TODAY, -1));
  assert.ok(!earlier.body.agenda.some((i) => i.project_id === p.id));
  // decided: gone once the agenda is regenerated
  assert.equal((await office.post(`/api/v1/land-hard-cases/${c.body.id}/decision`, { meeting_on: TODAY, members: '甲、乙', decision: '按货币安置' })).status, 200);
  const r = await office.patch(`/api/v1/dispatch/meetings/${m.body.id}`, { regenerate: true, version: m.body.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  m = await office.get(`/api/v1/dispatch/meetings/${m.body.id}`);
  assert.ok(!m.body.agenda.some((i) => i.kind === 'land_hard_case' && i.project_id === p.id && !i.removed));
  assert.equal(m.body.agenda.filter((i) => i.kind === 'land_hard_case' && !i.removed).length, cases.length - 1);
});

test('disclosure: published villages only, readable without login, no ID numbers or phones; A4 PDF with the amounts', async () => {
  const p = await newProject();
  const a = await household(sany, p.id, { village: '龙头村', head_name: '王公示', id_number: ID1, phone: '13807339876' });
  await household(sany, p.id, { village: '龙头村', head_name: '刘公示', id_number: ID2 });
  await household(sany, p.id, { village: '未公示村', head_name: '陈未公示' });
  await item(sany, a.id, 'land', '81234.50');
  await item(sany, a.id, 'graves', '3000');
  let r = await anon.get(`/api/v1/projects/${p.id}/disclosure?village=${encodeURIComponent('龙头村')}`);
  assert.equal(r.status, 404);
  assert.equal((await sany.put(`/api/v1/projects/${p.id}/disclosure`, { village: '龙头村', published: true })).status, 403);
  r = await office.put(`/api/v1/projects/${p.id}/disclosure`, { village: '无此村', published: true });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['village']);
  r = await office.put(`/api/v1/projects/${p.id}/disclosure`, { village: '龙头村', published: true });
  assert.equal(r.status, 200);
  r = await anon.get(`/api/v1/projects/${p.id}/disclosure`);
  assert.deepEqual(r.body.villages.map((v) => v.village), ['龙头村']);
  r = await anon.get(`/api/v1/projects/${p.id}/disclosure?village=${encodeURIComponent('龙头村')}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.households, 2);
  assert.equal(r.body.total, '84234.50');
  const wang = r.body.items.find((x) => x.head_name === '王公示');
  assert.deepEqual([wang.land, wang.graves, wang.total, wang.collective_mu], ['81234.50', '3000.00', '84234.50', '2.50']);
  const text = JSON.stringify(r.body);
  for (const secret of [ID1, ID2, ID1.slice(-4) + '"', '13807339876', '9876', 'id_number', 'phone']) assert.ok(!text.includes(secret), secret);
  assert.equal((await anon.get(`/api/v1/projects/${p.id}/disclosure?village=${encodeURIComponent('未公示村')}`)).status, 404);
  r = await anon.get(`/api/v1/projects/${p.id}/disclosure?village=${encodeURIComponent('龙头村')}&format=pdf`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/pdf/);
  const pdf = pdfText(r.body);
  assert.match(pdf, /龙头村/);
  assert.match(pdf, /征地拆迁补偿公示/);
  assert.match(pdf, /王公示/);
  assert.match(pdf, /84234\.50/);
  assert.match(pdf, /共2户/);
  assert.ok(!pdf.includes(ID1.slice(6, 14)) && !pdf.includes('13807339876') && !pdf.includes(ID2.slice(-6)));
  // withdrawn: gone again
  assert.equal((await office.put(`/api/v1/projects/${p.id}/disclosure`, { village: '龙头村', published: false })).status, 200);
  assert.equal((await anon.get(`/api/v1/projects/${p.id}/disclosure?village=${encodeURIComponent('龙头村')}`)).status, 404);
});

const HEAD = ['村', '组', '户主', '身份证号', '电话', '集体土地(亩)', '国有土地(亩)', '房屋(栋)', '房屋面积(m²)', '备注'];
const XLSX_TYPE = { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

test('import of the survey spreadsheet: row-level errors leave nothing behind; a clean file creates every row', async () => {
  const p = await newProject();
  const bad = xlsx([HEAD,
    ['桥头村', '一组', '赵一', ID1, '13807330111', '1.50', '', 1, '98.5', ''],
    ['桥头村', '一组', '', '430203198001011234', '123', '-2', '', 'two', '', ''],
    ['桥头村', '二组', '钱三', '', '', 'abc', '0.5', 0, '', ''],
  ]);
  let r = await sany.post(`/api/v1/projects/${p.id}/households/import`, bad, XLSX_TYPE);
  assert.equal(r.status, 422, JSON.stringify(r.body));
  const got = r.body.errors.map((e) => `${e.row}:${e.column}`).sort();
  assert.deepEqual(got, ['3:户主', '3:房屋(栋)', '3:电话', '3:身份证号', '3:集体土地(亩)', '4:集体土地(亩)'].sort());
  assert.ok(r.body.errors.every((e) => / \/ /.test(e.message)));
  assert.equal((await sany.get(`/api/v1/projects/${p.id}/households`)).body.total, 0);
  const good = xlsx([HEAD,
    ['桥头村', '一组', '赵一', ID1, '13807330111', '1.50', '', 1, '98.5', '已入户'],
    ['桥头村', '二组', '钱二', '', '', '3', '0.5', 0, '', ''],
    ['', '', '', '', '', '', '', '', '', ''],
  ]);
  r = await sany.post(`/api/v1/projects/${p.id}/households/import`, good, XLSX_TYPE);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.created, 2);
  const list = (await sany.get(`/api/v1/projects/${p.id}/households?sort=id`)).body;
  assert.equal(list.total, 2);
  assert.deepEqual(list.items.map((h) => [h.head_name, h.total_mu, h.id_number]),
    [['赵一', '1.50', '430203********1235'], ['钱二', '3.50', null]]);
  assert.equal((await guihua.post(`/api/v1/projects/${p.id}/households/import`, good, XLSX_TYPE)).status, 404);
  r = await sany.post(`/api/v1/projects/${p.id}/households/import`, 'not a spreadsheet\x00\x01', { 'Content-Type': 'text/csv' });
  assert.ok([400, 422].includes(r.status));
});

// A square-ish parcel near 仙庾镇 of `m2` square metres, `wide` times wider than tall.
function square(m2, wide = 1, lng = 113.21, lat = 27.86) {
  const r = 6371008.8 * Math.PI / 180, side = Math.sqrt(m2);
  const dlat = side / r, dlng = side * wide / (r * Math.cos(lat * Math.PI / 180));
  return { type: 'Polygon', coordinates: [[[lng, lat], [lng + dlng, lat], [lng + dlng, lat + dlat], [lng, lat + dlat], [lng, lat]]] };
}

test('parcels: the project\'s outlines as a FeatureCollection with state, village, area and the 5 % flag; scope as the ledger', async () => {
  const p = await newProject();
  // 2.50 亩 = 1666.67 m²: drawn to the metre, 3 % wider (within 5 %), and 10 % wider (flagged)
  const exact = await household(sany, p.id, { head_name: '图斑一', geojson: square(1666.67) });
  const near = await household(sany, p.id, { head_name: '图斑二', village: '湾塘村', geojson: square(1666.67, 1.03, 113.22) });
  const off = await household(sany, p.id, { head_name: '图斑三', geojson: { type: 'Feature', properties: {}, geometry: square(1666.67, 1.10, 113.23) } });
  await household(sany, p.id, { head_name: '无图斑' });
  assert.equal(off.area_mismatch, true);
  const r = await office.get(`/api/v1/projects/${p.id}/parcels`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.type, 'FeatureCollection');
  assert.equal(r.body.households, 4);
  assert.equal(r.body.without_outline, 1);
  assert.equal(r.body.features.length, 3);
  const by = Object.fromEntries(r.body.features.map((f) => [f.properties.id, f]));
  for (const f of r.body.features) {
    assert.equal(f.type, 'Feature');
    assert.equal(f.id, f.properties.id);
    assert.equal(f.geometry.type, 'Polygon');
    assert.equal(f.properties.state, 'surveyed');
    assert.equal(f.properties.state_name, '已调查');
    assert.equal(f.properties.total_mu, '2.50');
    assert.ok(!JSON.stringify(f).includes(ID1) && !JSON.stringify(f).includes('13807331234'));
  }
  assert.equal(by[exact.id].properties.area_mismatch, false);
  assert.ok(Math.abs(by[exact.id].properties.outline_mu - 2.5) < 0.01);
  assert.equal(by[near.id].properties.area_mismatch, false);
  assert.equal(by[near.id].properties.village, '湾塘村');
  assert.equal(by[off.id].properties.area_mismatch, true);
  assert.ok(Math.abs(by[off.id].properties.outline_mu - 2.75) < 0.01);
  // the state follows the household
  const hh = off.id;
  const it = await item(sany, hh, 'land', 1000);
  assert.equal(it.status, 201, JSON.stringify(it.body));
  assert.equal((await move(sany, hh, 'valued')).status, 200);
  const again = await sany.get(`/api/v1/projects/${p.id}/parcels`);
  assert.equal(again.body.features.find((f) => f.id === hh).properties.state, 'valued');
  // scope: another unit's, another enterprise's project is 404; the leader reads; the public does not
  for (const c of [guihua, enterprise]) assert.equal((await c.get(`/api/v1/projects/${p.id}/parcels`)).status, 404);
  assert.equal((await leader.get(`/api/v1/projects/${p.id}/parcels`)).status, 200);
  assert.equal((await anon.get(`/api/v1/projects/${p.id}/parcels`)).status, 401);
  assert.equal((await office.get('/api/v1/projects/999999/parcels')).status, 404);
});

test('demo parcels: every 三一 household has an outline, nine drawn more than 5 % off', async () => {
  const projects = (await office.get('/api/v1/projects?per_page=500')).body.items;
  const p = projects.find((x) => x.code === 'HT-2020-001');
  const r = await office.get(`/api/v1/projects/${p.id}/parcels`);
  assert.equal(r.status, 200);
  assert.equal(r.body.features.length, 320);
  assert.equal(r.body.without_outline, 0);
  assert.equal(r.body.features.filter((f) => f.properties.area_mismatch).length, 9);
  assert.deepEqual([...new Set(r.body.features.map((f) => f.properties.village))].sort(), ['双塘村', '湾塘村', '石塘村', '龙头铺村'].sort());
  const states = new Set(r.body.features.map((f) => f.properties.state));
  for (const s of ['surveyed', 'valued', 'signed', 'demolished', 'handed_over']) assert.ok(states.has(s), s);
});

test('demo: 三一智慧钢铁城 — 320 households, cards that add up; the 渌口-style project at 97.67 %', async () => {
  const projects = (await office.get('/api/v1/projects?per_page=500')).body.items;
  const sanyP = projects.find((p) => p.code === 'HT-2020-001');
  let g = (await office.get(`/api/v1/projects/${sanyP.id}/land-progress`)).body;
  assert.equal(g.planned_mu, '2400.00');
  assert.equal(g.households, 320);
  assert.deepEqual([g.signed, g.demolished, g.handed_over], [317, 312, 305]);
  assert.equal(g.acquired_mu, '2287.50');
  assert.equal(g.acquired_rate, '95.31');
  assert.equal(g.open_hard_cases, 3);
  assert.equal(g.villages.reduce((s, v) => s + v.households, 0), 320);
  for (const k of ['signed', 'demolished', 'handed_over']) assert.equal(g.villages.reduce((s, v) => s + v[k], 0), g[k]);
  const sum = (k) => g.villages.reduce((s, v) => s + Math.round(Number(v[k]) * 100), 0);
  assert.equal(sum('due'), Math.round(Number(g.due) * 100));
  assert.equal(sum('paid'), Math.round(Number(g.paid) * 100));
  // every household handed over is paid in full
  const ledger = (await office.get(`/api/v1/households?project=${sanyP.id}&state=handed_over&owing=1`)).body;
  assert.equal(ledger.total, 0);
  const hard = projects.find((p) => p.code === 'HT-2021-005');
  g = (await office.get(`/api/v1/projects/${hard.id}/land-progress`)).body;
  assert.deepEqual([g.planned_mu, g.acquired_mu, g.acquired_rate, g.households, g.handed_over], ['4291.26', '4191.26', '97.67', 120, 118]);
  // two villages of 三一 are published for the public
  const pub = (await anon.get(`/api/v1/projects/${sanyP.id}/disclosure`)).body;
  assert.deepEqual(pub.villages.map((v) => v.village).sort(), ['湾塘村', '石塘村'].sort());
});

// ---- the battle map and the monthly tasks take their actuals from the ledger ----

// A household taken through the sequence to `to`, each step on its day
// (days: {valued, signed, demolished, handed_over} as offsets from TODAY).
async function through(c, hh, to, days = {}) {
  const it = (await item(c, hh.id, 'land', '100.00')).body;
  const order = ['valued', 'signed', 'demolished', 'handed_over'];
  for (const step of order.slice(0, order.indexOf(to) + 1)) {
    if (step === 'demolished' && hh.houses === 0) continue;
    if (step === 'handed_over') assert.equal((await pay(c, hh.id, it.id, '100.00', addDays(TODAY, days.signed ?? 0))).status, 201);
    const r = await c.post(`/api/v1/households/${hh.id}/transitions`, { to: step, on: addDays(TODAY, days[step] ?? 0) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
}
async function landNode(project, extra = {}) {
  const r = await office.post(`/api/v1/projects/${project}/nodes`, {
    name: '征地拆迁', kind: 'land_acquisition', planned_date: addDays(TODAY, 30), ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const nodeOf = async (project, id) => (await office.get(`/api/v1/projects/${project}/nodes`)).body.items.find((n) => n.id === id);

test('a land-acquisition node shows the ledger\'s progress and is done on the day the last household is handed over', async () => {
  const p = await newProject();
  const node = await landNode(p.id);
  const other = (await office.post(`/api/v1/projects/${p.id}/nodes`, { name: '开工', kind: 'start', planned_date: addDays(TODAY, 60) })).body;
  assert.equal(node.land, null, 'no households and no plan yet: nothing to show');
  assert.equal(other.land, undefined, 'only land-acquisition nodes carry the ledger');
  const a = await household(sany, p.id, { land_mu: { collective: '2.00' }, surveyed_on: addDays(TODAY, -20) });
  const b = await household(sany, p.id, { land_mu: { collective: '3.00' }, houses: 0, surveyed_on: addDays(TODAY, -20) });
  await through(sany, a, 'handed_over', { valued: -10, signed: -9, demolished: -8, handed_over: -3 });
  let n = await nodeOf(p.id, node.id);
  assert.equal(n.actual_date, null, 'one household of two is not the acquisition done');
  assert.deepEqual(n.land, { households: 2, handed_over: 1, acquired_mu: '2.00', planned_mu: '0.00', acquired_rate: null, done: false });
  await through(sany, b, 'handed_over', { valued: -10, signed: -9, handed_over: -1 });
  n = await nodeOf(p.id, node.id);
  assert.equal(n.actual_date, addDays(TODAY, -1));
  assert.equal(n.light, 'green');
  assert.deepEqual(n.land, { households: 2, handed_over: 2, acquired_mu: '5.00', planned_mu: '0.00', acquired_rate: null, done: true });
  assert.equal((await nodeOf(p.id, other.id)).actual_date, null, 'other nodes are left alone');
  assertRollups(server); // the handover's node completion is in the project's roll-up
  // the battle map shows the same node with the ledger
  const bm = (await leader.get(`/api/v1/battlemap?unit=${sanyUnit}&limit=50000`)).body;
  const proj = bm.groups.flatMap((g) => g.projects).find((x) => x.id === p.id);
  const onMap = proj.nodes.find((x) => x.id === node.id);
  assert.equal(onMap.actual_date, addDays(TODAY, -1));
  assert.deepEqual(onMap.land, n.land);
});

test('with a plan, the land-acquisition node is done on the handover that brings the acquired land to the plan; a date set by hand stays', async () => {
  const p = await newProject();
  const r = await office.patch(`/api/v1/projects/${p.id}`, { land_plan_mu: '5.00', version: p.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const node = await landNode(p.id);
  const manual = await landNode(p.id, { name: '征地（手填）', actual_date: addDays(TODAY, -30) });
  const mk = (mu) => household(sany, p.id, { land_mu: { collective: mu }, houses: 0, surveyed_on: addDays(TODAY, -40) });
  const a = await mk('3.00'), b = await mk('2.00'), c = await mk('1.00');
  await through(sany, a, 'handed_over', { valued: -20, signed: -19, handed_over: -2 });
  let n = await nodeOf(p.id, node.id);
  assert.equal(n.actual_date, null);
  assert.deepEqual([n.land.acquired_mu, n.land.planned_mu, n.land.acquired_rate, n.land.done], ['3.00', '5.00', '60.00', false]);
  // b handed over later but dated earlier: by date, a's handover (day -2) reached the plan
  await through(sany, b, 'handed_over', { valued: -20, signed: -19, handed_over: -4 });
  n = await nodeOf(p.id, node.id);
  assert.equal(n.actual_date, addDays(TODAY, -2));
  assert.deepEqual([n.land.households, n.land.handed_over, n.land.acquired_mu, n.land.acquired_rate, n.land.done], [3, 2, '5.00', '100.00', true]);
  assert.equal((await nodeOf(p.id, manual.id)).actual_date, addDays(TODAY, -30));
  // the last household later does not move the date
  await through(sany, c, 'handed_over', { valued: -1, signed: -1, handed_over: 0 });
  assert.equal((await nodeOf(p.id, node.id)).actual_date, addDays(TODAY, -2));
});

test('monthly land and demolition tasks derived from the ledger count the land handed over and the houses demolished in their month', async () => {
  const p = await newProject();
  const month = monthOf(0), prev = monthOf(-1);
  const first = `${month}-01`;
  const day0 = -Math.round((Date.parse(`${TODAY}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 864e5); // the 1st as an offset from TODAY
  const mk = (mu, houses) => household(sany, p.id, { land_mu: { collective: mu }, houses, surveyed_on: addDays(first, -40) });
  const a = await mk('2.50', 2); // demolished and handed over this month
  const b = await mk('1.00', 1); // both last month
  const c = await mk('4.00', 3); // demolished this month, not handed over
  const d = await mk('7.00', 4); // signed only
  await through(sany, a, 'handed_over', { valued: day0 - 30, signed: day0 - 20, demolished: day0, handed_over: 0 });
  await through(sany, b, 'handed_over', { valued: day0 - 30, signed: day0 - 20, demolished: day0 - 3, handed_over: day0 - 1 });
  await through(sany, c, 'demolished', { valued: day0 - 30, signed: day0 - 20, demolished: 0 });
  await through(sany, d, 'signed', { valued: day0 - 30, signed: day0 - 20 });
  const task = async (m, kind, target) => {
    const r = await office.post('/api/v1/tasks', {
      unit_id: sanyUnit, month: m, kind, title: `${kind}任务`, target, source: 'derived', project_ids: [p.id],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const landTask = await task(month, 'land', '5.00');
  assert.deepEqual([landTask.state, landTask.counted_actual, landTask.actual, landTask.completed, landTask.ratio],
    ['derived', '2.50', '2.50', false, '50.00']);
  let t = await task(month, 'demolition', 5);
  assert.deepEqual([t.counted_actual, t.completed], ['5', true]);
  t = await task(prev, 'land', '1.00');
  assert.deepEqual([t.counted_actual, t.completed], ['1.00', true]);
  t = await task(prev, 'demolition', 2);
  assert.deepEqual([t.counted_actual, t.completed], ['1', false]);
  // the actual follows the ledger: d demolished and handed over today adds its land to this month's task
  const dd = (await sany.get(`/api/v1/households/${d.id}`)).body;
  for (const it of dd.items) assert.equal((await pay(sany, d.id, it.id, it.amount)).status, 201);
  assert.equal((await move(sany, d.id, 'demolished')).status, 200);
  assert.equal((await move(sany, d.id, 'handed_over')).status, 200);
  const later = (await office.get(`/api/v1/tasks/${landTask.id}`)).body;
  assert.deepEqual([later.counted_actual, later.completed], ['9.50', true]);
  // a derived land or demolition task needs its projects; a count task cannot be derived
  let r = await office.post('/api/v1/tasks', { unit_id: sanyUnit, month, kind: 'land', title: '征拆', target: '1', source: 'derived' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['project_ids']);
  assert.match(r.body.errors[0].message, /关联项目.*linked projects/);
  r = await office.post('/api/v1/tasks', { unit_id: sanyUnit, month, kind: 'count', title: '项目', target: 1, source: 'derived', project_ids: [p.id] });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['source']);
  // no actual may be entered on a derived land task
  r = await sany.patch(`/api/v1/tasks/${landTask.id}`, { actual: '3.00', version: landTask.version });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['actual']);
});

test('a payment\'s voucher: uploaded as the raw body, shown on the household\'s payment, readable in scope only; not an image or PDF is 415', async () => {
  const p = await newProject();
  const h = await household(sany, p.id, { houses: 0 });
  const it = (await item(sany, h.id, 'land', '500.00')).body;
  for (const to of ['valued', 'signed']) assert.equal((await move(sany, h.id, to)).status, 200);
  assert.equal((await pay(sany, h.id, it.id, '200.00')).status, 201);
  const payId = (await sany.get(`/api/v1/households/${h.id}`)).body.payments[0].id;
  let r = await sany.post(`/api/v1/land-payments/${payId}/voucher`, Buffer.from('plain text'), { 'Content-Type': 'text/plain' });
  assert.equal(r.status, 415);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  r = await guihua.post(`/api/v1/land-payments/${payId}/voucher`, pdf, { 'Content-Type': 'application/pdf' });
  assert.equal(r.status, 404, 'another unit does not see the payment');
  r = await sany.post(`/api/v1/land-payments/${payId}/voucher`, pdf, { 'Content-Type': 'application/pdf', 'X-File-Name': 'voucher.pdf' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const got = (await office.get(`/api/v1/households/${h.id}`)).body.payments[0];
  assert.equal(got.voucher_id, r.body.id);
  assert.equal(got.voucher_name, 'voucher.pdf');
  const file = await sany.get(`/api/v1/attachments/${got.voucher_id}`);
  assert.equal(file.status, 200);
  assert.equal((await guihua.get(`/api/v1/attachments/${got.voucher_id}`)).status, 404);
});

test('the ledger list is answered from the cache until a change to the ledger, then never stale', async () => {
  const p = await newProject();
  const h = await household(sany, p.id);
  const url = `/api/v1/projects/${p.id}/households`;
  assert.equal((await sany.get(url)).body.items[0].state, 'surveyed');
  const again = await sany.get(url);
  assert.equal(again.headers.get('x-cache'), 'hit');
  assert.equal(again.body.items[0].id_number, '430203********1235', 'the cached answer is masked too');
  await item(sany, h.id, 'land', '10.00');
  assert.equal((await move(sany, h.id, 'valued')).status, 200);
  const after = await sany.get(url);
  assert.notEqual(after.headers.get('x-cache'), 'hit');
  assert.equal(after.body.items[0].state, 'valued');
  // another user's answer is their own: a unit out of scope sees nothing of it
  assert.equal((await guihua.get(`/api/v1/households?project=${p.id}`)).body.total, 0);
});

test('a land-acquisition node added after the acquisition is done, or a plan lowered to what is acquired, completes at once', async () => {
  const p = await newProject();
  const a = await household(sany, p.id, { land_mu: { collective: '4.00' }, houses: 0, surveyed_on: addDays(TODAY, -30) });
  await household(sany, p.id, { land_mu: { collective: '6.00' }, houses: 0, surveyed_on: addDays(TODAY, -30) }); // stays surveyed
  await through(sany, a, 'handed_over', { valued: -20, signed: -19, handed_over: -5 });
  // the plan is 10 亩 and 4 are acquired: a node added now stays open
  let r = await office.patch(`/api/v1/projects/${p.id}`, { land_plan_mu: '10.00', version: p.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const node = await landNode(p.id);
  assert.equal(node.actual_date, null);
  assert.equal(node.land.done, false);
  // the plan lowered to 4 亩: done on the day the 4 亩 were handed over
  r = await office.patch(`/api/v1/projects/${p.id}`, { land_plan_mu: '4.00', version: r.body.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal((await nodeOf(p.id, node.id)).actual_date, addDays(TODAY, -5));
  // a second project whose every household is handed over: its node is done when it is added
  const q = await newProject();
  const c = await household(sany, q.id, { houses: 0, surveyed_on: addDays(TODAY, -30) });
  await through(sany, c, 'handed_over', { valued: -20, signed: -19, handed_over: -7 });
  const late = await landNode(q.id);
  assert.equal(late.actual_date, addDays(TODAY, -7));
  assert.equal(late.land.done, true);
});

test('the campaign chart of a ledger surveyed years before its latest move shows the last 1100 days, the earlier moves in the totals', async () => {
  const p = await newProject();
  const a = await household(sany, p.id, { houses: 0, surveyed_on: addDays(TODAY, -1500) });
  const b = await household(sany, p.id, { houses: 0, surveyed_on: addDays(TODAY, -1500) });
  await through(sany, a, 'signed', { valued: -1400, signed: -1300 });
  await through(sany, b, 'signed', { valued: -2, signed: 0 });
  let r = await office.get(`/api/v1/projects/${p.id}/land-campaign`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.days.length, 1101);
  assert.deepEqual([r.body.from, r.body.to], [addDays(TODAY, -1100), TODAY]);
  assert.equal(r.body.days[0].signed_total, 1, 'the household signed before the window counts from the first day');
  assert.deepEqual([r.body.days.at(-1).signed, r.body.days.at(-1).signed_total], [1, 2]);
  // asked for explicitly, a longer range is still refused
  r = await office.get(`/api/v1/projects/${p.id}/land-campaign?from=${addDays(TODAY, -1500)}`);
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['from']);
});
