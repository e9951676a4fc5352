// The battle map reads each project's light from its roll-up (project_rollups) when the roll-up
// is today's, and computes it from the nodes, plan and approved investment otherwise: either way
// every project shows the light the project list computes from the facts. The monthly rankings
// narrow their rows by top=N and page/per_page while the totals count every row; the approval
// statistics and the land progress answer the same figures as before their speed-ups.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, assertRollups, TODAY, addDays, PG, eventually } from './lib.mjs';

const year = Number(TODAY.slice(0, 4));
let server, office, leader, jinshan;
let nonce = 0;

before(async () => {
  server = await startServer();
  [office, leader, jinshan] = await Promise.all(['office', 'leader', 'jinshan'].map((w) => server.login(w)));
});
after(async () => { await server?.stop(); });

function sql(srv, text) {
  const r = PG ? spawnSync('psql', [srv.db.url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' })
    : spawnSync('sqlite3', [srv.db.url, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

// A URL of its own for each read: direct SQL writes are not audited, so an answer cached before
// them would otherwise be served again.
async function mapLights(client, y = year) {
  const r = await client.get(`/api/v1/battlemap?year=${y}&limit=50000&_=${nonce++}`);
  assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
  const lights = new Map();
  for (const g of r.body.groups) for (const p of g.projects) lights.set(p.id, p.light);
  assert.equal(lights.size, r.body.total);
  return lights;
}

// The lights the project list computes from the facts (it reads no roll-up), this year's.
// Pages of 50: a page computes each row's light on its own (slow enough on PostgreSQL).
async function listLights(client) {
  const lights = new Map();
  for (let page = 1; ; page++) {
    const r = await client.get(`/api/v1/projects?per_page=50&page=${page}&_=${nonce++}`);
    assert.equal(r.status, 200);
    for (const p of r.body.items) lights.set(p.id, p.light);
    if (page * 50 >= r.body.total) return lights;
  }
}

async function assertMapMatchesFacts(client, y = year, what = '', known = null) {
  const map = await mapLights(client, y);
  const facts = known || await listLights(client);
  assert.ok(map.size > 20, `the demo map has projects (${map.size})`);
  const counts = { red: 0, yellow: 0, green: 0 };
  let compared = 0;
  for (const [id, light] of map) {
    assert.equal(light, facts.get(id), `${what} project ${id}: the map's light is the light of the facts`);
    counts[light]++;
    compared++;
  }
  assert.ok(compared > 10, `${what}: ${compared} projects compared`);
  return counts;
}

test('on the pinned day every project on the battle map shows the light its nodes, plan and investment give', async () => {
  assertRollups(server);
  const day = sql(server, 'SELECT DISTINCT day FROM project_rollups').trim();
  assert.equal(day, TODAY, 'the roll-ups are today\'s');
  const counts = await assertMapMatchesFacts(office, year, 'today');
  assert.ok(counts.red + counts.yellow > 0, `the demo has lagging projects (${JSON.stringify(counts)})`);
});

test('the map uses a roll-up only when it is today\'s: rows for another day are not read, rows for today are', async () => {
  const saved = sql(server, 'SELECT project_id, light FROM project_rollups ORDER BY project_id').trim();
  const facts = await listLights(office); // only the roll-ups change in this test
  const tomorrow = addDays(TODAY, 1);
  // rows for the next day (an instance already past midnight wrote them), every light shifted:
  // this instance, still on its day, computes the lights itself (and its tick leaves later rows alone)
  sql(server, `UPDATE project_rollups SET day = '${tomorrow}', light = (light + 1) - 3 * ((light + 1) / 3)`);
  await assertMapMatchesFacts(office, year, 'rows for tomorrow', facts);
  // rows marked today are read as they are: a project shows its shifted stored light, unless
  // approved investment of a month after the one the stored light counts to makes the map compute
  sql(server, `UPDATE project_rollups SET day = '${TODAY}'`);
  const m = Number(TODAY.slice(5, 7));
  const upto = `${year}-${String(m > 1 ? m - 1 : 1).padStart(2, '0')}`;
  const later = new Set(sql(server, `SELECT project_id FROM reports WHERE state = 'approved' AND period > '${upto}' AND period <= '${year}-12' GROUP BY project_id HAVING SUM(investment) <> 0`)
    .trim().split('\n').filter(Boolean).map(Number));
  const shifted = new Map(sql(server, 'SELECT project_id, light FROM project_rollups').trim().split('\n')
    .map((l) => l.split('|').map(Number)).map(([id, l]) => [id, ['green', 'yellow', 'red'][l]]));
  const map = await mapLights(office);
  let stored = 0;
  for (const [id, light] of map) {
    if (later.has(id)) assert.equal(light, facts.get(id), `project ${id}: investment after ${upto}, computed`);
    else {
      assert.equal(light, shifted.get(id), `project ${id}: today's stored light is what the map shows`);
      stored++;
    }
  }
  assert.ok(stored > 10, `${stored} projects shown with their stored light`);
  // put the true rows back: the check agrees with the facts again
  sql(server, saved.split('\n').map((line) => {
    const [id, light] = line.split('|');
    return `UPDATE project_rollups SET light = ${light} WHERE project_id = ${id};`;
  }).join(' '));
  assertRollups(server);
  await assertMapMatchesFacts(office, year, 'rows restored', facts);
});

test('on the next day, before and after the daily tick, the map shows that day\'s lights', async () => {
  await server.stop({ keep: true });
  const next = addDays(TODAY, 1);
  const srv = await startServer({ db: server.db, env: { GUATU_TODAY: next } });
  try {
    const o = await srv.login('office');
    // rows still for the pinned day until the tick has run: computed
    sql(srv, `UPDATE project_rollups SET day = '${TODAY}'`);
    await assertMapMatchesFacts(o, Number(next.slice(0, 4)), 'next day');
    // until the tick has run (about once a second; slower on a loaded machine)
    let day = '';
    await eventually(() => (day = sql(srv, 'SELECT MIN(day) FROM project_rollups').trim()) === next);
    assert.equal(day, next, 'the tick stored the next day\'s rows');
    await assertMapMatchesFacts(o, Number(next.slice(0, 4)), 'next day after the tick');
    assertRollups(srv);
  } finally {
    await srv.stop({ keep: true });
  }
  server = await startServer({ db: server.db });
  [office, leader, jinshan] = await Promise.all(['office', 'leader', 'jinshan'].map((w) => server.login(w)));
});

test('the group index of the battle map counts the same lights as the whole map', async () => {
  const full = (await office.get(`/api/v1/battlemap?year=${year}&limit=50000`)).body;
  const idx = (await office.get(`/api/v1/battlemap?year=${year}&groups_only=1`)).body;
  assert.deepEqual(idx.lights, full.lights);
  assert.equal(idx.total, full.total);
});

async function currentMonth() {
  const r = await office.get('/api/v1/accountability');
  assert.equal(r.status, 200);
  return r.body.month;
}

test('rankings top=N keeps each peer group\'s best N rows in rank order while size and total count every row', async () => {
  const month = await currentMonth();
  const all = (await office.get(`/api/v1/rankings?month=${month}`)).body;
  assert.ok(all.total > 6, `the demo ranks units (${all.total})`);
  const r = await office.get(`/api/v1/rankings?month=${month}&top=2`);
  assert.equal(r.status, 200);
  assert.equal(r.body.top, 2);
  assert.equal(r.body.total, all.total);
  assert.deepEqual(r.body.groups.map((g) => g.size), all.groups.map((g) => g.size));
  for (const [i, g] of r.body.groups.entries()) {
    assert.deepEqual(g.items, all.groups[i].items.slice(0, 2), `${g.group}: the first two rows of the whole board`);
  }
  assert.deepEqual(r.body.items, r.body.groups.flatMap((g) => g.items));
  const bad = await office.get(`/api/v1/rankings?month=${month}&top=0`);
  assert.equal(bad.status, 422);
  assert.ok(bad.body.errors.some((e) => e.field === 'top'));
});

test('rankings page and per_page walk every row once, in the order of the whole board', async () => {
  const month = await currentMonth();
  const all = (await office.get(`/api/v1/rankings?month=${month}`)).body;
  const seen = [];
  for (let page = 1; page <= Math.ceil(all.total / 4); page++) {
    const r = await office.get(`/api/v1/rankings?month=${month}&page=${page}&per_page=4`);
    assert.equal(r.status, 200);
    assert.equal(r.body.total, all.total);
    assert.equal(r.body.page, page);
    assert.equal(r.body.per_page, 4);
    assert.ok(r.body.items.length <= 4);
    assert.deepEqual(r.body.groups.flatMap((g) => g.items), r.body.items, 'the groups hold the rows of the page');
    assert.deepEqual(r.body.groups.map((g) => g.size), all.groups.map((g) => g.size));
    seen.push(...r.body.items);
  }
  assert.deepEqual(seen, all.items);
  const past = await office.get(`/api/v1/rankings?month=${month}&page=${Math.ceil(all.total / 4) + 1}&per_page=4`);
  assert.deepEqual(past.body.items, []);
  // a town still sees only its own row, paged or not
  const own = await jinshan.get(`/api/v1/rankings?month=${month}&page=1&per_page=20`);
  assert.deepEqual(own.body.items.map((x) => x.unit_name), ['金山街道']);
  assert.equal(own.body.total, 1);
  // an export takes every row whatever the page
  const x = await office.get(`/api/v1/rankings?month=${month}&page=2&per_page=1&format=csv`);
  assert.equal(x.status, 200);
  const lines = x.body.toString().trim().split('\n').length;
  assert.equal(lines, all.total + 1, 'a header and every row');
});

test('the approval statistics count every record issued in the period, per item, department and project alike', async () => {
  const from = `${year}-01-01`;
  const r = await office.get(`/api/v1/approvals/stats?from=${from}&to=${TODAY}`);
  assert.equal(r.status, 200);
  const issued = Number(sql(server, `SELECT COUNT(*) FROM approvals WHERE state = 'issued' AND issued_on >= '${from}' AND issued_on <= '${TODAY}' AND submitted_on IS NOT NULL`).trim());
  assert.equal(r.body.total.count, issued);
  const sum = (xs) => xs.reduce((s, x) => s + x.count, 0);
  assert.equal(sum(r.body.items), issued);
  assert.equal(sum(r.body.departments), issued);
  assert.equal(sum(r.body.projects), issued);
  assert.equal(new Set(r.body.projects.map((p) => p.project_id)).size, r.body.projects.length, 'one row per project');
  assert.equal(new Set(r.body.items.map((p) => p.item_id)).size, r.body.items.length, 'one row per item');
  assert.deepEqual(r.body.departments.map((d) => d.rank), r.body.departments.map((_, i) => i + 1));
});

test('a change to problems alone (as the escalation ticks make) leaves land progress and approval statistics cached', async () => {
  const a = await office.get('/api/v1/land-progress');
  const b = await office.get('/api/v1/approvals/stats');
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  // a problem raised (audited as a problem): neither answer shows problems
  const p = (await office.get('/api/v1/projects?per_page=1')).body.items[0];
  const raised = await office.post('/api/v1/problems', {
    project_id: p.id, unit_id: p.unit_id, category: 'utilities', title: '施工用电增容未到位', description: '需增容至2000千伏安', deadline_days: 3,
  });
  assert.equal(raised.status, 201, JSON.stringify(raised.body));
  const a2 = await office.get('/api/v1/land-progress');
  const b2 = await office.get('/api/v1/approvals/stats');
  assert.equal(a2.headers.get('x-cache'), 'hit', 'land progress: the cached answer');
  assert.equal(b2.headers.get('x-cache'), 'hit', 'approval statistics: the cached answer');
  assert.deepEqual(a2.body, a.body);
  assert.deepEqual(b2.body, b.body);
});

test('land progress: each unit row adds up its projects\' own figures, and the totals add up the units, for the office and a unit user', async () => {
  const FIELDS = ['households', 'signed', 'demolished', 'handed_over', 'houses', 'houses_demolished'];
  const MONEY = ['acquired_mu', 'surveyed_mu', 'due', 'paid'];
  const num = (v) => Math.round(Number(v) * 100);
  const sany = await server.login('sany');
  for (const [who, c] of [['office', office], ['sany', sany]]) {
    const r = await c.get('/api/v1/land-progress');
    assert.equal(r.status, 200);
    const lp = r.body;
    assert.ok(lp.by_unit.length > 0 && lp.by_project.length > 0, `${who}: the demo has land projects in scope (${lp.by_unit.length} units, ${lp.by_project.length} projects)`);
    for (const f of FIELDS) assert.equal(lp[f], lp.by_unit.reduce((s, u) => s + u[f], 0), `total ${f}`);
    for (const f of MONEY) assert.equal(num(lp[f]), lp.by_unit.reduce((s, u) => s + num(u[f]), 0), `total ${f}`);
    const starts = lp.by_unit.map((u) => u.start_on).filter(Boolean).sort();
    assert.equal(lp.start_on, starts[0] ?? null);
    // every project listed (the demo has fewer than 500) with its own figures, and each unit the sum of its projects
    const perUnit = new Map();
    for (const p of lp.by_project) {
      const own = (await c.get(`/api/v1/projects/${p.project_id}/land-progress`)).body;
      for (const f of [...FIELDS, 'start_on']) assert.equal(p[f], own[f], `project ${p.project_id} ${f}`);
      for (const f of MONEY) assert.equal(p[f], own[f], `project ${p.project_id} ${f}`);
      const unit = (await c.get(`/api/v1/projects/${p.project_id}`)).body.unit_id;
      const u = perUnit.get(unit) || Object.fromEntries([...FIELDS, ...MONEY].map((f) => [f, 0]));
      for (const f of FIELDS) u[f] += p[f];
      for (const f of MONEY) u[f] += num(p[f]);
      perUnit.set(unit, u);
    }
    assert.deepEqual(lp.by_unit.map((u) => u.unit_id), [...perUnit.keys()].sort((a, b) => a - b), 'one row per unit with land projects, by id');
    for (const u of lp.by_unit) {
      const sum = perUnit.get(u.unit_id);
      for (const f of FIELDS) assert.equal(u[f], sum[f], `unit ${u.unit_id} ${f}`);
      for (const f of MONEY) assert.equal(num(u[f]), sum[f], `unit ${u.unit_id} ${f}`);
    }
  }
});
