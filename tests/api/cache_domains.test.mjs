// Issue 21: the response cache keeps a data version per route, from the data
// domains its answer shows.  A change in a domain an answer shows renews it
// at once (on whichever instance it was made), a change elsewhere leaves it
// cached, and every kept answer is what a server that never cached anything
// answers.  Who may see what (users, units, settings) renews every answer;
// an audit entry of an entity no domain knows renews every answer too;
// logins and audited reads of personal data renew none.  Two users never
// share a cached answer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { PG, TODAY, startServer, dbSql, psqlSession } from './lib.mjs';

const year = TODAY.slice(0, 4);
const URLS = {
  dashboard: `/api/v1/dashboard?year=${year}`,
  reports: '/api/v1/reports?per_page=50&sort=id',
  landProgress: '/api/v1/land-progress',
  households: '/api/v1/households?per_page=50&sort=id',
  approvals: '/api/v1/approvals?per_page=50',
  approvalStats: `/api/v1/approvals/stats?from=${Number(year) - 10}-01-01&to=${TODAY}`,
  financing: `/api/v1/financing/stats?year=${year}`,
  needs: '/api/v1/financing-needs?per_page=50',
  attraction: `/api/v1/attraction/stats?year=${year}`,
  leads: '/api/v1/leads?per_page=50',
  enterprises: '/api/v1/enterprises?per_page=50',
  questions: '/api/v1/questions?per_page=50',
};
const ALL = Object.keys(URLS);

// Asks every URL twice: the second answer comes from the cache.
async function warm(client, names = ALL) {
  const seen = {};
  for (const n of names) {
    const first = await client.get(URLS[n]);
    assert.equal(first.status, 200, `${n}: ${JSON.stringify(first.body)}`);
    const again = await client.get(URLS[n]);
    assert.equal(again.headers.get('x-cache'), 'hit', `${n} is cached`);
    assert.deepEqual(again.body, first.body);
    seen[n] = again.body;
  }
  return seen;
}

// After `label`: the answers of `renewed` are not from the cache, all others
// are; every one is what a server that never cached anything answers.
async function expect(server, who, client, label, renewed) {
  const now = {};
  for (const n of ALL) {
    const r = await client.get(URLS[n]);
    assert.equal(r.status, 200, `${n} after ${label}`);
    if (renewed.includes(n)) assert.notEqual(r.headers.get('x-cache'), 'hit', `${n} answered from a stale cache after ${label}`);
    else assert.equal(r.headers.get('x-cache'), 'hit', `${n} still cached after ${label}`);
    now[n] = r.body;
  }
  const other = await startServer({ db: server.db });
  try {
    const c = await other.login(who);
    for (const n of ALL) assert.deepEqual(now[n], (await c.get(URLS[n])).body, `${n} after ${label}: what a fresh server answers`);
  } finally {
    await other.stop({ keep: true });
  }
  return now;
}

