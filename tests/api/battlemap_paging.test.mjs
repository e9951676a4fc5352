// The battle map (作战图) pages by group: the group index (groups_only=1) counts every
// project and light of the map group by group; group_key answers one group's projects,
// exactly as the whole map lists them; page/per_page walk the groups in order. A map
// larger than GUATU_BATTLEMAP_MAX projects answers its index and first groups only and
// says where the next page starts. Every answer keeps to the user's data scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fields, TODAY } from './lib.mjs';

const year = Number(TODAY.slice(0, 4));
const GROUPINGS = ['unit', 'leader', 'chain'];
let server, office, guihua;

before(async () => {
  server = await startServer();
  office = await server.login('office');
  guihua = await server.login('guihua');
});
after(async () => {
  await server?.stop();
});

const keyParam = (k) => (k === null ? 'none' : encodeURIComponent(String(k)));
const sum = (xs, f) => xs.reduce((s, x) => s + f(x), 0);
async function get(client, query) {
  const r = await client.get(`/api/v1/battlemap?year=${year}&${query}`);
  assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}

test('the group index counts every project and light of the whole map, group by group, in the same order', async () => {
  for (const group of GROUPINGS) {
    const full = await get(office, `group=${group}&limit=50000`);
    assert.equal(full.paged, false);
    assert.ok(full.total > 20, `${group}: the demo map has projects (${full.total})`);
    const idx = await get(office, `group=${group}&groups_only=1`);
    assert.equal(idx.paged, true);
    assert.equal(idx.total, full.total);
    assert.deepEqual(idx.lights, full.lights);
    assert.equal(sum(idx.groups, (g) => g.count), idx.total, `${group}: the groups' counts add up to the total`);
    for (const light of ['red', 'yellow', 'green']) assert.equal(sum(idx.groups, (g) => g.lights[light]), idx.lights[light], `${group} ${light}`);
    for (const g of idx.groups) {
      assert.equal(g.projects, undefined, 'the index carries no projects');
      assert.equal(g.lights.red + g.lights.yellow + g.lights.green, g.count);
    }
    assert.deepEqual(idx.groups.map((g) => [g.key, g.label, g.count]), full.groups.map((g) => [g.key, g.label, g.projects.length]));
    assert.ok(JSON.stringify(idx).length < JSON.stringify(full).length / 20, 'the index is a small fraction of the map');
  }
});

test('each group asked by group_key lists exactly the projects the whole map lists in it', async () => {
  for (const group of GROUPINGS) {
    const full = await get(office, `group=${group}&limit=50000`);
    for (const g of full.groups) {
      const one = await get(office, `group=${group}&group_key=${keyParam(g.key)}`);
      assert.equal(one.groups.length, 1, `${group} ${g.label}`);
      assert.deepEqual(one.groups[0], g, `${group} ${g.label}: same group, same projects, same nodes`);
      assert.equal(one.total, g.projects.length);
      assert.equal(one.truncated, false);
    }
  }
});

test('a light filter narrows the index and the groups alike', async () => {
  const red = await get(office, 'light=red&limit=50000');
  const idx = await get(office, 'light=red&groups_only=1');
  assert.equal(sum(idx.groups, (g) => g.count), red.total);
  assert.ok(idx.groups.every((g) => g.count === g.lights.red && g.count > 0), 'only groups with red projects, all red');
  const g = idx.groups[0];
  const one = await get(office, `light=red&group_key=${keyParam(g.key)}`);
  assert.equal(one.groups[0].projects.length, g.count);
  assert.ok(one.groups[0].projects.every((p) => p.light === 'red'));
});

