// Two guatu processes over one database serve any request interchangeably:
// a session made on A works on B, and two people editing the same project
// through different instances get a 409 instead of a lost update.
// Runs on SQLite (two processes on one WAL file) and on PostgreSQL.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';

test('session and optimistic concurrency across two instances', async () => {
  const a = await startServer();
  const b = await startServer({ db: a.db });
  try {
    const viaA = await a.login('office');
    // The same cookie and CSRF token, sent to instance B.
    const viaB = b.client();
    viaB.cookie = viaA.cookie;
    viaB.csrf = viaA.csrf;
    const me = await viaB.get('/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.login, 'office');

    const list = await viaA.get('/api/v1/projects?per_page=1');
    assert.equal(list.status, 200);
    const id = list.body.items[0].id;
    const onA = await viaA.get(`/api/v1/projects/${id}`);
    const onB = await viaB.get(`/api/v1/projects/${id}`);
    assert.equal(onA.body.version, onB.body.version);
    const v = onA.body.version;

    const first = await viaA.patch(`/api/v1/projects/${id}`, { name: `${onA.body.name}（A改）`, version: v });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const second = await viaB.patch(`/api/v1/projects/${id}`, { name: `${onB.body.name}（B改）`, version: v });
    assert.equal(second.status, 409, JSON.stringify(second.body));
    assert.equal(second.headers.get('content-type').split(';')[0], 'application/problem+json');

    // B sees A's change, and a retry with the fresh version succeeds.
    const fresh = await viaB.get(`/api/v1/projects/${id}`);
    assert.match(fresh.body.name, /（A改）$/);
    const retry = await viaB.patch(`/api/v1/projects/${id}`, { name: `${onB.body.name}（B改）`, version: fresh.body.version });
    assert.equal(retry.status, 200);

    // Logging out on B ends the session on A too: nothing is kept in process memory.
    const cookie = viaA.cookie;
    assert.equal((await viaB.del('/api/v1/session')).status, 204);
    const after = await a.client().get('/api/v1/me', { Cookie: cookie });
    assert.equal(after.status, 401);
  } finally {
    await b.stop({ keep: true });
    await a.stop();
  }
});
