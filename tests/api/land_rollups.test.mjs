// land_rollups.test.mjs — the district-wide land progress read from the roll-up per
// project (land_rollups, sql/0026): after every kind of change to a ledger (a household
// created, edited, imported; an item added or corrected; a transition; a payment) `guatu
// check rollups` reports no difference and GET /land-progress equals the figures computed
// from the households (each project's own progress, which sums its households); a
// corrupted roll-up row is reported with exit 1; a unit user's answer holds only its
// projects and units.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, TODAY, addDays, PG, assertRollups, checkRollups } from './lib.mjs';
import { xlsx, idNumber } from './land_helpers.mjs';

let server, office, sany, guihua, leader, enterprise;
let sanyUnit;
const ID1 = idNumber('43020319800101123');
before(async () => {
  server = await startServer();
  [office, sany, guihua, leader, enterprise] = await Promise.all(
    ['office', 'sany', 'guihua', 'leader', 'enterprise'].map((w) => server.login(w)));
  sanyUnit = (await sany.get('/api/v1/me')).body.user.unit_id;
});
after(async () => { await server?.stop(); });

function sql(text) {
  const r = PG ? spawnSync('psql', [server.db.url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' })
    : spawnSync('sqlite3', [server.db.url, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

let seq = 0;
async function newProject(unit = sanyUnit) {
  const r = await office.post('/api/v1/projects', {
    code: `LROLL-${++seq}`, name: `征拆汇总测试${seq}`, level: 'district', category: '产业项目', unit_id: unit,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function household(project, extra = {}) {
  const r = await sany.post(`/api/v1/projects/${project}/households`, {
    village: '石塘村', group: '一组', head_name: '李四', id_number: ID1, land_mu: { collective: '3.25', state: '0.75' }, houses: 2,
    ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

const CARDS = ['planned_mu', 'acquired_mu', 'acquired_rate', 'surveyed_mu', 'households', 'signed', 'demolished', 'handed_over',
  'houses', 'houses_demolished', 'due', 'paid', 'owed', 'paid_rate', 'start_on', 'days'];
const COUNTS = ['households', 'signed', 'demolished', 'handed_over', 'houses', 'houses_demolished'];
const MONEY = ['acquired_mu', 'surveyed_mu', 'due', 'paid', 'owed'];
const cents = (s) => Math.round(Number(s) * 100);
const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));

// GET /land-progress of `c` against the facts: every project's cards equal the project's
// own progress (summed from its households), and the units and the district add up the
// projects (the demo has fewer than 500 land projects, so by_project lists them all).
async function assertFromFacts(c = office) {
  const lp = await ok(c.get('/api/v1/land-progress'));
  const perUnit = new Map();
  for (const p of lp.by_project) {
    const own = await ok(c.get(`/api/v1/projects/${p.project_id}/land-progress`));
    assert.deepEqual(pick(p, CARDS), pick(own, CARDS), `project ${p.project_id}`);
    const unit = (await ok(c.get(`/api/v1/projects/${p.project_id}`))).unit_id;
    const u = perUnit.get(unit) || { households: 0, signed: 0, demolished: 0, handed_over: 0, houses: 0, houses_demolished: 0,
      acquired_mu: 0, surveyed_mu: 0, due: 0, paid: 0, owed: 0, start_on: null };
    for (const k of COUNTS) u[k] += p[k];
    for (const k of MONEY) u[k] += cents(p[k]);
    if (p.start_on && (!u.start_on || p.start_on < u.start_on)) u.start_on = p.start_on;
    perUnit.set(unit, u);
  }
  assert.deepEqual(lp.by_unit.map((u) => u.unit_id).sort((a, b) => a - b), [...perUnit.keys()].sort((a, b) => a - b));
  for (const u of lp.by_unit) {
    const want = perUnit.get(u.unit_id);
    for (const k of COUNTS) assert.equal(u[k], want[k], `unit ${u.unit_id} ${k}`);
    for (const k of MONEY) assert.equal(cents(u[k]), want[k], `unit ${u.unit_id} ${k}`);
    assert.equal(u.start_on, want.start_on, `unit ${u.unit_id} start_on`);
  }
  for (const k of COUNTS) assert.equal(lp[k], lp.by_project.reduce((s, p) => s + p[k], 0), `district ${k}`);
  for (const k of MONEY) assert.equal(cents(lp[k]), lp.by_project.reduce((s, p) => s + cents(p[k]), 0), `district ${k}`);
  assert.equal(cents(lp.planned_mu), lp.by_project.reduce((s, p) => s + cents(p.planned_mu), 0), 'district plan');
  return lp;
}

test('the demo loads with its land roll-ups in agreement with the households', async () => {
  assertRollups(server);
  const lp = await assertFromFacts();
  assert.ok(lp.by_project.some((p) => p.households === 320), 'the 三一 ledger');
});

test('after each kind of change to a ledger the roll-up agrees with the households and the district answer with the facts', async () => {
  const p = await newProject();
  const step = async (what) => {
    assertRollups(server);
    const lp = await assertFromFacts();
    return [lp.by_project.find((x) => x.project_id === p.id), what];
  };
  // a project without a plan or households is not a land project
  let [mine] = await step('new project');
  assert.equal(mine, undefined);
  const a = await household(p.id);
  [mine] = await step('household created');
  assert.deepEqual(pick(mine, ['households', 'surveyed_mu', 'houses', 'start_on']), { households: 1, surveyed_mu: '4.00', houses: 2, start_on: TODAY });
  const b = await household(p.id, { village: '湾塘村', houses: 0, land_mu: { collective: '1.50' }, surveyed_on: addDays(TODAY, -30) });
  [mine] = await step('second household, surveyed earlier');
  assert.equal(mine.start_on, addDays(TODAY, -30));
  // an edited area and houses
  const got = await ok(sany.get(`/api/v1/households/${a.id}`));
  await ok(sany.patch(`/api/v1/households/${a.id}`, { land_mu: { collective: '5.00', state: '1.00' }, houses: 3, version: got.version }));
  [mine] = await step('household edited');
  assert.deepEqual(pick(mine, ['surveyed_mu', 'houses']), { surveyed_mu: '7.50', houses: 3 });
  // items: added, corrected
  const ia = await ok(sany.post(`/api/v1/households/${a.id}/items`, { kind: 'land', amount: '10000.00' }), 201);
  await ok(sany.post(`/api/v1/households/${b.id}/items`, { kind: 'crops', amount: '500.00' }), 201);
  [mine] = await step('items added');
  assert.equal(mine.due, '10500.00');
  await ok(sany.patch(`/api/v1/households/${a.id}/items/${ia.id}`, { amount: '12000.00' }));
  [mine] = await step('item corrected');
  assert.equal(mine.due, '12500.00');
  // transitions and payments
  for (const to of ['valued', 'signed']) {
    await ok(sany.post(`/api/v1/households/${a.id}/transitions`, { to }));
    [mine] = await step(`to ${to}`);
  }
  assert.equal(mine.signed, 1);
  await ok(sany.post(`/api/v1/households/${a.id}/payments`, { item_id: ia.id, amount: '2000.00', paid_on: TODAY }), 201);
  [mine] = await step('partial payment');
  assert.deepEqual(pick(mine, ['paid', 'owed']), { paid: '2000.00', owed: '10500.00' });
  await ok(sany.post(`/api/v1/households/${a.id}/payments`, { item_id: ia.id, amount: '10000.00', paid_on: TODAY }), 201);
  await ok(sany.post(`/api/v1/households/${a.id}/transitions`, { to: 'demolished' }));
  [mine] = await step('demolished');
  assert.deepEqual(pick(mine, ['demolished', 'houses_demolished']), { demolished: 1, houses_demolished: 3 });
  await ok(sany.post(`/api/v1/households/${a.id}/transitions`, { to: 'handed_over' }));
  [mine] = await step('handed over');
  assert.deepEqual(pick(mine, ['handed_over', 'acquired_mu', 'acquired_rate']), { handed_over: 1, acquired_mu: '6.00', acquired_rate: null });
  // a plan makes the rate; the plan is the project's, not the roll-up's
  const v = (await ok(office.get(`/api/v1/projects/${p.id}`))).version;
  await ok(office.patch(`/api/v1/projects/${p.id}`, { land_plan_mu: '12.00', version: v }));
  [mine] = await step('plan set');
  assert.deepEqual(pick(mine, ['planned_mu', 'acquired_rate']), { planned_mu: '12.00', acquired_rate: '50.00' });
  // an import adds every row at once
  const sheet = xlsx([['村', '组', '户主', '身份证号', '电话', '集体土地(亩)', '国有土地(亩)', '房屋(栋)', '房屋面积(m²)', '备注'],
    ['桥头村', '一组', '赵一', '', '', '1.25', '', 1, '', ''], ['桥头村', '二组', '钱二', '', '', '2', '0.5', 0, '', '']]);
  await ok(sany.post(`/api/v1/projects/${p.id}/households/import`, sheet,
    { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 201);
  [mine] = await step('import');
  assert.deepEqual(pick(mine, ['households', 'surveyed_mu', 'houses']), { households: 4, surveyed_mu: '11.25', houses: 4 });
  // a project with a plan and no households is a land project with zeros
  const q = await newProject();
  await ok(office.patch(`/api/v1/projects/${q.id}`, { land_plan_mu: '8.00', version: q.version }));
  [mine] = [(await assertFromFacts()).by_project.find((x) => x.project_id === q.id)];
  assert.deepEqual(pick(mine, ['planned_mu', 'households', 'acquired_rate', 'start_on', 'days']),
    { planned_mu: '8.00', households: 0, acquired_rate: '0.00', start_on: null, days: null });
  // a project deleted takes its roll-up row with it
  const gone = await newProject();
  await household(gone.id);
  assertRollups(server);
  await ok(office.del(`/api/v1/projects/${gone.id}`), 204);
  assertRollups(server);
  assert.equal(sql(`SELECT COUNT(*) FROM land_rollups WHERE project_id = ${gone.id}`).trim(), '0');
  assert.equal((await assertFromFacts()).by_project.find((x) => x.project_id === gone.id), undefined);
});

test('a corrupted, missing or extra land roll-up row is reported by guatu check rollups with exit 1', async () => {
  const p = await newProject();
  await household(p.id);
  assertRollups(server);
  sql(`UPDATE land_rollups SET households = households + 2, due = due + 100 WHERE project_id = ${p.id}`);
  let r = checkRollups(server);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`project ${p.id} land_rollups households: stored 3, recomputed 1`));
  assert.match(r.stdout, new RegExp(`project ${p.id} land_rollups due: stored 100, recomputed 0`));
  assert.match(r.stdout, /^rollups: 2 differences$/m);
  sql(`DELETE FROM land_rollups WHERE project_id = ${p.id}`);
  r = checkRollups(server);
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`project ${p.id} land_rollups: no stored row for its 1 households`));
  // put back by the next change of the ledger
  const h = await household(p.id, { head_name: '王五' });
  assert.ok(h.id);
  assertRollups(server);
  const q = await newProject();
  sql(`INSERT INTO land_rollups (project_id, households, signed, demolished, handed_over, acquired_mu, surveyed_mu, due, paid, houses, houses_demolished, start_on) VALUES (${q.id}, 1, 0, 0, 0, 0, 100, 0, 0, 0, 0, '${TODAY}')`);
  r = checkRollups(server);
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`project ${q.id} land_rollups: a stored row, but the project has no households`));
  sql(`DELETE FROM land_rollups WHERE project_id = ${q.id}`);
  assertRollups(server);
});

test('scope: a unit user\'s district answer holds only its projects and their units, summed from the facts it may read', async () => {
  const p = await newProject();
  await household(p.id);
  const all = await assertFromFacts(office);
  const mine = await assertFromFacts(sany);
  assert.ok(mine.by_project.some((x) => x.project_id === p.id));
  assert.ok(mine.by_project.length < all.by_project.length, 'the office sees more land projects than 三一');
  for (const x of mine.by_project) assert.equal((await sany.get(`/api/v1/projects/${x.project_id}`)).status, 200);
  assert.deepEqual(mine.by_unit.map((u) => u.unit_id), [sanyUnit]);
  // another unit sees none of them
  const other = await ok(guihua.get('/api/v1/land-progress'));
  assert.ok(!other.by_project.some((x) => x.project_id === p.id));
  assert.ok(!other.by_unit.some((u) => u.unit_id === sanyUnit));
  // the leader reads everything, an enterprise nothing
  assert.deepEqual((await ok(leader.get('/api/v1/land-progress'))).by_unit, all.by_unit);
  assert.equal((await enterprise.get('/api/v1/land-progress')).status, 403);
});

test('names that JSON must escape (quotes, backslashes) come back as written in the district answer', async () => {
  const name = '征拆"引号"\\反斜杠/斜杠 test';
  const r = await office.post('/api/v1/projects', {
    code: `LROLL-ESC-${++seq}`, name, level: 'district', category: '产业项目', unit_id: sanyUnit,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await household(r.body.id, { village: '村"名"' });
  const lp = await assertFromFacts();
  assert.equal(lp.by_project.find((x) => x.project_id === r.body.id).project_name, name);
});
