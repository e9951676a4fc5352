// Issue 13, findings 7 and 8: login CSRF (Origin / Sec-Fetch-Site checked on
// the login and on every cookie-authenticated write) and authentication per
// ASVS L2 (password length and common-password list, lock-out that answers
// alike for known and unknown logins and cannot lock the administrator out
// for good, "disabled" only after a correct password, tokens revoked on a
// password reset, an idle timeout for sessions).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, LOGINS, fields } from './lib.mjs';

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
