// The leaders' dashboard (驾驶舱): the demo year is plausible, the figures
// add up exactly, an approval moves them (and a submission does not), every
// figure drills down to the projects and reports behind it, scope applies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServerAs, fields, assertRollups } from './lib.mjs';
import { periodFromNow, unitId, makeProject, fen } from './reports_helpers.mjs';

let server, office, leader, jinshan, bank;
const lastMonth = periodFromNow(-1);
const year = Number(lastMonth.slice(0, 4));
const month = Number(lastMonth.slice(5));
const q = `year=${year}&month=${month}`;

before(async () => {
  [server, office, leader, jinshan, bank] = await startServerAs('office', 'leader', 'jinshan', 'bank');
});
after(async () => { await server?.stop(); });

test('the demo year: KPIs, lights, targets, breakdowns that add up', async () => {
  const r = await leader.get(`/api/v1/dashboard?${q}`);
  assert.equal(r.status, 200);
  const d = r.body;
  for (const k of ['ytd_investment', 'annual_plan', 'completion_rate', 'yoy_growth', 'lights', 'started', 'completed', 'targets',
    'monthly', 'by_unit', 'by_chain', 'by_level', 'overdue_nodes', 'unit_ranking']) assert.ok(k in d, k);
  assert.match(d.completion_rate, /^\d+\.\d\d$/);
  assert.ok(fen(d.ytd_investment) > 0n);
  assert.ok(Number(d.completion_rate) > 30 && Number(d.completion_rate) < 110, d.completion_rate);
  assert.match(d.yoy_growth, /^-?\d+\.\d\d$/);
  assert.equal(d.targets.start_target, 25);
  assert.equal(d.targets.complete_target, 30);
  assert.equal(d.targets.project_count, 131);
  assert.equal(d.targets.investment_target, '12300000000.00');
  const { red, yellow, green } = d.lights;
  assert.equal(red + yellow + green, d.project_count);
  // every breakdown adds up to the total, to the fen
  for (const k of ['by_unit', 'by_chain', 'by_level']) {
    assert.equal(d[k].reduce((s, g) => s + fen(g.ytd_investment), 0n), fen(d.ytd_investment), k);
    assert.equal(d[k].reduce((s, g) => s + fen(g.annual_plan), 0n), fen(d.annual_plan), k);
    assert.equal(d[k].reduce((s, g) => s + g.projects, 0), d.project_count, k);
  }
  // monthly actuals add up to year-to-date
  const ytd = d.monthly.filter((m) => m.month <= month).reduce((s, m) => s + fen(m.actual), 0n);
  assert.equal(ytd, fen(d.ytd_investment));
  assert.equal(d.monthly.length, 12);
  assert.equal(d.monthly[11].plan_cumulative, d.annual_plan);
  // ranking by completion rate, descending
  const rates = d.unit_ranking.filter((u) => fen(u.annual_plan) > 0n).map((u) => Number(u.completion_rate));
  assert.deepEqual(rates, [...rates].sort((a, b) => b - a));
  assert.equal(d.unit_ranking[0].rank, 1);
  assert.ok(Array.isArray(d.overdue_nodes));
  for (const n of d.overdue_nodes) assert.ok(n.days_overdue > 0);
});

