// Issue 21: the request path's short cuts keep every promise of the long one.
// /health, while its last database check is fresh, is answered by the I/O
// thread itself — with the headers of any answer, while every worker is
// busy, and still refused 503 over the pending bound (security_queue).  The
// project list's cached answer is found from the newest audit entries
// alone (a change counted by the list makes the next answer fresh, on any
// instance; problems piling up on top of the log do not), with the same
// headers as a fresh answer.  No test depends on how fast the machine is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { PG, startServer, cachedAnswer } from './lib.mjs';

const SAME = ['content-type', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'cache-control'];

test('health answers with the body and headers of any answer, from a worker or from the I/O thread', async () => {
  const server = await startServer();
  try {
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${server.base}/api/v1/health`);
      answers.push({ status: r.status, headers: r.headers, body: await r.json() });
    }
    for (const a of answers) {
      assert.equal(a.status, 200);
      assert.deepEqual(a.body, answers[0].body);
      assert.equal(a.body.status, 'ok');
      assert.equal(a.body.database, PG ? 'postgresql' : 'sqlite');
      assert.ok(a.body.schema_version > 0);
      for (const h of SAME) assert.equal(a.headers.get(h), answers[0].headers.get(h), h);
    }
    assert.match(answers[0].headers.get('content-type'), /^application\/json/);
    assert.equal(answers[0].headers.get('cache-control'), 'no-store');
    // credentials, even an unknown token, change nothing: health is public
    const t = await fetch(`${server.base}/api/v1/health`, { headers: { Authorization: 'Bearer nonsense', Cookie: 'guatu_session=x' } });
    assert.equal(t.status, 200);
    assert.deepEqual(await t.json(), answers[0].body);
  } finally {
    await server.stop();
  }
});

// Holds the database's write lock from outside the server until release():
// SQLite's BEGIN IMMEDIATE, PostgreSQL's SHARE lock on audit_log (which
// every audited write inserts into).  Resolves once the lock is held.
function holdWriteLock(url) {
  const [cmd, args, begin] = PG
    ? ['stdbuf', ['-o0', 'psql', '-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', url], 'BEGIN;\nLOCK TABLE audit_log IN SHARE MODE;\nSELECT \'held\';\n']
    : ['stdbuf', ['-o0', 'sqlite3', url], 'BEGIN IMMEDIATE;\nSELECT \'held\';\n'];  // stdbuf: say 'held' at once, not at exit
  const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  p.stdin.write(begin);
  return new Promise((resolve, reject) => {
    p.once('error', reject);
    p.once('exit', (code) => reject(new Error(`${cmd} exited ${code} before holding the lock`)));
    p.stdout.on('data', (d) => {
      out += d;
      if (out.includes('held')) {
        out = '';
        resolve({
          release: () => new Promise((res) => { p.once('exit', res); p.stdin.end(PG ? 'COMMIT;\n' : 'COMMIT;\n.quit\n'); }),
        });
      }
    });
  });
}

test('health is answered while the only worker is busy with a write waiting for the database', { timeout: 300000 }, async () => {
  // --threads 1: one general worker and the write lane's own.  Two changes
  // held by the database's write lock occupy both, so a read sent after
  // them cannot be answered until the lock is let go; health, answered by
  // the I/O thread, comes back before it.
  const server = await startServer({ args: ['--threads', '1'] });
  try {
    const office = await server.login('office');
    const list = await office.get('/api/v1/projects?per_page=2&sort=id');
    const [p, q] = list.body.items;
    let proven = false;
    // One attempt proves it when health comes back while both changes and
    // the read queued behind them are still waiting.  Should the machine be
    // so slow that the changes were not both taken yet when the read came
    // (the read is then answered at once), or that health's last check
    // went stale (it is reused for a second; health then waits in the
    // queue like any request), the lock is let go and the attempt made again.
    for (let attempt = 0; attempt < 8 && !proven; attempt++) {
      const pv = (await office.get(`/api/v1/projects/${p.id}`)).body.version;
      const qv = (await office.get(`/api/v1/projects/${q.id}`)).body.version;
      const lock = await holdWriteLock(server.db.url);
      const warm = await fetch(`${server.base}/api/v1/health`); // a fresh check, from a free worker
      await warm.arrayBuffer();
      const settled = { writes: 0, read: false };
      const writes = [[p, pv], [q, qv]].map(([x, v]) =>
        office.patch(`/api/v1/projects/${x.id}`, { location: `attempt ${attempt}`, version: v }).finally(() => { settled.writes++; }));
      // let both workers take a change: a head start that grows with each attempt
      // (300 ms … 700 ms; health's check, made just before, is reused for a second
      // only), not relied on: a miss only costs an attempt
      await new Promise((res) => setTimeout(res, 300 + 100 * Math.min(attempt, 4)));
      const read = office.get('/api/v1/projects/' + p.id).finally(() => { settled.read = true; });
      const health = fetch(`${server.base}/api/v1/health`).then(async (r) => ({ status: r.status, body: await r.json(), busy: settled.writes === 0 && !settled.read }));
      let timer;
      const fallback = new Promise((res) => { timer = setTimeout(res, 5000); });
      const first = await Promise.race([health.then(() => 'health'), fallback.then(() => 'stuck')]);
      clearTimeout(timer);
      await lock.release();
      const h = await health;
      assert.equal(warm.status, 200);
      assert.equal(h.status, 200);
      assert.equal(h.body.status, 'ok');
      for (const w of await Promise.all(writes)) assert.ok([200, 503].includes(w.status), JSON.stringify(w.body));
      assert.equal((await read).status, 200);
      proven = first === 'health' && h.busy;
    }
    assert.ok(proven, 'health came back while the worker was busy');
    // and the server goes on answering normally
    assert.equal((await office.get('/api/v1/projects?per_page=1')).status, 200);
  } finally {
    await server.stop();
  }
});

test('a cached project list keeps its headers, survives problems piling up on the audit log, and is fresh after a project change on any instance', async () => {
  const a = await startServer();
  const b = await startServer({ db: a.db });
  try {
    const office = await a.login('office');
    const url = '/api/v1/projects?per_page=5&sort=id';
    const first = await office.get(url);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-cache'), null);
    const second = await cachedAnswer(office, url);
    assert.equal(second.headers.get('x-cache'), 'hit');
    assert.deepEqual(second.body, first.body);
    for (const h of SAME) assert.equal(second.headers.get(h), first.headers.get(h), h);
    assert.equal(second.headers.get('vary'), 'Accept-Encoding');

    // Problems are not in the list: many of them on top of the log keep the answer.
    const jinshan = await a.login('jinshan');
    const unit = (await jinshan.get('/api/v1/me')).body.user.unit_id;
    const own = (await office.get(`/api/v1/projects?unit=${unit}&per_page=1`)).body.items[0];
    for (let i = 0; i < 5; i++) {
      const pr = await office.post('/api/v1/problems', { project_id: own.id, category: 'other', title: `缓存问题 ${i}`, unit_id: unit });
      assert.equal(pr.status, 201, JSON.stringify(pr.body));
    }
    const third = await office.get(url);
    assert.equal(third.headers.get('x-cache'), 'hit');

    // A project renamed through instance B, then more problems on top: A's next answer is fresh.
    const officeB = await b.login('office');
    const target = first.body.items[1];
    const detail = await officeB.get(`/api/v1/projects/${target.id}`);
    const renamed = `${detail.body.name}（快速路径）`;
    const patched = await officeB.patch(`/api/v1/projects/${target.id}`, { name: renamed, version: detail.body.version });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const pr = await officeB.post('/api/v1/problems', { project_id: own.id, category: 'other', title: '改名之后', unit_id: unit });
    assert.equal(pr.status, 201, JSON.stringify(pr.body));
    const fourth = await office.get(url);
    assert.equal(fourth.headers.get('x-cache'), null);
    assert.equal(fourth.body.items[1].name, renamed);
    const fifth = await cachedAnswer(office, url);
    assert.equal(fifth.headers.get('x-cache'), 'hit');
    assert.equal(fifth.body.items[1].name, renamed);

    // Read-your-writes on the instance that wrote, too.
    const onB = await officeB.get(url);
    assert.equal(onB.body.items[1].name, renamed);
    const again = await officeB.patch(`/api/v1/projects/${target.id}`, { name: detail.body.name, version: patched.body.version });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal((await officeB.get(url)).body.items[1].name, detail.body.name);
    assert.equal((await office.get(url)).body.items[1].name, detail.body.name);
  } finally {
    await b.stop({ keep: true });
    await a.stop();
  }
});
