// audit.test.mjs — the audit log: who may read it, its filters and order, before/after as
// objects, entries from the API and from the command line, and that nothing — no endpoint,
// not even a direct UPDATE in the database — can rewrite or delete an entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServerAs, guatu, PG, TODAY, addDays } from './lib.mjs';

let server;
let admin;
before(async () => { [server, admin] = await startServerAs('admin'); });
after(async () => { await server?.stop(); });

const today = () => TODAY;
const shift = (days) => addDays(TODAY, days);

test('read by admin and office only', async () => {
  for (const [who, code] of [['admin', 200], ['office', 200], ['leader', 403], ['jinshan', 403], ['enterprise', 403], ['bank', 403]]) {
    const c = who === 'admin' ? admin : await server.login(who);
    assert.equal((await c.get('/api/v1/audit')).status, code, who);
  }
  assert.equal((await server.client().get('/api/v1/audit')).status, 401);
});

test('no endpoint changes or deletes entries', async () => {
  for (const m of ['POST', 'PATCH', 'PUT', 'DELETE']) {
    const r1 = await admin.request(m, '/api/v1/audit', m === 'DELETE' ? undefined : {});
    assert.equal(r1.status, 405, `${m} /audit`);
    const r2 = await admin.request(m, '/api/v1/audit/1', m === 'DELETE' ? undefined : {});
    assert.equal(r2.status, 404, `${m} /audit/1`);
  }
});

test('entries: newest first, full shape, before/after as objects, filters', async () => {
  const made = await admin.post('/api/v1/units', { name: '审计测试单位', kind: 'department', parent_id: 1 });
  assert.equal(made.status, 201);
  const id = made.body.id;
  await admin.patch(`/api/v1/units/${id}`, { name: '审计测试单位二' });
  await admin.del(`/api/v1/units/${id}`);

  const r = await admin.get(`/api/v1/audit?entity=unit&entity_id=${id}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.total, 3);
  const [del, upd, cre] = r.body.items;
  assert.deepEqual([del.action, upd.action, cre.action], ['delete', 'update', 'create']);
  assert.ok(del.id > upd.id && upd.id > cre.id);
  assert.deepEqual(Object.keys(cre).sort(), ['action', 'after', 'at', 'before', 'entity', 'entity_id', 'id', 'ip', 'user_id', 'user_login']);
  assert.equal(cre.before, null);
  assert.equal(typeof cre.after, 'object');
  assert.equal(cre.after.name, '审计测试单位');
  assert.equal(upd.before.name, '审计测试单位');
  assert.equal(upd.after.name, '审计测试单位二');
  assert.equal(del.before.name, '审计测试单位二');
  assert.equal(del.after, null);
  assert.equal(cre.user_login, 'admin');
  assert.equal(cre.ip, '127.0.0.1');
  assert.match(cre.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const me = (await admin.get('/api/v1/me')).body.user;
  assert.equal(cre.user_id, me.id);

  // By user (login or id), action, and dates.
  const byLogin = await admin.get('/api/v1/audit?user=admin&per_page=500');
  assert.ok(byLogin.body.items.length >= 3 && byLogin.body.items.every((e) => e.user_login === 'admin'));
  const byId = await admin.get(`/api/v1/audit?user=${me.id}&per_page=500`);
  assert.equal(byId.body.total, byLogin.body.total);
  const logins = await admin.get('/api/v1/audit?action=login&per_page=500');
  assert.ok(logins.body.total >= 1 && logins.body.items.every((e) => e.action === 'login'));
  assert.equal((await admin.get(`/api/v1/audit?entity=unit&entity_id=${id}&from=${today()}&to=${today()}`)).body.total, 3);
  assert.equal((await admin.get(`/api/v1/audit?entity=unit&entity_id=${id}&from=${shift(1)}`)).body.total, 0);
  assert.equal((await admin.get(`/api/v1/audit?entity=unit&entity_id=${id}&to=${shift(-1)}`)).body.total, 0);
  assert.equal((await admin.get('/api/v1/audit?user=nobody')).body.total, 0);
  // Paging is stable and newest first.
  const p1 = await admin.get('/api/v1/audit?per_page=2&page=1');
  const p2 = await admin.get('/api/v1/audit?per_page=2&page=2');
  assert.ok(p1.body.items[1].id > p2.body.items[0].id);
  // Bad filters are named.
  let bad = await admin.get('/api/v1/audit?from=2024-13-01');
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].field, 'from');
  bad = await admin.get('/api/v1/audit?entity_id=abc');
  assert.equal(bad.body.errors[0].field, 'entity_id');
  bad = await admin.get('/api/v1/audit?from=2024-05-02&to=2024-05-01');
  assert.equal(bad.body.errors[0].field, 'to');
});

test('user entries in the log carry masked phone numbers only', async () => {
  const made = await admin.post('/api/v1/users', { login: 'auditphone', password: 'Phone1234-long', name: '电话', phone: '13612349876', unit_id: 1, roles: ['leader'] });
  assert.equal(made.status, 201);
  await admin.patch(`/api/v1/users/${made.body.id}`, { phone: '13798761234' });
  const office = await server.login('office');
  const r = await office.get(`/api/v1/audit?entity=user&entity_id=${made.body.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.total, 2);
  assert.equal(r.body.items[0].before.phone, '136****9876');
  assert.equal(r.body.items[0].after.phone, '137****1234');
  assert.ok(!/13612349876|13798761234/.test(JSON.stringify(r.body)), 'no full phone number in the log');
});

test('command-line changes are audited as "cli" while the server runs', async () => {
  const r = guatu(['unit', 'add', '--name', '审计命令行单位', '--kind', 'bank', '--parent', '荷塘区', '--db', server.db.url]);
  assert.equal(r.status, 0, r.stderr);
  const id = Number(r.stdout.trim());
  const a = await admin.get(`/api/v1/audit?entity=unit&entity_id=${id}`);
  assert.equal(a.body.total, 1);
  assert.equal(a.body.items[0].user_login, 'cli');
  assert.equal(a.body.items[0].ip, 'local');
  assert.equal(a.body.items[0].after.kind, 'bank');
});

test('an UPDATE or DELETE of the log in the database itself fails', async () => {
  const before = (await admin.get('/api/v1/audit?per_page=1')).body.items[0];
  let up, del;
  if (PG) {
    up = spawnSync('psql', [server.db.url, '-v', 'ON_ERROR_STOP=1', '-c', "UPDATE audit_log SET action = 'forged'"], { encoding: 'utf8' });
    del = spawnSync('psql', [server.db.url, '-v', 'ON_ERROR_STOP=1', '-c', 'DELETE FROM audit_log'], { encoding: 'utf8' });
  } else {
    up = spawnSync('sqlite3', [server.db.url, "UPDATE audit_log SET action = 'forged'"], { encoding: 'utf8' });
    del = spawnSync('sqlite3', [server.db.url, 'DELETE FROM audit_log'], { encoding: 'utf8' });
  }
  assert.notEqual(up.status, 0);
  assert.match(up.stderr, /append-only/);
  assert.notEqual(del.status, 0);
  assert.match(del.stderr, /append-only/);
  const afterwards = (await admin.get(`/api/v1/audit?per_page=1&entity=${before.entity}`)).body;
  assert.ok(afterwards.total >= 1);
  assert.equal((await admin.get('/api/v1/audit?action=forged')).body.total, 0);
});