test('drill-down: every figure traced to its projects and reports', async () => {
  const d = (await office.get(`/api/v1/dashboard?${q}`)).body;
  const unit = d.by_unit[0];
  let r = await office.get(`/api/v1/dashboard/drill?dimension=unit&key=${unit.key}&${q}&per_page=500`);
  assert.equal(r.status, 200);
  assert.equal(r.body.total, unit.projects);
  assert.equal(r.body.totals.ytd_investment, unit.ytd_investment);
  // each project's year-to-date is the sum of its approved reports
  for (const p of r.body.items) {
    const s = p.reports.reduce((acc, x) => acc + fen(x.investment), 0n);
    assert.equal(s, fen(p.ytd_investment), p.name);
    assert.ok(p.reports.every((x) => x.state === 'approved'));
  }
  const chain = d.by_chain[0];
  r = await office.get(`/api/v1/dashboard/drill?dimension=chain&key=${encodeURIComponent(chain.key)}&${q}&per_page=1`);
  assert.equal(r.body.total, chain.projects);
  assert.equal(r.body.totals.ytd_investment, chain.ytd_investment);
  assert.equal(r.body.items.length, 1);
  for (const light of ['red', 'yellow', 'green']) {
    r = await office.get(`/api/v1/dashboard/drill?dimension=light&key=${light}&${q}&per_page=500`);
    assert.equal(r.body.total, d.lights[light], light);
    assert.ok(r.body.items.every((p) => p.light === light));
  }
  r = await office.get(`/api/v1/dashboard/drill?dimension=month&key=${lastMonth}&${q}&per_page=500`);
  assert.equal(r.body.totals.month_investment, d.monthly[month - 1].actual);
  r = await office.get(`/api/v1/dashboard/drill?dimension=started&${q}`);
  assert.equal(r.body.total, d.started);
  r = await office.get(`/api/v1/dashboard/drill?dimension=completed&${q}`);
  assert.equal(r.body.total, d.completed);
  r = await office.get(`/api/v1/dashboard/drill?dimension=all&${q}`);
  assert.equal(r.body.totals.ytd_investment, d.ytd_investment);
  // bad parameters name the field
  r = await office.get('/api/v1/dashboard/drill?dimension=planet&key=x');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['dimension']);
  r = await office.get('/api/v1/dashboard/drill?dimension=light&key=blue');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['key']);
  r = await office.get('/api/v1/dashboard?month=13');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['month']);
});

test('an approval moves the figures; a submission does not', async () => {
  const jinshanUnit = await unitId(office, '金山街道');
  const p = await makeProject(office, { unit: jinshanUnit, year, plan: '2亿', chain: '测试链' });
  const before = (await office.get(`/api/v1/dashboard?${q}`)).body;
  let r = await jinshan.post(`/api/v1/projects/${p.id}/reports`, { period: lastMonth, investment: '3456.78万' });
  assert.equal(r.status, 201);
  const id = r.body.id;
  const mid = (await office.get(`/api/v1/dashboard?${q}`)).body;
  assert.equal(mid.ytd_investment, before.ytd_investment);
  r = await office.post(`/api/v1/reports/${id}/review`, { decision: 'approve' });
  assert.equal(r.status, 200);
  const afterD = (await office.get(`/api/v1/dashboard?${q}`)).body;
  assert.equal(fen(afterD.ytd_investment) - fen(before.ytd_investment), 3456780000n);
  assert.equal(afterD.annual_plan, before.annual_plan);
  assert.equal(fen(afterD.monthly[month - 1].actual) - fen(before.monthly[month - 1].actual), 3456780000n);
  const ch = afterD.by_chain.find((c) => c.key === '测试链');
  assert.equal(ch.ytd_investment, '34567800.00');
  assert.equal(ch.completion_rate, '17.28');
  r = await office.get(`/api/v1/dashboard/drill?dimension=chain&key=${encodeURIComponent('测试链')}&${q}`);
  assert.equal(r.body.items[0].id, p.id);
  assert.equal(r.body.items[0].reports[0].id, id);
  // a later month does not count in an earlier month's year-to-date
  if (month > 1) {
    const earlier = (await office.get(`/api/v1/dashboard?year=${year}&month=${month - 1}`)).body;
    assert.equal(earlier.by_chain.find((c) => c.key === '测试链').ytd_investment, '0.00');
  }
  assertRollups(server); // the roll-ups kept with these writes agree with the facts
});

test('scope: a unit sees its own projects; the bank none', async () => {
  const all = (await office.get(`/api/v1/dashboard?${q}`)).body;
  const mine = (await jinshan.get(`/api/v1/dashboard?${q}`)).body;
  assert.ok(mine.project_count > 0 && mine.project_count < all.project_count);
  assert.ok(mine.by_unit.every((u) => u.name.includes('金山')));
  const r = await bank.get('/api/v1/dashboard');
  assert.equal(r.status, 403);
});

