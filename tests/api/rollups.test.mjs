// Roll-ups kept in the same transaction as the change (src/rollups.h): after
// every kind of write the stored per-project rows and report_totals agree
// with the facts (`guatu check rollups` finds 0 differences), the dashboard
// shows the lights those rows hold, a corrupted row is reported with exit 1,
// and a server started on a later day serves that day's lights.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, startServerAs, checkRollups, assertRollups, TODAY, addDays, PG, eventually } from './lib.mjs';
import { periodFromNow, unitId, makeProject } from './reports_helpers.mjs';

let server, office, admin, jinshan, leader;
const year = Number(TODAY.slice(0, 4));

before(async () => {
  [server, office, admin, jinshan, leader] = await startServerAs('office', 'admin', 'jinshan', 'leader');
});
after(async () => { await server?.stop(); });

// A project whose light comes from its nodes alone: its only plan is for
// next year, so this year's investment never lags.
async function nodeProject(name) {
  const unit = await unitId(office, '金山街道');
  return makeProject(office, { unit, year: year + 1, plan: '1亿', chain: name });
}

// The project's light on the dashboard (the default view: this year, the
// months reported so far), found through the drill-down of each light.
async function dashboardLight(client, projectId) {
  for (const light of ['red', 'yellow', 'green']) {
    const r = await client.get(`/api/v1/dashboard/drill?dimension=light&key=${light}&per_page=500`);
    assert.equal(r.status, 200);
    if (r.body.items.some((p) => p.id === projectId)) return light;
  }
  return null;
}

