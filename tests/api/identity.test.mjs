// identity.test.mjs — units, users, API tokens, roles and the rules around logging in:
// every role against every rule of these endpoints (401 when nobody is logged in, 403 when
// the role may not), CSRF, lock-out, token revocation, sessions ended by password changes
// and disabling, masked and revealed phone numbers, and the audit entries each change
// writes (and refused requests do not).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServerAs, guatu, fields, Client, PG } from './lib.mjs';

let server;
let admin;
before(async () => { [server, admin] = await startServerAs('admin'); });
after(async () => { await server?.stop(); });

const auditTotal = async () => (await admin.get('/api/v1/audit?per_page=1')).body.total;
const unitId = async (name) => (await admin.get(`/api/v1/units?per_page=500&q=${encodeURIComponent(name)}`)).body.items.find((u) => u.name === name)?.id;
const sqlCli = (statement) => (PG
  ? spawnSync('psql', [server.db.url, '-v', 'ON_ERROR_STOP=1', '-tAc', statement], { encoding: 'utf8' })
  : spawnSync('sqlite3', [server.db.url, statement], { encoding: 'utf8' }));
let seq = 0;
const uniq = (p) => `${p}${process.pid % 1000}${Date.now() % 100000}${seq++}`;

async function makeUser(roles, unitName = '金山街道', password = 'Passw0rd1-test') {
  const login = uniq('u');
  const r = await admin.post('/api/v1/users', { login, password, name: '测试' + login, phone: '13912345678', unit_id: await unitId(unitName), roles });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.id, login, password };
}

describe('who may call what', () => {
  test('nobody logged in gets 401 on every identity endpoint', async () => {
    const c = server.client();
    for (const [m, p] of [['GET', '/api/v1/units'], ['POST', '/api/v1/units'], ['PATCH', '/api/v1/units/1'], ['DELETE', '/api/v1/units/1'],
      ['GET', '/api/v1/users'], ['GET', '/api/v1/users/1'], ['POST', '/api/v1/users'], ['PATCH', '/api/v1/users/1'],
      ['GET', '/api/v1/tokens'], ['POST', '/api/v1/tokens'], ['DELETE', '/api/v1/tokens/1'], ['GET', '/api/v1/audit'], ['GET', '/api/v1/me']]) {
      const r = await c.request(m, p, m === 'GET' || m === 'DELETE' ? undefined : {});
      assert.equal(r.status, 401, `${m} ${p}`);
      assert.match(r.headers.get('content-type'), /problem\+json/);
    }
  });

  test('each role: units readable by all, users by admin and office, audit by admin and office, changes by admin only', async () => {
    const pub = await makeUser(['public'], '荷塘区');
    const who = { admin: 'admin', office: 'office', leader: 'leader', unit: 'jinshan', enterprise: 'enterprise', bank: 'bank', public: [pub.login, pub.password] };
    const expect = {
      //          units  users  user/1 audit  POST units  POST users  PATCH user  tokens
      admin:      [200,   200,   200,   200,   201,        422,        200,        200],
      office:     [200,   200,   200,   200,   403,        403,        403,        200],
      leader:     [200,   403,   403,   403,   403,        403,        403,        200],
      unit:       [200,   403,   403,   403,   403,        403,        403,        200],
      enterprise: [200,   403,   403,   403,   403,        403,        403,        200],
      bank:       [200,   403,   403,   403,   403,        403,        403,        200],
      public:     [200,   403,   403,   403,   403,        403,        403,        200],
    };
    const target = await makeUser(['unit']);
    for (const [role, codes] of Object.entries(expect)) {
      const c = await server.login(who[role]);
      const got = [
        (await c.get('/api/v1/units')).status,
        (await c.get('/api/v1/users')).status,
        (await c.get(`/api/v1/users/${target.id}`)).status,
        (await c.get('/api/v1/audit')).status,
        (await c.post('/api/v1/units', { name: uniq('单位'), kind: 'department', parent_id: 1 })).status,
        (await c.post('/api/v1/users', { login: '' })).status, // admin gets as far as validation
        (await c.patch(`/api/v1/users/${target.id}`, { name: '改名' + role })).status,
        (await c.get('/api/v1/tokens')).status,
      ];
      assert.deepEqual(got, codes, role);
    }
  });

  test('a refused request writes no audit entry', async () => {
    const office = await server.login('office');
    const leader = await server.login('leader');
    const n0 = await auditTotal();
    assert.equal((await office.post('/api/v1/units', { name: uniq('x'), kind: 'town' })).status, 403);
    assert.equal((await leader.patch('/api/v1/users/1', { disabled: true })).status, 403);
    assert.equal((await admin.post('/api/v1/units', { name: uniq('x'), kind: 'castle' })).status, 422);
    assert.equal((await admin.post('/api/v1/users', { login: uniq('v'), password: 'short', name: 'x', unit_id: 1, roles: ['unit'] })).status, 422);
    assert.equal((await server.client().post('/api/v1/units', { name: 'x', kind: 'town' })).status, 401);
    assert.equal(await auditTotal(), n0);
  });
});

