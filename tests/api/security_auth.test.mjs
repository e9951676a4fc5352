// Issue 13, findings 7 and 8: login CSRF (Origin / Sec-Fetch-Site checked on
// the login and on every cookie-authenticated write) and authentication per
// ASVS L2 (password length and common-password list, lock-out that answers
// alike for known and unknown logins and cannot lock the administrator out
// for good, "disabled" only after a correct password, tokens revoked on a
// password reset, an idle timeout for sessions).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, LOGINS, fields, TODAY } from './lib.mjs';

let server, admin;
before(async () => {
  server = await startServer();
  admin = await server.login('admin');
});
after(async () => { await server?.stop(); });

const host = () => new URL(server.base).host;

test('a login sent by another site is refused; same-origin and header-less clients log in', async () => {
  const [login, password] = LOGINS.office;
  const c = new Client(server.base);
  for (const h of [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' },
    { 'Sec-Fetch-Site': 'same-site', Origin: `http://${host()}` }, { Origin: `http://${host()}.evil.example` }]) {
    const r = await c.post('/api/v1/session', { login, password }, h);
    assert.equal(r.status, 403, JSON.stringify(h));
    assert.match(r.body.title, /Cross-site request refused/);
    assert.equal(r.headers.get('set-cookie'), null);
  }
  for (const h of [{}, { Origin: `http://${host()}` }, { 'Sec-Fetch-Site': 'same-origin', Origin: `http://${host()}` }, { 'Sec-Fetch-Site': 'none' }]) {
    const r = await new Client(server.base).post('/api/v1/session', { login, password }, h);
    assert.equal(r.status, 200, JSON.stringify(h));
  }
});

test('a cookie-authenticated write from another site is refused even with the CSRF token; a Bearer token is not', async () => {
  const office = await server.login('office');
  let r = await office.post('/api/v1/tokens', { name: 'x' }, { Origin: 'https://evil.example' });
  assert.equal(r.status, 403);
  assert.match(r.body.detail, /another site/);
  r = await office.post('/api/v1/tokens', { name: 'x' }, { 'Sec-Fetch-Site': 'cross-site' });
  assert.equal(r.status, 403);
  r = await office.post('/api/v1/tokens', { name: 'same-origin' }, { Origin: `http://${host()}`, 'Sec-Fetch-Site': 'same-origin' });
  assert.equal(r.status, 201);
  const b = new Client(server.base);
  b.token = r.body.token;
  r = await b.post('/api/v1/tokens', { name: 'by token' }, { Origin: 'https://integration.example' });
  assert.equal(r.status, 201);
  // reads are not affected
  assert.equal((await office.get('/api/v1/me', { Origin: 'https://evil.example' })).status, 200);
});

