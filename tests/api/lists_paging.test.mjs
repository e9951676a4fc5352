// lists_paging.test.mjs — the new modules' lists (enterprise requests, leads, financing needs,
// questions, enterprises) page through their rows in their default order, every row exactly once,
// with a total that is the number of rows the filters and the caller's scope leave: for the
// office (who reads all, counted without joins), for scoped users (enterprise, bank, unit) and
// with filters that read joined tables (the text search, a lead's shown stage).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';

let server, u;
before(async () => {
  server = await startServer();
  u = {};
  for (const w of ['office', 'enterprise', 'bank', 'jinshan', 'guihua']) u[w] = await server.login(w);
});
after(async () => { await server?.stop(); });

// Every page of a list at `per` a page: the items in order, and the total each page gave.
async function allPages(who, path, per = 7) {
  const items = [];
  let total = null;
  for (let page = 1; page <= 1000; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await who.get(`${path}${sep}per_page=${per}&page=${page}`);
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    if (total === null) total = r.body.total;
    assert.equal(r.body.total, total, `${path}: the same total on every page`);
    items.push(...r.body.items);
    if (r.body.items.length < per) break;
  }
  return { items, total };
}

function assertOnce(path, { items, total }) {
  assert.equal(items.length, total, `${path}: the pages hold total rows`);
  assert.equal(new Set(items.map((i) => i.id)).size, items.length, `${path}: no row twice`);
}

const byIdDesc = (a, b) => b.id - a.id;
const cmp = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
const LISTS = [
  { path: '/api/v1/enterprise-requests', order: byIdDesc },
  { path: '/api/v1/leads', order: byIdDesc },
  { path: '/api/v1/financing-needs', order: byIdDesc },
  { path: '/api/v1/questions', order: (a, b) => cmp(b.created_at, a.created_at) || b.id - a.id },
  { path: '/api/v1/enterprises', order: (a, b) => cmp(a.name, b.name) || a.id - b.id },
];

test('each list pages through every row once in its default order, the total counting them', async () => {
  for (const { path, order } of LISTS) {
    const all = await allPages(u.office, path);
    assert.ok(all.total > 0, `${path}: the demo has rows`);
    assertOnce(path, all);
    assert.deepEqual(all.items.map((i) => i.id), [...all.items].sort(order).map((i) => i.id), `${path}: the default order`);
    const big = (await u.office.get(`${path}?per_page=500`)).body;
    assert.equal(big.total, all.total);
    assert.deepEqual(big.items.map((i) => i.id), all.items.map((i) => i.id), `${path}: one page or many, the same rows`);
  }
});

test('a scoped caller pages through exactly the rows in scope, and the total says how many', async () => {
  const cases = [
    ['enterprise', '/api/v1/enterprise-requests'], ['jinshan', '/api/v1/enterprise-requests'],
    ['guihua', '/api/v1/enterprise-requests'], ['enterprise', '/api/v1/financing-needs'], ['bank', '/api/v1/financing-needs'],
    ['jinshan', '/api/v1/leads'], ['jinshan', '/api/v1/questions'], ['enterprise', '/api/v1/enterprises'],
    ['jinshan', '/api/v1/enterprises'],
  ];
  for (const [who, path] of cases) {
    const r = await u[who].get(`${path}?per_page=1`);
    if (r.status === 403) continue; // not this role's list
    const scoped = await allPages(u[who], path, 5);
    assertOnce(`${who} ${path}`, scoped);
    const everything = new Set((await allPages(u.office, path, 500)).items.map((i) => i.id));
    assert.ok(scoped.items.every((i) => everything.has(i.id)), `${who} ${path}: rows the office also sees`);
    assert.ok(scoped.total <= everything.size);
  }
});

test('filters count what they show: state, category, enterprise, stage, text search', async () => {
  const reqs = (await allPages(u.office, '/api/v1/enterprise-requests', 500)).items;
  const first = reqs[0];
  const filters = [
    ['/api/v1/enterprise-requests?state=' + first.state, (i) => i.state === first.state],
    ['/api/v1/enterprise-requests?category=' + first.category, (i) => i.category === first.category],
    ['/api/v1/enterprise-requests?enterprise_id=' + first.enterprise_id, (i) => i.enterprise_id === first.enterprise_id],
    ['/api/v1/enterprise-requests?unit_id=' + first.unit_id, (i) => i.unit_id === first.unit_id],
    ['/api/v1/enterprise-requests?q=' + encodeURIComponent(first.enterprise_name), (i) =>
      i.enterprise_name.includes(first.enterprise_name) || i.text.includes(first.enterprise_name)],
  ];
  for (const [path, keep] of filters) {
    const got = await allPages(u.office, path, 3);
    assertOnce(path, got);
    assert.deepEqual(got.items.map((i) => i.id), reqs.filter(keep).map((i) => i.id), path);
  }
  const leads = (await allPages(u.office, '/api/v1/leads', 500)).items;
  for (const stage of new Set(leads.map((l) => l.stage))) {
    const got = await allPages(u.office, `/api/v1/leads?stage=${stage}`, 3);
    assertOnce(`leads ${stage}`, got);
    assert.deepEqual(got.items.map((i) => i.id), leads.filter((l) => l.stage === stage).map((l) => l.id), `leads stage=${stage}`);
  }
  const needs = (await allPages(u.office, '/api/v1/financing-needs', 500)).items;
  const name = needs[0].enterprise_name;
  const got = await allPages(u.office, `/api/v1/financing-needs?q=${encodeURIComponent(name)}`, 2);
  assertOnce('needs q', got);
  assert.deepEqual(got.items.map((i) => i.id),
    needs.filter((n) => n.enterprise_name.includes(name) || (n.purpose || '').includes(name)).map((n) => n.id));
  const open = await allPages(u.office, '/api/v1/financing-needs?state=open', 3);
  assert.deepEqual(open.items.map((i) => i.id), needs.filter((n) => n.state === 'open').map((n) => n.id));
});