test('the default view is answered from the group roll-ups and equals the one computed from the facts, field for field', async () => {
  const strip = (d) => { const { source, ...rest } = d; return [source, rest]; };
  const [s1, fromRollups] = strip((await office.get('/api/v1/dashboard?top=0')).body);
  const [s2, fromFacts] = strip((await office.get('/api/v1/dashboard?top=0&from=facts')).body);
  assert.equal(s1, 'rollups');
  assert.equal(s2, 'facts');
  assert.deepEqual(fromRollups, fromFacts);
  // every unit's figures add up to the drill-down of that unit
  for (const u of fromRollups.by_unit.slice(0, 3)) {
    const r = await office.get(`/api/v1/dashboard/drill?dimension=unit&key=${u.key}&per_page=1`);
    assert.equal(r.body.total, u.projects);
    assert.equal(r.body.totals.ytd_investment, u.ytd_investment);
    assert.equal(r.body.totals.annual_plan, u.annual_plan);
  }
  // another month, or a unit's user, is computed as before
  assert.equal((await office.get(`/api/v1/dashboard?year=${year - 1}&month=12`)).body.source, 'facts');
  assert.equal((await jinshan.get('/api/v1/dashboard')).body.source, 'facts');
});

test('a unit user sees only its units\' figures, never the group roll-ups of the province', async () => {
  const all = (await office.get('/api/v1/dashboard?top=0')).body;
  const mine = (await jinshan.get('/api/v1/dashboard?top=0')).body;
  assert.ok(mine.project_count > 0 && mine.project_count < all.project_count);
  assert.ok(mine.by_unit.length > 0 && mine.by_unit.every((u) => u.name.includes('金山')));
  assert.equal(mine.by_unit_total, mine.by_unit.length);
  const own = all.by_unit.filter((u) => u.name.includes('金山'));
  assert.deepEqual(mine.by_unit.map((u) => u.key).sort(), own.map((u) => u.key).sort());
});

test('top cuts by_unit, by_chain, by_leader and unit_ranking to their first entries and reports the full counts', async () => {
  const full = (await office.get(`/api/v1/dashboard?${q}&top=0`)).body;
  const cut = (await office.get(`/api/v1/dashboard?${q}&top=2`)).body;
  const dflt = (await office.get(`/api/v1/dashboard?${q}`)).body;
  for (const k of ['by_unit', 'by_chain', 'by_leader', 'unit_ranking']) {
    assert.equal(full[`${k}_total`], full[k].length, k);
    assert.equal(cut[`${k}_total`], full[k].length, k);
    assert.deepEqual(cut[k], full[k].slice(0, 2), k);
    assert.deepEqual(dflt[k], full[k].slice(0, 50), `${k}: 50 by default`);
  }
  assert.ok(full.unit_ranking.length > 2, 'the demo has more units than the cut');
  assert.deepEqual(cut.unit_ranking.map((u) => u.rank), [1, 2]);
  assert.deepEqual(cut.by_level, full.by_level, 'levels are few and never cut');
  for (const bad of ['top=-1', 'top=x', 'from=cache']) {
    const r = await office.get(`/api/v1/dashboard?${bad}`);
    assert.equal(r.status, 422, bad);
    assert.ok(JSON.stringify(r.body).includes(bad.split('=')[0]), JSON.stringify(r.body));
  }
});

test('every cut of by_unit and unit_ranking read from the roll-ups is the start of the full list, units tied on rate included', async () => {
  const full = (await office.get('/api/v1/dashboard?top=0')).body;
  assert.equal(full.source, 'rollups');
  const n = full.unit_ranking.length;
  assert.ok(n > 3, 'the demo has several units');
  for (let top = 1; top <= n + 1; top++) {
    const cut = (await office.get(`/api/v1/dashboard?top=${top}`)).body;
    assert.equal(cut.source, 'rollups');
    assert.deepEqual(cut.unit_ranking, full.unit_ranking.slice(0, top), `unit_ranking top=${top}`);
    assert.deepEqual(cut.by_unit, full.by_unit.slice(0, top), `by_unit top=${top}`);
    assert.equal(cut.unit_ranking_total, n);
    assert.equal(cut.by_unit_total, n);
  }
});