let seq = 0;
async function makeUser(password = 'Sturdy passphrase 42') {
  const login = `sec${process.pid}x${seq++}`;
  const r = await admin.post('/api/v1/users', { login, password, name: '安全测试', unit_id: 1, roles: ['unit'] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.id, login, password };
}
const from = (ip) => ({ 'X-Real-IP': ip });
const loginAs = (login, password, ip) => server.client().post('/api/v1/session', { login, password }, from(ip));

test('passwords: 12 to 128 characters, not a common one, kept exactly as typed', async () => {
  for (const pw of ['Short1pass', 'Password1234', 'password1234', 'P@ssw0rd1234', 'woaini1314520', 'aaaaaaaaaaaa',
    'abcabcabcabc', '123456789012', 'qwertyuiop123', '一二三四五六七八九十'])
    {
    const r = await admin.post('/api/v1/users', { login: `bad${seq++}`, password: pw, name: 'x', unit_id: 1, roles: ['unit'] });
    assert.equal(r.status, 422, pw);
    assert.deepEqual(fields(r), ['password'], pw);
  }
  // a Chinese passphrase of 12 characters is 12, not 36
  await makeUser('株洲荷塘区重点项目挂图作战');
  // spaces are part of the password: not trimmed on setting, nor on logging in
  const u = await makeUser('  padded passphrase  ');
  assert.equal((await loginAs(u.login, 'padded passphrase', '10.1.0.1')).status, 401);
  assert.equal((await loginAs(u.login, '  padded passphrase  ', '10.1.0.1')).status, 200);
  // changing one's own password follows the same policy
  const c = await server.login([u.login, u.password]);
  const r = await c.post('/api/v1/me/password', { old_password: u.password, new_password: 'Password1234' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['new_password']);
});

test('an unknown login is answered exactly like a known one, locks included', async () => {
  const u = await makeUser();
  const strip = (r) => ({ status: r.status, title: r.body.title, detail: r.body.detail.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d/g, 'T'), errors: r.body.errors });
  const known = [], unknown = [];
  for (let i = 0; i < 6; i++) {
    known.push(strip(await loginAs(u.login, `wrong password ${i}`, '10.2.0.1')));
    unknown.push(strip(await loginAs(`${u.login}-nobody`, `wrong password ${i}`, '10.2.0.2')));
  }
  assert.deepEqual(unknown, known);
  assert.deepEqual(known.map((x) => x.status), [401, 401, 401, 401, 423, 423]);
  assert.doesNotMatch(JSON.stringify(known), /disabled|停用|not found|不存在/);
});

test('nobody can lock the administrator out: the lock holds the attacking address only', async () => {
  const [login, password] = LOGINS.admin;
  for (let i = 0; i < 5; i++) await loginAs(login, `guess ${i}`, '10.3.0.66');
  let r = await loginAs(login, password, '10.3.0.66');
  assert.equal(r.status, 423, 'the attacking address is locked even with the right password');
  assert.match(r.body.detail, /UTC/);
  r = await loginAs(login, password, '10.3.0.77');
  assert.equal(r.status, 200, 'the administrator logs in from elsewhere');
  // and one address trying many logins is stopped as well
  for (let i = 0; i < 20; i++) await loginAs(`spray${i}`, 'Spring2026 password', '10.3.0.99');
  r = await loginAs(login, password, '10.3.0.99');
  assert.equal(r.status, 423);
});

test('"disabled" is said only after the right password', async () => {
  const u = await makeUser();
  assert.equal((await admin.patch(`/api/v1/users/${u.id}`, { disabled: true })).status, 200);
  let r = await loginAs(u.login, 'not the password at all', '10.4.0.1');
  assert.equal(r.status, 401);
  assert.doesNotMatch(r.body.detail, /停用|disabled/);
  r = await loginAs(u.login, u.password, '10.4.0.1');
  assert.equal(r.status, 401);
  assert.match(r.body.detail, /停用.*disabled/);
});

test('an administrator password reset revokes the user\'s API tokens', async () => {
  const u = await makeUser();
  const c = await server.login([u.login, u.password]);
  const made = await c.post('/api/v1/tokens', { name: '对接' });
  assert.equal(made.status, 201);
  const b = new Client(server.base);
  b.token = made.body.token;
  assert.equal((await b.get('/api/v1/me')).status, 200);
  assert.equal((await admin.patch(`/api/v1/users/${u.id}`, { password: 'Reset by the admin 1' })).status, 200);
  assert.equal((await b.get('/api/v1/me')).status, 401);
  const list = await (await server.login([u.login, 'Reset by the admin 1'])).get('/api/v1/tokens');
  assert.ok(list.body.items.every((t) => t.revoked_at), JSON.stringify(list.body));
});

// The server's clock pinned to an instant (China time), moved by restarting on the same database.
const at = (min) => {
  const d = new Date(`${TODAY}T10:00:00Z`);
  d.setUTCMinutes(d.getUTCMinutes() + min);
  return d.toISOString().slice(0, 19);
};

test('a session ends after 30 idle minutes; each request restarts the idle clock; locks back off', async () => {
  let s = await startServer({ env: { GUATU_NOW: at(0) } });
  const db = s.db;
  const c = await s.login('office');
  for (let i = 0; i < 5; i++) await s.client().post('/api/v1/session', { login: 'leader', password: `nope ${i}` }, from('10.5.0.1'));
  const locked1 = await s.client().post('/api/v1/session', { login: 'leader', password: 'nope 5' }, from('10.5.0.1'));
  assert.equal(locked1.status, 423);
  const move = async (min) => {
    await s.stop({ keep: true });
    s = await startServer({ db, env: { GUATU_NOW: at(min) } });
    c.base = s.base;
  };
  try {
    await move(29);
    assert.equal((await c.get('/api/v1/me')).status, 200, '29 idle minutes: still in');
    // the first lock (a minute) is over; the next failure locks for two minutes
    let r = await s.client().post('/api/v1/session', { login: 'leader', password: 'nope 6' }, from('10.5.0.1'));
    assert.equal(r.status, 423);
    assert.match(r.body.detail, new RegExp(`${new Date(`${at(29 + 2)}+08:00`).toISOString().slice(0, 16)}`));
    await move(58);
    assert.equal((await c.get('/api/v1/me')).status, 200, '29 minutes after the last request: still in');
    await move(89);
    assert.equal((await c.get('/api/v1/me')).status, 401, '31 idle minutes: logged out');
  } finally {
    await s.stop({ keep: true });
    db.cleanup();
  }
});

// The server's clock pinned to a second (China time); now_rfc3339 answers in UTC.
const atSec = (sec) => new Date(new Date(`${TODAY}T10:00:00Z`).getTime() + sec * 1000).toISOString().slice(0, 19);
const utcOf = (sec) => new Date(`${atSec(sec)}+08:00`).toISOString().slice(0, 19);

test('a token\'s last use is written at most once a minute, not on every request; revoking it refuses the very next request', async () => {
  let s = await startServer({ env: { GUATU_NOW: atSec(5) } });
  const db = s.db;
  const office = await s.login('office');
  const made = await office.post('/api/v1/tokens', { name: '脚本' });
  assert.equal(made.status, 201);
  const b = new Client(s.base);
  b.token = made.body.token;
  const lastUsed = async () => (await office.get('/api/v1/tokens')).body.items.find((t) => t.id === made.body.id).last_used_at;
  const move = async (sec) => {
    await s.stop({ keep: true });
    s = await startServer({ db, env: { GUATU_NOW: atSec(sec) } });
    office.base = s.base;
    b.base = s.base;
  };
  try {
    assert.equal(await lastUsed(), null, 'never used yet');
    assert.equal((await b.get('/api/v1/me')).status, 200);
    assert.match(await lastUsed(), new RegExp(`^${utcOf(5)}`), 'the first use is recorded');
    await move(35);
    for (let i = 0; i < 3; i++) assert.equal((await b.get('/api/v1/projects?per_page=25')).status, 200);
    assert.match(await lastUsed(), new RegExp(`^${utcOf(5)}`), 'later uses in the same minute write nothing');
    await move(65);
    assert.equal((await b.get('/api/v1/me')).status, 200);
    assert.match(await lastUsed(), new RegExp(`^${utcOf(65)}`), 'the first use in a new minute is recorded');
    // Used a moment ago (nothing due to write): the revocation still holds from the next request.
    assert.equal((await b.get('/api/v1/me')).status, 200);
    assert.equal((await office.del(`/api/v1/tokens/${made.body.id}`)).status, 204);
    const r = await b.get('/api/v1/projects?per_page=25');
    assert.equal(r.status, 401);
    assert.match(r.body.title, /Invalid token/);
    assert.equal((await b.get('/api/v1/me')).status, 401);
  } finally {
    await s.stop({ keep: true });
    db.cleanup();
  }
});

test('a session\'s idle clock is written at most once a minute: a use within a minute of the last written one does not move it', async () => {
  let s = await startServer({ env: { GUATU_NOW: atSec(0) } });
  const db = s.db;
  const c = await s.login('leader');
  const move = async (sec) => {
    await s.stop({ keep: true });
    s = await startServer({ db, env: { GUATU_NOW: atSec(sec) } });
    c.base = s.base;
  };
  try {
    await move(30);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    await move(29 * 60);
    assert.equal((await c.get('/api/v1/me')).status, 200, '29 minutes after the login: still in (the 0:30 use was within its minute)');
    await move(29 * 60 + 20);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    await move(59 * 60 + 10);
    assert.equal((await c.get('/api/v1/me')).status, 401, 'idle counts from the use written at 29:00, so at 59:10 the session has ended');
  } finally {
    await s.stop({ keep: true });
    db.cleanup();
  }
});
