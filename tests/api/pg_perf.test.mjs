// pg_perf.test.mjs — what the PostgreSQL round-trip work (issue 21) must not change,
// on both stores: list totals stay exact on every page (they are counted once per
// filter and data version, and a change, a different user's scope or a different
// filter is never answered with another list's count), /health keeps its promise, the
// server's PostgreSQL connections are named, and answers stay right once more distinct
// statements have been used than a connection's statement cache holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServerAs, PG, TODAY } from './lib.mjs';
import { unitId } from './reports_helpers.mjs';

let server, office, jinshan, guihua, jinshanUnit, project;
const year = Number(TODAY.slice(0, 4));
const chain = `链${process.pid}`; // a chain of this file's own projects only
let seq = 0;

before(async () => {
  [server, office, jinshan, guihua] = await startServerAs('office', 'jinshan', 'guihua');
  jinshanUnit = await unitId(office, '金山街道');
  const mine = await jinshan.get('/api/v1/projects?per_page=1');
  assert.equal(mine.status, 200);
  project = mine.body.items[0];
  assert.ok(project, 'a demo project of 金山街道');
});
after(async () => { await server?.stop(); });

async function createProject(extra = {}) {
  const code = `PGP-${process.pid}-${seq++}`;
  const r = await office.post('/api/v1/projects', {
    code, name: `性能测试项目${code}`, level: 'district', category: '产业项目', chain, stage: 'construction',
    unit_id: jinshanUnit, total_investment: '1亿', annual_plan: { [String(year)]: '5000万' }, ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

const listUrl = (page, extra = '') => `/api/v1/projects?chain=${encodeURIComponent(chain)}&per_page=2&page=${page}${extra}`;

test('a project list total is exact on every page, and moves at once when a project is added or deleted', async () => {
  for (let i = 0; i < 5; i++) await createProject();
  for (const page of [1, 2, 3, 4]) {
    const r = await office.get(listUrl(page));
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 5, `page ${page} says 5 projects`);
    assert.equal(r.body.items.length, Math.max(0, Math.min(2, 5 - (page - 1) * 2)), `page ${page} holds its share`);
  }
  // asked again (the count is reused now), still exact; then a change moves it on every page
  assert.equal((await office.get(listUrl(3))).body.total, 5);
  const sixth = await createProject();
  for (const page of [2, 3, 4]) {
    const r = await office.get(listUrl(page));
    assert.equal(r.body.total, 6, `after adding, page ${page} says 6`);
  }
  assert.equal((await office.get(listUrl(3))).body.items.length, 2, 'page 3 now holds the 5th and 6th');
  const del = await office.del(`/api/v1/projects/${sixth.id}`);
  assert.equal(del.status, 204, JSON.stringify(del.body));
  assert.equal((await office.get(listUrl(2))).body.total, 5, 'after deleting, page 2 says 5 again');
  assert.equal((await office.get(listUrl(3))).body.items.length, 1);
});

test('a list total follows the filter and the asker: other filters, sorts and scopes are counted on their own', async () => {
  await createProject({ stage: 'preparation' });
  const all = (await office.get(listUrl(2))).body.total;
  const prep = (await office.get(listUrl(2, '&stage=preparation'))).body.total;
  const built = (await office.get(listUrl(2, '&stage=construction'))).body.total;
  assert.ok(prep >= 1, 'the preparation project is counted under its stage');
  assert.equal(prep + built, all, 'the two stages add up to the whole chain');
  assert.equal((await office.get(listUrl(2, '&sort=-name'))).body.total, all, 'a sort does not change the total');
  // 金山街道 sees its own projects (all of this chain); 桂花街道 sees none of them
  assert.equal((await jinshan.get(listUrl(2))).body.total, all);
  const other = await guihua.get(listUrl(2));
  assert.equal(other.status, 200);
  assert.equal(other.body.total, 0, "another street's user is not given this chain's count");
  assert.equal(other.body.items.length, 0);
});

test('a problem list total is exact beyond the first page and counts a problem raised in between; each item names its co-units as the problem does', async () => {
  const url = (page) => `/api/v1/problems?project=${project.id}&per_page=1&page=${page}`;
  const before = (await office.get(url(2))).body.total;
  assert.equal((await office.get(url(2))).body.total, before, 'asked twice, the same total');
  const r = await office.post('/api/v1/problems', {
    project_id: project.id, category: 'utilities', title: '临时用水未接通', description: '施工用水需接入市政管网',
    unit_id: jinshanUnit, deadline_days: 3,
    co_unit_ids: [await unitId(office, '荷塘区自然资源分局'), await unitId(office, '桂花街道')],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // the list names each problem's co-units as the problem itself does (read for the page in one go)
  const pageAll = (await office.get(`/api/v1/problems?project=${project.id}&per_page=100`)).body.items;
  assert.ok(pageAll.length >= 2);
  for (const it of pageAll) {
    const one = (await office.get(`/api/v1/problems/${it.id}`)).body;
    assert.deepEqual([it.co_unit_ids, it.co_unit_names], [one.co_unit_ids, one.co_unit_names], `problem ${it.id}`);
  }
  const mine = pageAll.find((it) => it.id === r.body.id);
  assert.equal(mine.co_unit_ids.length, 2, 'the new problem lists its two co-units');
  for (const page of [1, 2, 3]) assert.equal((await office.get(url(page))).body.total, before + 1, `page ${page} counts the new problem`);
  const open = (await office.get(`/api/v1/problems?project=${project.id}&state=open&per_page=1&page=2`)).body.total;
  assert.ok(open >= 1 && open <= before + 1, 'the open ones are counted by their own filter');
});

test('health answers ok with the schema version on every call, many at once included', async () => {
  const first = await fetch(`${server.base}/api/v1/health`);
  assert.equal(first.status, 200);
  const h = await first.json();
  assert.equal(h.status, 'ok');
  assert.equal(h.database, PG ? 'postgresql' : 'sqlite');
  assert.ok(Number.isInteger(h.schema_version) && h.schema_version > 0, 'a schema version');
  const many = await Promise.all(Array.from({ length: 20 }, () => fetch(`${server.base}/api/v1/health`).then(async (r) => [r.status, await r.json()])));
  for (const [status, body] of many) {
    assert.equal(status, 200);
    assert.deepEqual(body, h, 'the same answer');
  }
});

test('PostgreSQL: the server connections name themselves guatu to the database', { skip: !PG && 'PostgreSQL only' }, async () => {
  const u = new URL(server.db.url);
  const dbname = u.pathname.slice(1);
  const r = spawnSync('psql', ['-h', u.hostname, '-p', u.port, '-U', u.username, '-d', dbname, '-Atc',
    `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '${dbname}' AND application_name = 'guatu'`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Number(r.stdout.trim()) >= 3, 'the pool (2 threads + the ticker) is connected under the name guatu');
});

test('PostgreSQL or SQLite: answers stay the same after more distinct statements than the statement cache holds', async () => {
  const probe = async () => {
    const p = await office.get(`/api/v1/projects/${project.id}`);
    const n = await office.get(`/api/v1/projects/${project.id}/nodes`);
    assert.equal(p.status, 200);
    assert.equal(n.status, 200);
    return JSON.stringify([p.body, n.body]);
  };
  const first = await probe();
  // 240 distinct list queries (a distinct text each: the filters differ in which columns
  // they name), beyond the 192 cached statements of each connection
  const filters = ['q=a', 'level=district', 'stage=construction', 'chain=x', 'category=产业项目', 'tag=t', `unit=${jinshanUnit}`, 'leader=1', `year=${year}`];
  const combos = [];
  for (let mask = 1; mask < 1 << filters.length && combos.length < 240; mask++)
    combos.push(filters.filter((_, i) => mask & (1 << i)).join('&'));
  for (const c of combos) {
    const r = await office.get(`/api/v1/projects?${c}&per_page=1`);
    assert.equal(r.status, 200, `${c}: ${JSON.stringify(r.body)}`);
  }
  assert.equal(await probe(), first, 'the project and its nodes read the same as before');
});