test('page and per_page walk the groups in order; next leads to the following page until the last', async () => {
  const full = await get(office, 'limit=50000');
  const idx = await get(office, 'groups_only=1');
  const seen = [];
  let query = 'page=1&per_page=3';
  let pages = 0;
  for (;;) {
    const p = await get(office, query);
    pages++;
    assert.equal(p.paged, true);
    assert.equal(p.per_page, 3);
    assert.equal(p.pages, Math.ceil(idx.groups.length / 3));
    assert.deepEqual(p.index, idx.groups, 'every page carries the whole index');
    assert.equal(p.total, full.total);
    assert.ok(p.groups.length >= 1 && p.groups.length <= 3);
    seen.push(...p.groups);
    if (!p.next) break;
    assert.deepEqual(p.next, { page: p.page + 1, per_page: 3 });
    query = `page=${p.next.page}&per_page=${p.next.per_page}`;
  }
  assert.equal(pages, Math.ceil(idx.groups.length / 3));
  assert.deepEqual(seen, full.groups, 'the pages together are the whole map');
  const beyond = await get(office, `page=${pages + 1}&per_page=3`);
  assert.deepEqual(beyond.groups, []);
  assert.equal(beyond.next, null);
});

test('a town user sees only its own groups, and asking for another unit’s group gives nothing', async () => {
  const all = await get(office, 'groups_only=1');
  const mine = await get(guihua, 'groups_only=1');
  assert.deepEqual(mine.groups.map((g) => g.label), ['桂花街道']);
  const theirs = all.groups.find((g) => g.label === '桂花街道');
  assert.deepEqual(mine.groups[0], theirs, 'the town’s group counts the same as the office sees it');
  const other = all.groups.find((g) => g.label !== '桂花街道');
  const peek = await get(guihua, `group_key=${keyParam(other.key)}`);
  assert.deepEqual(peek.groups, []);
  assert.equal(peek.total, 0);
  for (const group of ['leader', 'chain']) {
    const idx = await get(guihua, `group=${group}&groups_only=1`);
    assert.equal(sum(idx.groups, (g) => g.count), mine.total);
    for (const g of idx.groups) {
      const one = await get(guihua, `group=${group}&group_key=${keyParam(g.key)}`);
      assert.ok(one.groups[0].projects.every((p) => p.unit_name === '桂花街道'), `${group} ${g.label}`);
    }
  }
});

test('a group key that is not a unit or leader id is refused naming the field', async () => {
  for (const [q, field] of [['group_key=abc', 'group_key'], ['group=leader&group_key=-3', 'group_key'], ['group_key=', 'group_key'],
    ['groups_only=2', 'groups_only'], ['per_page=0', 'per_page']]) {
    const r = await office.get(`/api/v1/battlemap?${q}`);
    assert.equal(r.status, 422, q);
    assert.deepEqual(fields(r), [field], q);
    assert.match(r.body.errors[0].message, /[\u4e00-\u9fff].* \/ [A-Za-z]/, 'Chinese / English');
  }
});

test('a map over GUATU_BATTLEMAP_MAX projects answers its index and first groups, and next pages on', async () => {
  const small = await startServer({ env: { GUATU_BATTLEMAP_MAX: '30' } });
  try {
    const c = await small.login('office');
    const full = await get(c, 'limit=50000');
    assert.ok(full.total > 30);
    assert.equal(full.paged, false, 'an explicit limit still answers the whole map');
    const first = await get(c, '');
    assert.equal(first.paged, true);
    assert.equal(first.total, full.total);
    assert.deepEqual(first.lights, full.lights);
    assert.equal(first.index.length, full.groups.length);
    assert.equal(sum(first.index, (g) => g.count), full.total);
    // The first groups up to a third of the limit (10 projects), at least one.
    let upto = 0;
    let k = 0;
    while (k < first.index.length && upto < 10) upto += first.index[k++].count;
    assert.equal(first.groups.length, k);
    assert.deepEqual(first.groups, full.groups.slice(0, k));
    assert.equal(first.page, 1);
    assert.equal(first.per_page, k);
    assert.deepEqual(first.next, { page: 2, per_page: k });
    const rest = await get(c, `page=2&per_page=${k}`);
    assert.deepEqual(rest.groups, full.groups.slice(k, 2 * k));
    assert.ok(JSON.stringify(first).length < JSON.stringify(full).length / 2, 'the first answer is a fraction of the map');
    // A small filtered map is still answered whole.
    const mine = await get(c, `unit=${first.index[0].key}`);
    assert.equal(mine.paged, false);
    assert.equal(mine.groups.length, 1);
  } finally {
    await small.stop();
  }
});