test('a corrected progress report renews the dashboard and the reports list, and leaves land, approvals, finance, attraction, enterprises and questions cached', { timeout: 120000 }, async () => {
  const server = await startServer();
  try {
    const office = await server.login('office');
    const waiting = (await office.get('/api/v1/reports?state=submitted&per_page=1&sort=id')).body.items[0];
    assert.ok(waiting, 'the demo has a report waiting for review');
    const before = await warm(office);
    const r = await office.patch(`/api/v1/reports/${waiting.id}`, { investment: '1234.00' }, { 'If-Match': `"${waiting.version}"` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const after = await expect(server, 'office', office, 'a report corrected', ['dashboard', 'reports']);
    assert.deepEqual(after.landProgress, before.landProgress);
    // read-your-writes: the list the report was found in (cached before the change) shows it corrected
    const again = await office.get('/api/v1/reports?state=submitted&per_page=1&sort=id');
    assert.notEqual(again.headers.get('x-cache'), 'hit');
    assert.equal(again.body.items[0].id, waiting.id);
    assert.equal(again.body.items[0].investment, '1234.00');
    // renewed once, then cached again
    assert.equal((await office.get(URLS.dashboard)).headers.get('x-cache'), 'hit');
  } finally {
    await server.stop();
  }
});

test("a household changed on a second instance renews this instance's land and node answers at once and keeps the others", { timeout: 120000 }, async () => {
  const a = await startServer();
  const b = await startServer({ db: a.db });
  try {
    const office = await a.login('office');
    await warm(office);
    const officeB = await b.login('office');
    const h = (await officeB.get(URLS.households)).body.items[0];
    const cur = (await officeB.get(`/api/v1/households/${h.id}`)).body;
    const r = await officeB.patch(`/api/v1/households/${h.id}`, { notes: '缓存分域测试', version: cur.version });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    // (a household's change may finish its project's land-acquisition node, which the dashboard and the reports list show)
    const after = await expect(a, 'office', office, 'a household changed on B', ['landProgress', 'households', 'dashboard', 'reports']);
    assert.equal(after.households.items.find((x) => x.id === h.id).notes, '缓存分域测试');
  } finally {
    await b.stop({ keep: true });
    await a.stop();
  }
});

test('an enterprise changed renews the enterprise registry, not the land, report or finance answers', { timeout: 120000 }, async () => {
  const server = await startServer();
  try {
    const office = await server.login('office');
    await warm(office);
    const e = (await office.get(URLS.enterprises)).body.items[0];
    const cur = (await office.get(`/api/v1/enterprises/${e.id}`)).body;
    const r = await office.patch(`/api/v1/enterprises/${e.id}`, { address: '株洲市荷塘区缓存路1号' }, { 'If-Match': `"${cur.version}"` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const after = await expect(server, 'office', office, 'an enterprise changed', ['enterprises']);
    assert.equal(after.enterprises.items.find((x) => x.id === e.id).address, '株洲市荷塘区缓存路1号');
  } finally {
    await server.stop();
  }
});

test('logins and audited reads of personal data renew nothing; an audit entry of an entity no domain knows renews everything', { timeout: 120000 }, async () => {
  const server = await startServer();
  try {
    const office = await server.login('office');
    await warm(office);
    const before = dbSql(server.db.url, 'SELECT COUNT(*) FROM audit_log');
    // a reveal of an enterprise's contact (audited as a read) and a login
    const e = (await office.get(URLS.enterprises)).body.items[0];
    const shown = await office.get(`/api/v1/enterprises/${e.id}?reveal=1`);
    assert.equal(shown.status, 200);
    await server.login('leader');
    assert.ok(Number(dbSql(server.db.url, 'SELECT COUNT(*) FROM audit_log')) >= Number(before) + 2, 'the reveal and the login are audited');
    await expect(server, 'office', office, 'a reveal and a login', []);
    // a module this cache has never heard of writes its entry
    dbSql(server.db.url, `INSERT INTO audit_log (at, action, entity, entity_id) VALUES ('${TODAY}T02:00:00.000Z', 'update', 'next_years_module', 1)`);
    await expect(server, 'office', office, 'an unknown entity', ALL);
  } finally {
    await server.stop();
  }
});

test("a change of a user's unit renews that user's cached answers at once: the new scope shows", { timeout: 120000 }, async () => {
  const server = await startServer();
  try {
    const [admin, jinshan, guihua] = [await server.login('admin'), await server.login('jinshan'), await server.login('guihua')];
    const names = ['reports', 'landProgress'];
    const mine = await warm(jinshan, names);
    const theirs = await warm(guihua, names);
    assert.notDeepEqual(mine.reports, theirs.reports, 'two units see different reports');
    const me = (await jinshan.get('/api/v1/me')).body.user;
    const target = (await guihua.get('/api/v1/me')).body.user.unit_id;
    const cur = (await admin.get(`/api/v1/users/${me.id}`)).body;
    const r = await admin.patch(`/api/v1/users/${me.id}`, { unit_id: target, version: cur.version });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const n of names) {
      const now = await jinshan.get(URLS[n]);
      assert.equal(now.status, 200);
      assert.notEqual(now.headers.get('x-cache'), 'hit', `${n} renewed after the move`);
      assert.deepEqual(now.body, (await guihua.get(URLS[n])).body, `${n}: the moved user sees the new unit's answer`);
    }
  } finally {
    await server.stop();
  }
});

test('two users asking the same URL never share a cached answer', { timeout: 120000 }, async () => {
  const server = await startServer();
  try {
    const office = await server.login('office');
    const jinshan = await server.login('jinshan');
    for (const n of ['reports', 'landProgress', 'questions', 'households']) {
      const o1 = await office.get(URLS[n]);
      const o2 = await office.get(URLS[n]);
      assert.equal(o2.headers.get('x-cache'), 'hit', `${n}: office's answer is cached`);
      const j1 = await jinshan.get(URLS[n]);
      if (j1.status !== 200) continue; // a route the unit may not read
      assert.notEqual(j1.headers.get('x-cache'), 'hit', `${n}: the unit's first answer is its own`);
      assert.notDeepEqual(j1.body, o1.body, `${n}: the unit sees its own scope`);
      const j2 = await jinshan.get(URLS[n]);
      assert.equal(j2.headers.get('x-cache'), 'hit');
      assert.deepEqual(j2.body, j1.body);
    }
  } finally {
    await server.stop();
  }
});

// PostgreSQL numbers audit entries before they commit: a change in one
// domain that commits after a newer entry of another domain was read must
// still renew the answers that show it.
test('a change committed late under a lower audit id, after a newer change elsewhere was seen, renews the answers that show it (PostgreSQL)', { skip: PG ? false : 'PostgreSQL only (SQLite commits writers in id order)', timeout: 120000 }, async () => {
  const server = await startServer();
  const psql = psqlSession(server.db.url);
  try {
    const office = await server.login('office');
    await warm(office, ['households', 'enterprises']);
    const h = (await office.get(URLS.households)).body.items[0];
    // the land change takes its audit id first and commits last
    await psql.run(`BEGIN; INSERT INTO audit_log (at, action, entity, entity_id) VALUES ('${TODAY}T02:00:00.000Z', 'update', 'land_household', ${h.id}); UPDATE land_households SET notes = '迟到的征拆提交' WHERE id = ${h.id};`);
    const e = (await office.get(URLS.enterprises)).body.items[0];
    const cur = (await office.get(`/api/v1/enterprises/${e.id}`)).body;
    assert.equal((await office.patch(`/api/v1/enterprises/${e.id}`, { address: '株洲市荷塘区先提交路1号' }, { 'If-Match': `"${cur.version}"` })).status, 200);
    assert.notEqual((await office.get(URLS.enterprises)).headers.get('x-cache'), 'hit', 'the enterprise change is seen');
    const during = await office.get(URLS.households);
    assert.equal(during.body.items.find((x) => x.id === h.id).notes, h.notes, 'the uncommitted change is not visible');
    await psql.run('COMMIT;');
    const after = await office.get(URLS.households);
    assert.notEqual(after.headers.get('x-cache'), 'hit', 'the late land change renews the ledger');
    assert.equal(after.body.items.find((x) => x.id === h.id).notes, '迟到的征拆提交');
    assert.equal((await office.get(URLS.households)).headers.get('x-cache'), 'hit', 'and it is cached again');
  } finally {
    psql.end();
    await server.stop();
  }
});
