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

let server, office, admin, jinshan;
const year = Number(TODAY.slice(0, 4));

before(async () => {
  [server, office, admin, jinshan] = await startServerAs('office', 'admin', 'jinshan');
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
