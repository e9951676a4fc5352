// approvals_stats.test.mjs — GET /approvals/stats read from one range of the covering
// index approvals_issued_stats and ordered after summing (src/approval_stats.c): for
// several periods and for every kind of reader (office, a unit, an enterprise) the answer
// equals the figures computed here from the issued records themselves (items in the
// catalogue's order, projects where their first record is in that order, departments,
// counts, means, medians and the share within the promise in working days); after each
// event of a record (submitted, accepted, returned, resubmitted, issued) the next answer
// is the new one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, TODAY, addDays, PG } from './lib.mjs';

let server, office, jinshan, enterprise, zrzy;
let zrzyUnit, seq = 0;
before(async () => {
  server = await startServer();
  [office, jinshan, enterprise, zrzy] = await Promise.all(['office', 'jinshan', 'enterprise', ['zrzy', 'unit123']].map((w) => server.login(w)));
  zrzyUnit = (await zrzy.get('/api/v1/me')).body.user.unit_id;
});
after(async () => { await server?.stop(); });

function sql(text) {
  const r = PG ? spawnSync('psql', [server.db.url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' })
    : spawnSync('sqlite3', [server.db.url, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

const wd = new Map();
async function workingDays(from, to) {
  const k = `${from}/${to}`;
  if (!wd.has(k)) wd.set(k, (await ok(office.get(`/api/v1/calendar/working-days-between?from=${from}&to=${to}`))).days);
  return wd.get(k);
}

// The scope of a reader as SQL over a (approvals), i (its item) and p (its project), the
// same rule as the work list: everything, or projects of my units (or HQ), items my units
// issue, projects whose agency agreement names me.
async function scopeSql(c) {
  const me = (await ok(c.get('/api/v1/me'))).user;
  if (me.roles.some((r) => ['admin', 'office', 'leader'].includes(r))) return '';
  const agent = `OR EXISTS (SELECT 1 FROM approval_agreements g WHERE g.project_id = a.project_id AND g.agent_user_id = ${me.id})`;
  if (me.roles.includes('unit')) {
    const [[path]] = sql(`SELECT path FROM units WHERE id = ${me.unit_id}`);
    const sub = `(SELECT id FROM units WHERE path LIKE '${path}%')`;
    return `AND (p.unit_id IN ${sub} OR p.hq_id IN ${sub} OR i.unit_id IN ${sub} ${agent})`;
  }
  if (me.roles.includes('enterprise')) return `AND (p.owner_unit_id = ${me.unit_id} ${agent})`;
  return 'AND 1 = 0';
}

const mean = (sum, n) => (n ? Math.round((sum * 100) / n) / 100 : 0);
const median = (v) => {
  if (!v.length) return 0;
  const s = [...v].sort((x, y) => x - y), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rate = (x, n) => (n ? (Math.round((x * 10000) / n) / 100).toFixed(2) : '0.00');

// The answer computed from the issued records of [from, to] that `c` may read.
async function fromFacts(c, from, to) {
  const rows = sql(`SELECT a.id, a.item_id, i.sort_order, i.name, i.unit_id, i.statutory_days, i.promised_days, a.project_id,
    a.submitted_on, a.issued_on FROM approvals a JOIN approval_items i ON i.id = a.item_id JOIN projects p ON p.id = a.project_id
    WHERE a.state = 'issued' AND a.submitted_on IS NOT NULL AND a.issued_on >= '${from}' AND a.issued_on <= '${to}' ${await scopeSql(c)}`)
    .map(([id, item, sort, name, unit, stat, prom, project, sub, iss]) =>
      ({ id: +id, item: +item, sort: +sort, name, unit: +unit, stat: +stat, prom: +prom, project: +project, sub, iss }));
  rows.sort((x, y) => x.sort - y.sort || x.item - y.item || x.id - y.id);
  const items = new Map(), depts = new Map(), projects = new Map();
  const all = { n: 0, sum: 0, within: 0, stat: 0, days: [] };
  const add = (g, d, r) => { g.n++; g.sum += d; g.stat += r.stat; g.within += d <= r.prom ? 1 : 0; g.days.push(d); };
  const of = (m, k, extra = {}) => { if (!m.has(k)) m.set(k, { n: 0, sum: 0, within: 0, stat: 0, days: [], ...extra }); return m.get(k); };
  for (const r of rows) {
    const d = await workingDays(r.sub, r.iss);
    add(of(items, r.item, { name: r.name }), d, r);
    add(of(depts, r.unit), d, r);
    add(of(projects, r.project), d, r);
    add(all, d, r);
  }
  const figs = (g) => ({ count: g.n, mean_working_days: mean(g.sum, g.n), median_working_days: median(g.days),
    within_promise_rate: rate(g.within, g.n), saved_rate: rate(g.stat - g.sum, g.stat) });
  return {
    items: [...items].map(([id, g]) => ({ item_id: id, name: g.name, ...figs(g) })),
    departments: new Map([...depts].map(([id, g]) => [id, figs(g)])),
    projects: [...projects].map(([id, g]) => ({ project_id: id, ...figs(g) })),
    total: figs(all),
  };
}

async function assertFromFacts(c, from, to) {
  const q = from ? `?from=${from}&to=${to}` : '';
  const got = await ok(c.get(`/api/v1/approvals/stats${q}`));
  const want = await fromFacts(c, got.from, got.to);
  const keys = ['count', 'mean_working_days', 'median_working_days', 'within_promise_rate', 'saved_rate'];
  const pick = (o, ks) => Object.fromEntries(ks.map((k) => [k, o[k]]));
  assert.deepEqual(got.items.map((i) => pick(i, ['item_id', 'name', ...keys])), want.items, 'items in the catalogue order');
  assert.deepEqual(got.projects.map((p) => pick(p, ['project_id', ...keys])), want.projects, 'projects in the order of their first record');
  assert.equal(got.departments.length, want.departments.size);
  for (const d of got.departments) assert.deepEqual(pick(d, keys), want.departments.get(d.unit_id), `department ${d.unit_id}`);
  assert.deepEqual(got.departments.map((d) => d.rank), got.departments.map((_, k) => k + 1));
  assert.deepEqual(pick(got.total, keys), want.total);
  return got;
}

test('for every kind of reader and several periods the statistics equal the figures computed from the issued records', async () => {
  const periods = [[null, null], ['2015-01-01', TODAY], [addDays(TODAY, -90), TODAY], [addDays(TODAY, -400), addDays(TODAY, -200)]];
  let seen = 0;
  for (const c of [office, jinshan, zrzy, enterprise]) {
    for (const [from, to] of periods) seen += (await assertFromFacts(c, from, to)).total.count;
  }
  assert.ok(seen > 0, 'the demo has issued records');
  const everything = await ok(office.get(`/api/v1/approvals/stats?from=2015-01-01&to=${TODAY}`));
  const unit = await ok(jinshan.get(`/api/v1/approvals/stats?from=2015-01-01&to=${TODAY}`));
  assert.ok(unit.total.count > 0 && unit.total.count < everything.total.count, 'a unit reads some of the records, fewer than the office');
});

test('after each event of a record the next answer is computed anew and equals the facts', async () => {
  seq++;
  const item = await ok(office.post('/api/v1/approval-items', {
    code: `st${seq}`, name: `统计事项${seq}`, unit_id: zrzyUnit, statutory_days: 20, promised_days: 3, sort_order: -1,
  }), 201);
  const projects = (await ok(office.get('/api/v1/projects?per_page=500'))).items.filter((p) => !/华巨|飞山奇/.test(p.name));
  const from = addDays(TODAY, -60);
  const before = await assertFromFacts(office, from, TODAY);
  const ev = (a, type, date, extra = {}) => ok(office.post(`/api/v1/approvals/${a.id}/events`, { type, date, ...extra }));
  const a = await ok(office.post(`/api/v1/projects/${projects[3].id}/approvals`, { item_id: item.id }), 201);
  const b = await ok(office.post(`/api/v1/projects/${projects[4].id}/approvals`, { item_id: item.id }), 201);
  await ev(a, 'submit', addDays(TODAY, -20));
  await ev(b, 'submit', addDays(TODAY, -21));
  assert.equal((await assertFromFacts(office, from, TODAY)).total.count, before.total.count, 'submitted is not issued');
  await ev(a, 'accept', addDays(TODAY, -19));
  await ev(a, 'return', addDays(TODAY, -18), { reason: '材料不全' });
  assert.equal((await assertFromFacts(office, from, TODAY)).total.count, before.total.count, 'returned is not issued');
  await ev(a, 'submit', addDays(TODAY, -10));
  await ev(a, 'accept', addDays(TODAY, -9));
  await ev(a, 'issue', addDays(TODAY, -2));
  let got = await assertFromFacts(office, from, TODAY);
  assert.equal(got.total.count, before.total.count + 1);
  // the new item sorts first in the catalogue: its row leads, and so does the project of its first record
  assert.equal(got.items[0].item_id, item.id);
  assert.equal(got.items[0].count, 1);
  assert.equal(got.projects[0].project_id, projects[3].id);
  await ev(b, 'accept', addDays(TODAY, -20));
  await ev(b, 'issue', addDays(TODAY, -1));
  got = await assertFromFacts(office, from, TODAY);
  assert.equal(got.items[0].count, 2);
  // at the same place in the catalogue the first record (a's, created first) puts its project first
  assert.deepEqual(got.projects.slice(0, 2).map((p) => p.project_id), [projects[3].id, projects[4].id]);
  // the issuing department's user sees both through its item; the scope still holds
  await assertFromFacts(zrzy, from, TODAY);
  await assertFromFacts(jinshan, from, TODAY);
});
