// The response cache of whole-district figures: a repeated GET is answered
// from memory, any audited change (on this or another instance) makes the
// next answer fresh, and answers never cross users' data scopes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';

test('cached answers are reused until the data changes, on any instance', async () => {
  const a = await startServer();
  const b = await startServer({ db: a.db });
  try {
    const office = await a.login('office');
    const first = await office.get('/api/v1/battlemap?year=2026');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-cache'), null);
    const second = await office.get('/api/v1/battlemap?year=2026');
    assert.equal(second.headers.get('x-cache'), 'hit');
    // Node's fetch asks for gzip and inflates it: the cached copy is sent compressed.
    assert.equal(second.headers.get('content-encoding'), 'gzip');
    assert.deepEqual(second.body, first.body);

    // Another query string is another answer.
    const other = await office.get('/api/v1/battlemap?year=2026&light=red');
    assert.equal(other.headers.get('x-cache'), null);
    assert.ok(other.body.total < first.body.total);

    // A change made through instance B is seen by A at once.
    const officeB = await b.login('office');
    const p = first.body.groups[0].projects[0];
    const detail = await officeB.get(`/api/v1/projects/${p.id}`);
    const renamed = `${detail.body.name}（缓存测试）`;
    const patched = await officeB.patch(`/api/v1/projects/${p.id}`, { name: renamed, version: detail.body.version });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const third = await office.get('/api/v1/battlemap?year=2026');
    assert.equal(third.headers.get('x-cache'), null);
    const names = third.body.groups.flatMap((g) => g.projects.map((x) => x.name));
    assert.ok(names.includes(renamed));

    // A unit user asking the same URL gets its own scope, not office's answer.
    const town = await a.login('jinshan');
    const mine = await town.get('/api/v1/battlemap?year=2026');
    assert.equal(mine.status, 200);
    assert.equal(mine.headers.get('x-cache'), null);
    assert.ok(mine.body.total < third.body.total);
    // Exports are never cached.
    const x1 = await office.get('/api/v1/rankings?month=2026-10&format=xlsx');
    assert.equal(x1.headers.get('x-cache'), null);
  } finally {
    await b.stop({ keep: true });
    await a.stop();
  }
});