describe('CSRF and Bearer', () => {
  test('a cookie session must send X-CSRF-Token on changes; GET needs none', async () => {
    const c = await server.login('admin');
    assert.ok(c.csrf.length >= 32);
    const n0 = await auditTotal();
    let r = await c.post('/api/v1/units', { name: uniq('无令牌'), kind: 'town', parent_id: 1 }, { 'X-CSRF-Token': '' });
    assert.equal(r.status, 403);
    assert.match(r.body.title, /CSRF/);
    r = await c.post('/api/v1/units', { name: uniq('错令牌'), kind: 'town', parent_id: 1 }, { 'X-CSRF-Token': 'f'.repeat(64) });
    assert.equal(r.status, 403);
    assert.equal(await auditTotal(), n0);
    assert.equal((await c.get('/api/v1/units')).status, 200);
    r = await c.post('/api/v1/units', { name: uniq('有令牌'), kind: 'town', parent_id: 1 });
    assert.equal(r.status, 201);
    // The token from GET /me is the same one.
    const me = await c.get('/api/v1/me');
    assert.equal(me.body.csrf_token, c.csrf);
  });

  test('a Bearer request needs no CSRF token', async () => {
    const made = await admin.post('/api/v1/tokens', { name: 'csrf-free' });
    const b = new Client(server.base);
    b.token = made.body.token;
    const r = await b.post('/api/v1/units', { name: uniq('令牌建'), kind: 'department', parent_id: 1 });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
});

describe('units', () => {
  test('create keeps the path; list filters by q and kind; list shape', async () => {
    const top = await admin.post('/api/v1/units', { name: uniq('测试指挥部'), kind: 'hq', parent_id: 1 });
    assert.equal(top.status, 201);
    assert.equal(top.body.path, `/1/${top.body.id}/`);
    const kid = await admin.post('/api/v1/units', { name: uniq('测试组'), kind: 'group', parent_id: top.body.id });
    assert.equal(kid.body.path, `/1/${top.body.id}/${kid.body.id}/`);
    assert.equal(kid.body.parent_id, top.body.id);
    const root = await admin.post('/api/v1/units', { name: uniq('别区'), kind: 'district' });
    assert.equal(root.body.path, `/${root.body.id}/`);
    assert.equal(root.body.parent_id, null);

    const l = await admin.get(`/api/v1/units?q=${encodeURIComponent(kid.body.name)}`);
    assert.deepEqual(Object.keys(l.body).sort(), ['items', 'page', 'per_page', 'total']);
    assert.equal(l.body.total, 1);
    assert.deepEqual(Object.keys(l.body.items[0]).sort(), ['id', 'kind', 'name', 'parent_id', 'path', 'version']);
    const everything = (await admin.get('/api/v1/units?per_page=500')).body.items;
    const banks = await admin.get('/api/v1/units?kind=bank&per_page=500');
    assert.equal(banks.body.total, everything.filter((u) => u.kind === 'bank').length);
    assert.ok(banks.body.total >= 4 && banks.body.items.every((u) => u.kind === 'bank'));
    const p2 = await admin.get('/api/v1/units?per_page=10&page=2');
    assert.equal(p2.body.items.length, 10);
    assert.equal(p2.body.page, 2);
    assert.equal((await admin.get('/api/v1/units?kind=castle')).status, 422);
  });

  test('validation: kind, parent, duplicate name', async () => {
    let r = await admin.post('/api/v1/units', { name: uniq('x'), kind: 'castle', parent_id: 99999 });
    assert.equal(r.status, 422);
    assert.deepEqual(fields(r).sort(), ['kind', 'parent_id']);
    r = await admin.post('/api/v1/units', { name: '金山街道', kind: 'town', parent_id: 1 });
    assert.equal(r.status, 409);
    r = await admin.post('/api/v1/units', { kind: 'town' });
    assert.deepEqual(fields(r), ['name']);
  });

  test('moving a unit rewrites the paths of its whole subtree and refuses cycles', async () => {
    const a = (await admin.post('/api/v1/units', { name: uniq('甲'), kind: 'hq', parent_id: 1 })).body;
    const b = (await admin.post('/api/v1/units', { name: uniq('乙'), kind: 'group', parent_id: a.id })).body;
    const c = (await admin.post('/api/v1/units', { name: uniq('丙'), kind: 'group', parent_id: b.id })).body;
    const dest = (await admin.post('/api/v1/units', { name: uniq('丁'), kind: 'hq', parent_id: 1 })).body;
    // A user in the moved subtree keeps their unit, and their scope follows it.
    const staff = await makeUser(['unit'], c.name);

    let r = await admin.patch(`/api/v1/units/${b.id}`, { parent_id: dest.id });
    assert.equal(r.status, 200);
    assert.equal(r.body.path, `/1/${dest.id}/${b.id}/`);
    const all = (await admin.get('/api/v1/units?per_page=500')).body.items;
    assert.equal(all.find((u) => u.id === c.id).path, `/1/${dest.id}/${b.id}/${c.id}/`);
    assert.equal(all.find((u) => u.id === a.id).path, `/1/${a.id}/`);
    const users = await admin.get(`/api/v1/users?unit=${dest.id}`);
    assert.deepEqual(users.body.items.map((u) => u.login), [staff.login]);

    // Below itself or its own descendant: refused, nothing changes.
    r = await admin.patch(`/api/v1/units/${b.id}`, { parent_id: c.id });
    assert.equal(r.status, 422);
    assert.deepEqual(fields(r), ['parent_id']);
    r = await admin.patch(`/api/v1/units/${b.id}`, { parent_id: b.id });
    assert.equal(r.status, 422);
    // Rename and change kind; to the top level with null.
    r = await admin.patch(`/api/v1/units/${c.id}`, { name: c.name + '改', kind: 'department', parent_id: null });
    assert.equal(r.status, 200);
    assert.equal(r.body.path, `/${c.id}/`);
    assert.equal(r.body.kind, 'department');
    assert.equal((await admin.patch('/api/v1/units/999999', { name: 'x' })).status, 404);
    const n0 = await auditTotal();
    r = await admin.patch(`/api/v1/units/${a.id}`, { name: a.name, kind: 'hq', parent_id: 1 });
    assert.equal(r.status, 200);
    assert.equal(await auditTotal(), n0, 'saving an unchanged unit writes no audit entry');
    assert.equal(r.body.version, a.version);

    // Two administrators edit the same unit: the second, with a stale version, gets 409.
    const v = (await admin.get(`/api/v1/units?q=${encodeURIComponent(a.name)}`)).body.items[0].version;
    const other = await server.login('admin');
    const n1 = await auditTotal(); // after the login entry
    r = await other.patch(`/api/v1/units/${a.id}`, { name: a.name + '一', version: v });
    assert.equal(r.status, 200);
    assert.equal(r.body.version, v + 1);
    r = await admin.patch(`/api/v1/units/${a.id}`, { name: a.name + '二', version: v });
    assert.equal(r.status, 409);
    r = await admin.patch(`/api/v1/units/${a.id}`, { name: a.name + '二' }, { 'If-Match': `"${v}"` });
    assert.equal(r.status, 409);
    r = await admin.patch(`/api/v1/units/${a.id}`, { name: a.name + '二' }, { 'If-Match': `"${v + 1}"` });
    assert.equal(r.status, 200);
    assert.equal(r.body.name, a.name + '二');
    assert.equal(await auditTotal(), n1 + 2, 'only the two saved edits are audited');
    assert.equal((await admin.patch(`/api/v1/units/${c.id}`, { colour: 'red' })).status, 400);

    const audit = await admin.get(`/api/v1/audit?entity=unit&entity_id=${b.id}&action=update`);
    assert.equal(audit.body.items[0].before.parent_id, a.id);
    assert.equal(audit.body.items[0].after.parent_id, dest.id);
  });

  test('delete: 409 with users or sub-units, 204 when empty, audited', async () => {
    const p = (await admin.post('/api/v1/units', { name: uniq('删父'), kind: 'town', parent_id: 1 })).body;
    const k = (await admin.post('/api/v1/units', { name: uniq('删子'), kind: 'department', parent_id: p.id })).body;
    let r = await admin.del(`/api/v1/units/${p.id}`);
    assert.equal(r.status, 409);
    assert.match(r.body.detail, /sub-units/);
    const u = await makeUser(['unit'], k.name);
    r = await admin.del(`/api/v1/units/${k.id}`);
    assert.equal(r.status, 409);
    assert.match(r.body.detail, /1 users/);
    await admin.patch(`/api/v1/users/${u.id}`, { unit_id: p.id });
    assert.equal((await admin.del(`/api/v1/units/${k.id}`)).status, 204);
    assert.equal((await admin.del(`/api/v1/units/${k.id}`)).status, 404);
    const a = await admin.get(`/api/v1/audit?entity=unit&entity_id=${k.id}&action=delete`);
    assert.equal(a.body.total, 1);
    assert.equal(a.body.items[0].before.name, k.name);
    assert.equal(a.body.items[0].after, null);
    // The district itself has sub-units and users.
    assert.equal((await admin.del('/api/v1/units/1')).status, 409);
    // Other data (here a project, inserted behind the API's back) holds a unit too.
    const held = (await admin.post('/api/v1/units', { name: uniq('有项目'), kind: 'department', parent_id: 1 })).body;
    const ins = sqlCli(`INSERT INTO projects (code, name, level, category, stage, unit_id, created_at, updated_at) VALUES ('T-${held.id}', '测试项目', 'district', '产业项目', 'reserve', ${held.id}, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);
    assert.equal(ins.status, 0, ins.stderr);
    const n0 = await auditTotal();
    r = await admin.del(`/api/v1/units/${held.id}`);
    assert.equal(r.status, 409);
    assert.match(r.body.detail, /refer/);
    assert.equal(await auditTotal(), n0);
    assert.equal((await admin.get(`/api/v1/units?q=${encodeURIComponent(held.name)}`)).body.total, 1);
  });
});

describe('users', () => {
  test('the list masks phones, for admin and office alike, and filters', async () => {
    for (const who of ['admin', 'office']) {
      const c = await server.login(who);
      const r = await c.get('/api/v1/users?per_page=100');
      assert.equal(r.status, 200);
      const jin = r.body.items.find((u) => u.login === 'jinshan');
      assert.equal(jin.phone, '138****0004');
      assert.equal(jin.unit_name, '金山街道');
      assert.deepEqual(jin.roles, ['unit']);
      assert.equal(jin.disabled, false);
      assert.equal(jin.locked_until, null);
      for (const k of ['id', 'login', 'name', 'phone', 'unit_id', 'unit_name', 'roles', 'disabled', 'locked_until']) assert.ok(k in jin, k);
      assert.ok(r.body.items.every((u) => u.phone === null || /^\d{3}\*{4}\d{4}$/.test(u.phone)));
      assert.ok(!JSON.stringify(r.body).includes('13807330004'));
    }
    const byRole = await admin.get('/api/v1/users?role=enterprise');
    assert.ok(byRole.body.items.some((u) => u.login === 'huaju'));
    assert.ok(byRole.body.items.every((u) => u.roles.includes('enterprise')));
    const byUnit = await admin.get('/api/v1/users?unit=1&per_page=500');
    assert.ok(byUnit.body.total >= 10, 'the district includes every sub-unit');
    const byQ = await admin.get(`/api/v1/users?q=${encodeURIComponent('金山')}`);
    assert.ok(byQ.body.items.some((u) => u.login === 'jinshan'));
    assert.ok(byQ.body.items.every((u) => u.name.includes('金山') || u.login.includes('金山')));
    const sorted = await admin.get('/api/v1/users?sort=-login&per_page=3');
    const logins = sorted.body.items.map((u) => u.login);
    assert.deepEqual(logins, [...logins].sort().reverse());
    assert.equal((await admin.get('/api/v1/users?sort=password_hash')).status, 422);
    assert.equal((await admin.get('/api/v1/users?role=king')).status, 422);
  });

  test('revealing a phone is for admin only and is audited as a read', async () => {
    const office = await server.login('office');
    const jin = (await admin.get('/api/v1/users?q=jinshan')).body.items[0];
    const n0 = await auditTotal();
    let r = await office.get(`/api/v1/users/${jin.id}?reveal=phone`);
    assert.equal(r.status, 403);
    assert.equal(await auditTotal(), n0, 'a refused reveal is not logged');
    r = await office.get(`/api/v1/users/${jin.id}`);
    assert.equal(r.body.phone, '138****0004');
    r = await admin.get(`/api/v1/users/${jin.id}?reveal=phone`);
    assert.equal(r.status, 200);
    assert.equal(r.body.phone, '13807330004');
    const a = await admin.get(`/api/v1/audit?entity=user&entity_id=${jin.id}&action=read`);
    assert.equal(a.body.total, 1);
    assert.equal(a.body.items[0].user_login, 'admin');
    assert.equal(a.body.items[0].after.revealed, 'phone');
    assert.equal((await admin.get('/api/v1/users/999999')).status, 404);
  });

  test('create validates every field and audits the new user without secrets', async () => {
    let r = await admin.post('/api/v1/users', { login: 'a b', password: 'abc', name: '', phone: '12345', unit_id: 999999, roles: ['king'] });
    assert.equal(r.status, 422);
    assert.deepEqual(fields(r).sort(), ['login', 'name', 'password', 'phone', 'roles', 'unit_id']);
    r = await admin.post('/api/v1/users', { login: 'x1', password: 'abcdefgh1-xyz', name: 'x', unit_id: 1, roles: [] });
    assert.deepEqual(fields(r), ['roles']);
    r = await admin.post('/api/v1/users', { login: 'x1', password: 'abcdefgh1-xyz', name: 'x', unit_id: '1', roles: 'unit' });
    assert.deepEqual(fields(r).sort(), ['roles', 'unit_id']);
    r = await admin.post('/api/v1/users', { login: 'jinshan', password: 'abcdefgh1-xyz', name: 'x', unit_id: 1, roles: ['unit'] });
    assert.equal(r.status, 409);
    assert.deepEqual(fields(r), ['login']);
    r = await admin.post('/api/v1/users', { login: 'x1', password: 'abcdefgh1-xyz', name: 'x', unit_id: 1, roles: ['unit'], admin: true });
    assert.equal(r.status, 400);
    assert.deepEqual(fields(r), ['admin']);

    const login = uniq('new');
    r = await admin.post('/api/v1/users', { login, password: 'Secret123-long', name: '新用户', phone: '15012345678', unit_id: await unitId('桂花街道'), roles: ['unit', 'leader'] });
    assert.equal(r.status, 201);
    assert.equal(r.body.phone, '150****5678');
    assert.deepEqual(r.body.roles, ['leader', 'unit']);
    const a = await admin.get(`/api/v1/audit?entity=user&entity_id=${r.body.id}`);
    assert.equal(a.body.items[0].action, 'create');
    assert.equal(a.body.items[0].after.login, login);
    assert.equal(a.body.items[0].before, null);
    assert.ok(!JSON.stringify(a.body).includes('Secret123-long'));
    assert.ok(!JSON.stringify(a.body).includes('$argon2'));
    const c = await server.login([login, 'Secret123-long']);
    const me = await c.get('/api/v1/me');
    assert.equal(me.body.user.unit_name, '桂花街道');
    // No phone at all is fine.
    r = await admin.post('/api/v1/users', { login: uniq('np'), password: 'Secret123-long', name: '无电话', phone: '', unit_id: 1, roles: ['public'] });
    assert.equal(r.status, 201);
    assert.equal(r.body.phone, null);
  });

  test('edit: fields, roles, and an admin cannot lock themselves out', async () => {
    const u = await makeUser(['unit']);
    let r = await admin.patch(`/api/v1/users/${u.id}`, { name: '改后', phone: '18612345678', roles: ['office'], unit_id: await unitId('荷塘区财政局') });
    assert.equal(r.status, 200);
    assert.equal(r.body.name, '改后');
    assert.equal(r.body.phone, '186****5678');
    assert.deepEqual(r.body.roles, ['office']);
    assert.equal(r.body.unit_name, '荷塘区财政局');
    r = await admin.patch(`/api/v1/users/${u.id}`, { phone: '123', name: '', disabled: 'yes' });
    assert.equal(r.status, 422);
    assert.deepEqual(fields(r).sort(), ['disabled', 'name', 'phone']);
    r = await admin.patch(`/api/v1/users/${u.id}`, { phone: '' });
    assert.equal(r.body.phone, null);
    // A stale version is refused; the ETag of GET is the version to send.
    const got = await admin.get(`/api/v1/users/${u.id}`);
    assert.equal(got.headers.get('etag'), `"${got.body.version}"`);
    r = await admin.patch(`/api/v1/users/${u.id}`, { name: '过时', version: got.body.version - 1 });
    assert.equal(r.status, 409);
    r = await admin.patch(`/api/v1/users/${u.id}`, { name: '最新' }, { 'If-Match': got.headers.get('etag') });
    assert.equal(r.status, 200);
    assert.equal(r.body.version, got.body.version + 1);
    const me = (await admin.get('/api/v1/me')).body.user;
    r = await admin.patch(`/api/v1/users/${me.id}`, { disabled: true });
    assert.deepEqual(fields(r), ['disabled']);
    r = await admin.patch(`/api/v1/users/${me.id}`, { roles: ['office'] });
    assert.deepEqual(fields(r), ['roles']);
    const a = await admin.get(`/api/v1/audit?entity=user&entity_id=${u.id}&action=update`);
    assert.equal(a.body.items.at(-1).before.name, '测试' + u.login);
    assert.equal(a.body.items.at(-1).after.name, '改后');
    assert.deepEqual(a.body.items.at(-1).after.roles, ['office']);
  });

  test('disabling ends the sessions at once; enabling lets the user back in', async () => {
    const u = await makeUser(['unit']);
    const c = await server.login([u.login, u.password]);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    assert.equal((await admin.patch(`/api/v1/users/${u.id}`, { disabled: true })).status, 200);
    assert.equal((await c.get('/api/v1/me')).status, 401);
    const r = await server.client().post('/api/v1/session', { login: u.login, password: u.password });
    assert.equal(r.status, 401);
    assert.match(r.body.detail, /停用|disabled/);
    assert.equal((await admin.patch(`/api/v1/users/${u.id}`, { disabled: false })).status, 200);
    assert.equal((await server.client().post('/api/v1/session', { login: u.login, password: u.password })).status, 200);
  });

  test('an administrator password reset ends the sessions and works at once', async () => {
    const u = await makeUser(['unit']);
    const c = await server.login([u.login, u.password]);
    assert.equal((await admin.patch(`/api/v1/users/${u.id}`, { password: 'short' })).status, 422);
    assert.equal((await admin.patch(`/api/v1/users/${u.id}`, { password: 'Reset2024x-new' })).status, 200);
    assert.equal((await c.get('/api/v1/me')).status, 401);
    assert.equal((await server.client().post('/api/v1/session', { login: u.login, password: u.password })).status, 401);
    assert.equal((await server.client().post('/api/v1/session', { login: u.login, password: 'Reset2024x-new' })).status, 200);
    const a = await admin.get(`/api/v1/audit?entity=user&entity_id=${u.id}&action=update`);
    assert.equal(a.body.items[0].after.password, '(reset)');
    assert.ok(!JSON.stringify(a.body).includes('Reset2024x-new'));
  });
});

describe('logging in', () => {
  test('five wrong passwords lock the login from that address (423, clear message); the right one is refused while locked; an admin unlocks', async () => {
    const u = await makeUser(['unit']);
    const c = server.client();
    for (let i = 1; i <= 4; i++) {
      const r = await c.post('/api/v1/session', { login: u.login, password: 'wrong' + i });
      assert.equal(r.status, 401, `attempt ${i}`);
    }
    let r = await c.post('/api/v1/session', { login: u.login, password: 'wrong5' });
    assert.equal(r.status, 423);
    assert.match(r.body.title, /锁定.*locked/i);
    r = await c.post('/api/v1/session', { login: u.login, password: u.password });
    assert.equal(r.status, 423, 'the right password is refused while locked');
    assert.match(r.body.detail, /UTC/);
    const listed = (await admin.get(`/api/v1/users?q=${u.login}`)).body.items[0];
    const audit = await admin.get(`/api/v1/audit?entity=user&entity_id=${u.id}&action=lock`);
    assert.equal(audit.body.total, 1);
    // Locked for a minute from the lock (doubling with each further failure,
    // see security_auth.test.mjs), on the server's (pinned) clock.
    const lockedFor = new Date(listed.locked_until) - new Date(audit.body.items[0].at);
    assert.ok(lockedFor > 50000 && lockedFor <= 60000, `locked for ${lockedFor} ms`);
    // Unlocking: disabled:false clears the lock.
    r = await admin.patch(`/api/v1/users/${u.id}`, { disabled: false });
    assert.equal(r.body.locked_until, null);
    assert.equal((await c.post('/api/v1/session', { login: u.login, password: u.password })).status, 200);
  });

  test('changing one\'s own password ends the other sessions but not this one', async () => {
    const u = await makeUser(['bank'], '株洲农商银行');
    const a = await server.login([u.login, u.password]);
    const b = await server.login([u.login, u.password]);
    let r = await a.post('/api/v1/me/password', { old_password: 'nope', new_password: 'Changed123-new' });
    assert.equal(r.status, 422);
    assert.deepEqual(fields(r), ['old_password']);
    r = await a.post('/api/v1/me/password', { old_password: u.password, new_password: 'Changed123-new' });
    assert.equal(r.status, 204);
    assert.equal((await a.get('/api/v1/me')).status, 200);
    assert.equal((await b.get('/api/v1/me')).status, 401);
    assert.equal((await server.client().post('/api/v1/session', { login: u.login, password: 'Changed123-new' })).status, 200);
  });

  test('logout ends the session', async () => {
    const c = await server.login('leader');
    assert.equal((await c.del('/api/v1/session')).status, 204);
    assert.equal((await c.get('/api/v1/me')).status, 401);
  });
});

describe('API tokens', () => {
  test('created once as gt_ + 64 hex, only a hash stored, usable as Bearer, revoked at once', async () => {
    const u = await makeUser(['unit']);
    const c = await server.login([u.login, u.password]);
    let r = await c.post('/api/v1/tokens', { name: '对接' });
    assert.equal(r.status, 201);
    assert.match(r.body.token, /^gt_[0-9a-f]{64}$/);
    const { id, token } = r.body;
    r = await c.get('/api/v1/tokens');
    assert.equal(r.body.total, 1);
    assert.equal(r.body.items[0].name, '对接');
    assert.equal(r.body.items[0].revoked_at, null);
    assert.ok(!JSON.stringify(r.body).includes(token), 'the list never shows the secret');
    if (server.db.dir) {
      const { spawnSync } = await import('node:child_process');
      const dump = spawnSync('sqlite3', [server.db.url, '.dump api_tokens'], { encoding: 'utf8' }).stdout;
      assert.ok(dump.includes('对接') && !dump.includes(token.slice(3)), 'only a hash of the token is stored');
    }
    const b = new Client(server.base);
    b.token = token;
    r = await b.get('/api/v1/me');
    assert.equal(r.body.user.login, u.login);
    assert.equal((await b.get('/api/v1/users')).status, 403, 'a token has its user\'s roles');
    // Someone else's token: refused to a non-admin.
    const other = await server.login('guihua');
    assert.equal((await other.del(`/api/v1/tokens/${id}`)).status, 403);
    assert.equal((await b.get('/api/v1/me')).status, 200);
    assert.equal((await c.del(`/api/v1/tokens/${id}`)).status, 204);
    r = await b.get('/api/v1/me');
    assert.equal(r.status, 401);
    assert.match(r.body.title, /令牌|token/i);
    r = await c.get('/api/v1/tokens');
    assert.ok(r.body.items[0].revoked_at);
    assert.equal((await c.del(`/api/v1/tokens/${id}`)).status, 204, 'revoking twice is harmless');
    assert.equal((await c.del('/api/v1/tokens/999999')).status, 404);
    const a = await admin.get(`/api/v1/audit?entity=token&entity_id=${id}`);
    assert.deepEqual(a.body.items.map((e) => e.action), ['delete', 'create']);
    assert.ok(!JSON.stringify(a.body).includes(token));
    // Nonsense tokens are 401 too.
    const n = new Client(server.base);
    n.token = 'gt_' + '0'.repeat(64);
    assert.equal((await n.get('/api/v1/units')).status, 401);
  });

  test('an administrator may revoke anyone\'s token; tokens of a disabled user stop working', async () => {
    const u = await makeUser(['enterprise'], '湖南华巨新材料有限公司');
    const c = await server.login([u.login, u.password]);
    const t1 = (await c.post('/api/v1/tokens', { name: 't1' })).body;
    const t2 = (await c.post('/api/v1/tokens', { name: 't2' })).body;
    assert.equal((await c.post('/api/v1/tokens', { name: '' })).status, 422);
    assert.equal((await admin.del(`/api/v1/tokens/${t1.id}`)).status, 204);
    const b = new Client(server.base);
    b.token = t1.token;
    assert.equal((await b.get('/api/v1/me')).status, 401);
    b.token = t2.token;
    assert.equal((await b.get('/api/v1/me')).status, 200);
    await admin.patch(`/api/v1/users/${u.id}`, { disabled: true });
    assert.equal((await b.get('/api/v1/me')).status, 401);
  });
});

describe('command line', () => {
  test('unit, user and token commands work while the server runs, and are audited as "cli"', async () => {
    const db = ['--db', server.db.url];
    for (const cmd of [['unit'], ['user'], ['token']]) {
      const h = guatu([...cmd, '--help']);
      assert.equal(h.status, 0);
      assert.match(h.stdout, new RegExp(`guatu ${cmd[0]}`));
    }
    const uname = uniq('命令行镇');
    let r = guatu(['unit', 'add', '--name', uname, '--kind', 'town', '--parent', '荷塘区', ...db]);
    assert.equal(r.status, 0, r.stderr);
    const uid = Number(r.stdout.trim());
    r = guatu(['unit', 'add', '--name', uniq('x'), '--kind', 'castle', ...db]);
    assert.notEqual(r.status, 0);
    r = guatu(['unit', 'add', '--name', uniq('x'), '--kind', 'town', '--parent', '不存在', ...db]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /不存在/);
    r = guatu(['unit', 'list', ...db]);
    assert.match(r.stdout, new RegExp(uname));
    const listed = await admin.get(`/api/v1/units?q=${encodeURIComponent(uname)}`);
    assert.equal(listed.body.items[0].path, `/1/${uid}/`);

    const login = uniq('cli');
    r = guatu(['user', 'add', '--login', login, '--password', 'Cli12345-long', '--name', '命令行', '--role', 'unit,leader', '--unit', uname, '--phone', '13700001111', ...db]);
    assert.equal(r.status, 0, r.stderr);
    r = guatu(['user', 'add', '--login', login, '--password', 'short', '--name', 'x', '--role', 'wizard', '--unit', uname, ...db]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--password/);
    assert.match(r.stderr, /--role/);
    const c = await server.login([login, 'Cli12345-long']);
    const me = (await c.get('/api/v1/me')).body.user;
    assert.deepEqual(me.roles, ['leader', 'unit']);
    assert.equal(me.unit_name, uname);

    r = guatu(['token', 'create', '--user', login, '--name', '脚本', ...db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^gt_[0-9a-f]{64}\n$/, 'only the token on stdout');
    const b = new Client(server.base);
    b.token = r.stdout.trim();
    assert.equal((await b.get('/api/v1/me')).body.user.login, login);

    r = guatu(['user', 'passwd', '--login', login, '--password', 'Newer12345-long', ...db]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await c.get('/api/v1/me')).status, 401, 'a password reset ends the sessions');
    const c2 = await server.login([login, 'Newer12345-long']);
    r = guatu(['user', 'disable', '--login', login, ...db]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await c2.get('/api/v1/me')).status, 401);
    assert.equal((await b.get('/api/v1/me')).status, 401, 'a disabled user\'s tokens stop working');
    assert.notEqual(guatu(['user', 'disable', '--login', 'nobody-here', ...db]).status, 0);

    const a = await admin.get('/api/v1/audit?user=cli&per_page=100');
    const mine = a.body.items.filter((e) => (e.entity === 'unit' && e.entity_id === uid) || e.after?.login === login || e.after?.name === '脚本');
    assert.deepEqual(mine.map((e) => `${e.action} ${e.entity}`).reverse(), ['create unit', 'create user', 'create token', 'update user', 'update user']);
    assert.ok(mine.every((e) => e.user_login === 'cli' && e.user_id === null));
    assert.equal(mine[0].after.disabled, true);
    assert.equal(mine[0].before.disabled, false);
  });
});