function sql(srv, text) {
  const r = PG ? spawnSync('psql', [srv.db.url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' })
    : spawnSync('sqlite3', [srv.db.url, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('the demo district loads with its roll-ups in agreement with the facts', () => {
  const r = checkRollups(server);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^rollups: 0 differences$/m);
});

test('a node created, moved, completed and deleted keeps the project light and the check at 0 differences', async () => {
  const p = await nodeProject('卷积链节点');
  assertRollups(server);
  assert.equal(await dashboardLight(office, p.id), 'green');
  let r = await office.post(`/api/v1/projects/${p.id}/nodes`, { name: '开工', kind: 'start', planned_date: addDays(TODAY, 3) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const node = r.body;
  assertRollups(server);
  assert.equal(await dashboardLight(office, p.id), 'yellow', 'an open node due within 7 days');
  r = await office.patch(`/api/v1/nodes/${node.id}`, { planned_date: addDays(TODAY, 40) }, { 'If-Match': `"${node.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assertRollups(server);
  assert.equal(await dashboardLight(office, p.id), 'green', 'moved well ahead');
  r = await office.patch(`/api/v1/nodes/${node.id}`, { planned_date: addDays(TODAY, 1) }, { 'If-Match': `"${r.body.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(await dashboardLight(office, p.id), 'yellow', 'moved to tomorrow');
  r = await office.patch(`/api/v1/nodes/${node.id}`, { actual_date: TODAY }, { 'If-Match': `"${r.body.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assertRollups(server);
  assert.equal(await dashboardLight(office, p.id), 'green', 'done today');
  const second = (await office.post(`/api/v1/projects/${p.id}/nodes`, { name: '竣工', kind: 'completion', planned_date: addDays(TODAY, 2) })).body;
  assert.equal(await dashboardLight(office, p.id), 'yellow');
  r = await office.del(`/api/v1/nodes/${second.id}`);
  assert.equal(r.status, 204);
  assertRollups(server);
  assert.equal(await dashboardLight(office, p.id), 'green', 'the open node is gone');
});

test('an approved report, a stage change and a project deleted leave 0 differences', async () => {
  const unit = await unitId(office, '金山街道');
  const p = await makeProject(office, { unit, year: Number(periodFromNow(-1).slice(0, 4)), plan: '2亿', chain: '卷积链填报' });
  let r = await jinshan.post(`/api/v1/projects/${p.id}/reports`, { period: periodFromNow(-1), investment: '1500万' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assertRollups(server);
  r = await office.post(`/api/v1/reports/${r.body.id}/review`, { decision: 'approve' });
  assert.equal(r.status, 200);
  assertRollups(server);
  const cur = (await office.get(`/api/v1/projects/${p.id}`)).body;
  r = await office.patch(`/api/v1/projects/${p.id}`, { stage: 'completed', annual_plan: { [String(year)]: '3亿' } }, { 'If-Match': `"${cur.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assertRollups(server);
  const q = await nodeProject('卷积链删除');
  await office.post(`/api/v1/projects/${q.id}/nodes`, { name: '开工', kind: 'start', planned_date: addDays(TODAY, 5) });
  r = await office.del(`/api/v1/projects/${q.id}`);
  assert.equal(r.status, 204, JSON.stringify(r.body));
  assertRollups(server);
});

test('new light thresholds recompute every stored light in the same change', async () => {
  const p = await nodeProject('卷积链阈值');
  await office.post(`/api/v1/projects/${p.id}/nodes`, { name: '开工', kind: 'start', planned_date: addDays(TODAY, 10) });
  assert.equal(await dashboardLight(office, p.id), 'green', '10 days ahead, yellow only within 7');
  let r = await admin.put('/api/v1/settings/lights', { yellow_days: 14, red_lag: 20, yellow_lag: 10 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assertRollups(server);
  assert.equal(await dashboardLight(office, p.id), 'yellow', 'within 14 days');
  r = await admin.put('/api/v1/settings/lights', { yellow_days: 7, red_lag: 20, yellow_lag: 10 });
  assert.equal(r.status, 200);
  assertRollups(server);
});

test('a corrupted roll-up row and a wrong report total are each reported, with exit 1', async () => {
  const p = await nodeProject('卷积链篡改');
  await office.post(`/api/v1/projects/${p.id}/nodes`, { name: '开工', kind: 'start', planned_date: addDays(TODAY, 3) });
  assertRollups(server);
  const row = sql(server, `SELECT light, nodes_yellow FROM project_rollups WHERE project_id = ${p.id}`);
  sql(server, `UPDATE project_rollups SET light = 2, nodes_yellow = 0 WHERE project_id = ${p.id}`);
  const t = PG ? null : sql(server, 'SELECT project_id, year FROM report_totals ORDER BY project_id, year LIMIT 1').trim().split('|');
  if (PG) sql(server, 'UPDATE report_totals SET m01 = m01 + 1 WHERE (project_id, year) = (SELECT project_id, year FROM report_totals ORDER BY project_id, year LIMIT 1)');
  else sql(server, `UPDATE report_totals SET m01 = m01 + 1 WHERE project_id = ${t[0]} AND year = ${t[1]}`);
  const r = checkRollups(server);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^project ${p.id} light: stored red, recomputed yellow`, 'm'));
  assert.match(r.stdout, new RegExp(`^project ${p.id} nodes_yellow: stored 0, recomputed 1$`, 'm'));
  assert.match(r.stdout, /^project \d+ report_totals \d{4}-01: stored -?\d+, recomputed -?\d+$/m);
  assert.match(r.stdout, /^rollups: 3 differences$/m);
  // repaired the way an operator would: the recomputation agrees again
  sql(server, `UPDATE project_rollups SET light = 1, nodes_yellow = 1 WHERE project_id = ${p.id}`);
  assert.ok(row.length > 0);
  assert.equal(guatuRebuildTotals(server).status, 0);
  assertRollups(server);
});

function guatuRebuildTotals(srv) {
  return spawnSync(process.env.GUATU_BIN || 'build/guatu', ['reports', 'rebuild-totals', '--db', srv.db.url], { encoding: 'utf8' });
}

test('a server started on a later day serves that day\'s lights at once and its tick stores them; one on the earlier day leaves them alone', async () => {
  const own = await startServer();
  let id;
  try {
    const o = await own.login('office');
    const p = await makeProject(o, { unit: await unitId(o, '金山街道'), year: year + 1, plan: '1亿', chain: '卷积链次日' });
    id = p.id;
    const n = await o.post(`/api/v1/projects/${p.id}/nodes`, { name: '开工', kind: 'start', planned_date: addDays(TODAY, 3) });
    assert.equal(n.status, 201);
    assert.equal(await dashboardLight(o, p.id), 'yellow');
    assertRollups(own);
  } finally {
    await own.stop({ keep: true });
  }
  const later = addDays(TODAY, 5);
  const next = await startServer({ db: own.db, env: { GUATU_TODAY: later } });
  try {
    const o = await next.login('office');
    // the node was due 2 days ago: red on the new day, whether or not the tick has run
    assert.equal(await dashboardLight(o, id), 'red');
    const d = (await o.get('/api/v1/dashboard')).body;
    assert.equal(d.as_of, later);
    // the tick stores the new day's rows, audited as a change
    const refreshed = await eventually(async () => {
      const a = await o.get('/api/v1/audit?entity=project_rollups&per_page=5');
      return (a.body.items || []).some((e) => e.action === 'refresh');
    });
    assert.ok(refreshed, 'the daily pass ran');
    const day = sql(next, `SELECT DISTINCT day FROM project_rollups`).trim();
    assert.match(day, new RegExp(later));
    assertRollups(next);
    assert.equal(await dashboardLight(o, id), 'red');
  } finally {
    await next.stop({ keep: true });
  }
  // An instance still on the earlier day serves its own day's lights and
  // leaves the later rows alone (no rewriting in turn around midnight).
  const back = await startServer({ db: own.db });
  try {
    const o = await back.login('office');
    assert.equal(await dashboardLight(o, id), 'yellow');
    const refreshes = () => Number(sql(back, "SELECT COUNT(*) FROM audit_log WHERE entity = 'project_rollups'").trim());
    const n = refreshes();
    await new Promise((res) => setTimeout(res, 2500)); // two ticks or more
    assert.equal(refreshes(), n);
    assert.equal(sql(back, 'SELECT DISTINCT day FROM project_rollups').trim(), later);
    assert.equal(await dashboardLight(o, id), 'yellow');
  } finally {
    await back.stop({ keep: true });
    own.db.cleanup();
  }
});

// ---- group roll-ups (sql/0020_group_rollups.sql) ----

// The stored row of a unit (its projects counted, year-to-date), or null.
function unitRow(srv, unit) {
  const out = sql(srv, `SELECT projects, ytd, day FROM group_rollups WHERE dim = 'unit' AND unit_id = ${unit}`).trim();
  if (!out) return null;
  const [projects, ytd, day] = out.split('|');
  return { projects: Number(projects), ytd: BigInt(ytd), day };
}

// The default dashboard read from the group roll-ups equals the one
// computed from the facts (source aside).
async function assertDashboardFromRollups(client) {
  const a = (await client.get('/api/v1/dashboard?top=0')).body;
  const b = (await client.get('/api/v1/dashboard?top=0&from=facts')).body;
  assert.equal(a.source, 'rollups');
  assert.equal(b.source, 'facts');
  delete a.source;
  delete b.source;
  assert.deepEqual(a, b);
}

test('the group roll-ups follow an approval, a move to another unit, a node\'s new date and a deletion, with 0 differences', async () => {
  const a = await unitId(office, '金山街道');
  const units = (await office.get('/api/v1/units?per_page=200')).body.items;
  const b = units.find((u) => u.id !== a && u.kind !== 'enterprise' && !u.name.includes('金山')).id;
  const a0 = unitRow(server, a), b0 = unitRow(server, b);
  assert.ok(a0, 'the demo unit has its row');
  assert.equal(a0.day, TODAY);
  const p = await makeProject(office, { unit: a, year, plan: '2亿', chain: '卷积链分组' });
  assert.equal(unitRow(server, a).projects, a0.projects + 1);
  assertRollups(server);
  await assertDashboardFromRollups(office);
  // an approval of last month's report (this year's year-to-date, or last year's in January)
  let r = await jinshan.post(`/api/v1/projects/${p.id}/reports`, { period: periodFromNow(-1), investment: '1200万' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await office.post(`/api/v1/reports/${r.body.id}/review`, { decision: 'approve' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assertRollups(server);
  await assertDashboardFromRollups(office);
  // moved to another unit: both units' rows follow
  let cur = (await office.get(`/api/v1/projects/${p.id}`)).body;
  r = await office.patch(`/api/v1/projects/${p.id}`, { unit_id: b }, { 'If-Match': `"${cur.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(unitRow(server, a).projects, a0.projects);
  assert.equal(unitRow(server, a).ytd, a0.ytd);
  assert.equal(unitRow(server, b).projects, (b0?.projects ?? 0) + 1);
  assertRollups(server);
  await assertDashboardFromRollups(office);
  // a node past due, then moved ahead
  const overdue = () => Number(sql(server, `SELECT overdue FROM group_rollups WHERE dim = 'unit' AND unit_id = ${b}`).trim());
  const o0 = overdue();
  r = await office.post(`/api/v1/projects/${p.id}/nodes`, { name: '开工', kind: 'start', planned_date: addDays(TODAY, -3) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(overdue(), o0 + 1);
  assertRollups(server);
  r = await office.patch(`/api/v1/nodes/${r.body.id}`, { planned_date: addDays(TODAY, 30) }, { 'If-Match': `"${r.body.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(overdue(), o0);
  assertRollups(server);
  await assertDashboardFromRollups(office);
  // deleted: its unit no longer counts it
  r = await office.del(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 204, JSON.stringify(r.body));
  assert.equal(unitRow(server, b)?.projects ?? 0, b0?.projects ?? 0);
  assertRollups(server);
  await assertDashboardFromRollups(office);
});

test('a corrupted group row (a unit\'s, or one over every unit) is reported with exit 1', async () => {
  const a = await unitId(office, '金山街道');
  assertRollups(server);
  sql(server, `UPDATE group_rollups SET ytd = ytd + 7 WHERE dim = 'unit' AND unit_id = ${a}`);
  sql(server, "UPDATE group_rollups SET projects = projects + 1 WHERE dim = 'level' AND gkey = 'district' AND unit_id = 0");
  const r = checkRollups(server);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^group unit '' unit ${a} ytd: stored -?\\d+, recomputed -?\\d+$`, 'm'));
  assert.match(r.stdout, /^group level 'district' unit 0 projects: stored \d+, recomputed \d+$/m);
  assert.match(r.stdout, /^rollups: 2 differences$/m);
  sql(server, `UPDATE group_rollups SET ytd = ytd - 7 WHERE dim = 'unit' AND unit_id = ${a}`);
  sql(server, "UPDATE group_rollups SET projects = projects - 1 WHERE dim = 'level' AND gkey = 'district' AND unit_id = 0");
  assertRollups(server);
});

// The row over every unit (unit 0) of a chain / level / leader, or of the
// province (dim 'unit', key ''): its projects, year-to-date and the sum of
// its twelve months of this year, or null.
function totalRow(srv, dim, key) {
  const months = Array.from({ length: 12 }, (_, i) => `m${String(i + 1).padStart(2, '0')}`).join(' + ');
  const out = sql(srv, `SELECT projects, ytd, ${months} FROM group_rollups WHERE dim = '${dim}' AND gkey = '${key}' AND unit_id = 0`).trim();
  if (!out) return null;
  const [projects, ytd, year] = out.split('|');
  return { projects: Number(projects), ytd: BigInt(ytd), year: BigInt(year) };
}

// A project's row in the CSV export, with the given columns changed, as a
// CSV line (fields quoted as the export quotes them).
function csvLine(fields) { return fields.map((v) => `"${String(v).replace(/"/g, '""')}"`).join(','); }
function csvFields(line) { return [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replace(/""/g, '"')); }

test('the rows over every unit carry every figure and months, and follow an approval, a move, a new chain, level and leader, a deletion and an import', async () => {
  const a = await unitId(office, '金山街道');
  const units = (await office.get('/api/v1/units?per_page=200')).body.items;
  const b = units.find((u) => u.id !== a && u.kind !== 'enterprise' && !u.name.includes('金山')).id;
  const chain = `卷积总链${process.pid}`;
  const prov0 = totalRow(server, 'unit', '');
  assert.ok(prov0 && prov0.projects > 0, 'the province row is built with the demo');
  const p = await makeProject(office, { unit: a, year, plan: '3亿', chain });
  assert.equal(totalRow(server, 'chain', chain).projects, 1);
  assert.equal(totalRow(server, 'unit', '').projects, prov0.projects + 1);
  // an approved report moves the chain's and the province's months
  const period = periodFromNow(-1);
  let r = await jinshan.post(`/api/v1/projects/${p.id}/reports`, { period, investment: '800万' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await office.post(`/api/v1/reports/${r.body.id}/review`, { decision: 'approve' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const inYear = period.startsWith(String(year)); // January reports December of the year before
  assert.equal(totalRow(server, 'chain', chain).year, inYear ? 800000000n : 0n);
  assert.equal(totalRow(server, 'unit', '').year - prov0.year, inYear ? 800000000n : 0n);
  assertRollups(server);
  await assertDashboardFromRollups(office);
  // moved to another unit: the chain keeps it, the province too
  let cur = (await office.get(`/api/v1/projects/${p.id}`)).body;
  r = await office.patch(`/api/v1/projects/${p.id}`, { unit_id: b }, { 'If-Match': `"${cur.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(totalRow(server, 'chain', chain).projects, 1);
  assert.equal(totalRow(server, 'unit', '').projects, prov0.projects + 1);
  assertRollups(server);
  // another chain, level and leader: the old rows lose it (a chain left empty goes), the new ones gain it
  const me = (await leader.get('/api/v1/me')).body;
  const leaderId = me.user?.id ?? me.id;
  const chain2 = `${chain}乙`;
  const level0 = totalRow(server, 'level', 'province')?.projects ?? 0;
  const lead0 = totalRow(server, 'leader', String(leaderId))?.projects ?? 0;
  cur = (await office.get(`/api/v1/projects/${p.id}`)).body;
  r = await office.patch(`/api/v1/projects/${p.id}`, { chain: chain2, level: 'province', leader_id: leaderId },
    { 'If-Match': `"${cur.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(totalRow(server, 'chain', chain), null);
  assert.equal(totalRow(server, 'chain', chain2).projects, 1);
  assert.equal(totalRow(server, 'chain', chain2).year, inYear ? 800000000n : 0n);
  assert.equal(totalRow(server, 'level', 'province').projects, level0 + 1);
  assert.equal(totalRow(server, 'leader', String(leaderId)).projects, lead0 + 1);
  assertRollups(server);
  await assertDashboardFromRollups(office);
  // an import that changes one project's chain and adds a project
  const ex = await office.get('/api/v1/projects/export?format=csv');
  assert.equal(ex.status, 200);
  const lines = ex.body.toString().replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l);
  const head = csvFields(lines[0]);
  const ci = head.indexOf('产业链'), codei = head.indexOf('项目编号'), namei = head.indexOf('项目名称');
  const row = csvFields(lines.find((l) => csvFields(l)[codei] === cur.code));
  row[ci] = `${chain}丙`;
  const added = [...row];
  added[codei] = `${cur.code}X`;
  added[namei] = `${row[namei]}（导入）`;
  r = await office.post('/api/v1/projects/import', Buffer.from([lines[0], csvLine(row), csvLine(added)].join('\r\n')),
    { 'Content-Type': 'text/csv' });
  assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 500));
  assert.equal(r.body.created, 1);
  assert.equal(r.body.updated, 1);
  assert.equal(totalRow(server, 'chain', chain2), null);
  assert.equal(totalRow(server, 'chain', `${chain}丙`).projects, 2);
  assert.equal(totalRow(server, 'unit', '').projects, prov0.projects + 2);
  assertRollups(server);
  await assertDashboardFromRollups(office);
  // deleted: gone from every row over every unit
  r = await office.del(`/api/v1/projects/${p.id}`);
  assert.equal(r.status, 204, JSON.stringify(r.body));
  assert.equal(totalRow(server, 'chain', `${chain}丙`).projects, 1);
  assert.equal(totalRow(server, 'unit', '').projects, prov0.projects + 1);
  assertRollups(server);
  await assertDashboardFromRollups(office);
});

test('writers of different units adding to the same rows over every unit at once lose no update, and moves between two units both ways do not deadlock', async () => {
  const units = (await office.get('/api/v1/units?per_page=200')).body.items.filter((u) => u.kind !== 'enterprise').slice(0, 6);
  assert.ok(units.length >= 2);
  const chain = `并发链${process.pid}`;
  const prov0 = totalRow(server, 'unit', '');
  const made = await Promise.all(units.map((u) => makeProject(office, { unit: u.id, year, plan: '1亿', chain })));
  assert.equal(totalRow(server, 'chain', chain).projects, units.length);
  assert.equal(totalRow(server, 'unit', '').projects, prov0.projects + units.length);
  assertRollups(server);
  // projects moved between two units both ways, while others of those units are created
  const [a, b] = [units[0].id, units[1].id];
  const move = async (p, unit) => {
    const cur = (await office.get(`/api/v1/projects/${p.id}`)).body;
    return office.patch(`/api/v1/projects/${p.id}`, { unit_id: unit }, { 'If-Match': `"${cur.version}"` });
  };
  const res = await Promise.all([move(made[0], b), move(made[1], a),
    makeProject(office, { unit: a, year, plan: '1亿', chain }), makeProject(office, { unit: b, year, plan: '1亿', chain })]);
  assert.equal(res[0].status, 200, JSON.stringify(res[0].body));
  assert.equal(res[1].status, 200, JSON.stringify(res[1].body));
  assert.equal(totalRow(server, 'chain', chain).projects, units.length + 2);
  assertRollups(server);
  await assertDashboardFromRollups(office);
});

test('a corrupted month of a row over every unit (a chain\'s, the province\'s) and a unit\'s corrupted rate are reported with exit 1', async () => {
  assertRollups(server);
  const chain = sql(server, "SELECT gkey FROM group_rollups WHERE dim = 'chain' AND unit_id = 0 AND gkey <> '' ORDER BY gkey LIMIT 1").trim();
  assert.ok(chain);
  const a = await unitId(office, '金山街道');
  const set = (d) => {
    sql(server, `UPDATE group_rollups SET m03 = m03 + ${d} WHERE dim = 'chain' AND gkey = '${chain}' AND unit_id = 0`);
    sql(server, `UPDATE group_rollups SET started = started + ${d} WHERE dim = 'unit' AND gkey = '' AND unit_id = 0`);
    sql(server, `UPDATE group_rollups SET rate = rate + ${d} WHERE dim = 'unit' AND unit_id = ${a}`);
  };
  set(5);
  const r = checkRollups(server);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^group chain '${chain}' unit 0 m03: stored -?\\d+, recomputed -?\\d+$`, 'm'));
  assert.match(r.stdout, /^group unit '' unit 0 started: stored \d+, recomputed \d+$/m);
  assert.match(r.stdout, new RegExp(`^group unit '' unit ${a} rate: stored \\S+, recomputed \\S+$`, 'm'));
  assert.match(r.stdout, /^rollups: 3 differences$/m);
  set(-5);
  assertRollups(server);
});

test('every cut of unit_ranking and by_unit read from the roll-ups is the start of the full list when units tie on rate', async () => {
  // three units without a project get one each with a plan and nothing invested: all three at rate 0
  const shown = new Set((await office.get('/api/v1/dashboard?top=0')).body.by_unit.map((u) => u.key));
  const empty = (await office.get('/api/v1/units?per_page=200')).body.items
    .filter((u) => u.kind !== 'enterprise' && !shown.has(String(u.id))).slice(0, 3);
  assert.equal(empty.length, 3, 'the demo has units without projects');
  for (const u of empty) await makeProject(office, { unit: u.id, year, plan: '1亿', chain: '并列链' });
  const full = (await office.get('/api/v1/dashboard?top=0')).body;
  assert.equal(full.source, 'rollups');
  const tied = full.unit_ranking.filter((u) => empty.some((e) => String(e.id) === u.key));
  assert.equal(tied.length, 3);
  assert.ok(tied.every((u) => u.completion_rate === '0.00'));
  const n = full.unit_ranking.length;
  for (let top = 1; top <= n + 1; top++) {
    const cut = (await office.get(`/api/v1/dashboard?top=${top}`)).body;
    assert.equal(cut.source, 'rollups');
    assert.deepEqual(cut.unit_ranking, full.unit_ranking.slice(0, top), `unit_ranking top=${top}`);
    assert.deepEqual(cut.by_unit, full.by_unit.slice(0, top), `by_unit top=${top}`);
    assert.equal(cut.unit_ranking_total, n);
  }
  await assertDashboardFromRollups(office);
  assertRollups(server);
});
