// durability.test.mjs — an acknowledged write survives the server being killed.
// Clients create units through the API (as admin, with a Bearer token) while the server is
// killed with SIGKILL at a random moment, 20 times over.  After every restart each write
// that was answered 2xx must be there, and on SQLite `PRAGMA integrity_check` (sqlite3 CLI,
// run while the server is down) must say ok.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, newDatabase, guatu, Client, PG } from './lib.mjs';

const ROUNDS = 20;
const WRITERS = 4;

async function allDurableNames(base, token) {
  const c = new Client(base);
  c.token = token;
  const names = new Set();
  for (let page = 1; ; page++) {
    const r = await c.get(`/api/v1/units?q=dur-&per_page=500&page=${page}`);
    assert.equal(r.status, 200);
    for (const u of r.body.items) names.add(u.name);
    if (r.body.items.length < 500) break;
  }
  return names;
}

// No timeout of its own: the suite's (scripts/test.sh) bounds it against a hang;
// 20 restarts under ASan on a loaded machine take longer than a minute.
test(`acknowledged writes survive ${ROUNDS} kills -9`, async () => {
  const t0 = Date.now();
  const db = newDatabase();
  try {
    assert.equal(guatu(['demo', '--db', db.url]).status, 0);
    const tok = guatu(['token', 'create', '--user', 'admin', '--name', 'durability', '--db', db.url]);
    assert.equal(tok.status, 0, tok.stderr);
    const token = tok.stdout.trim();
    const acked = new Set();
    let lost = 0;
    let writes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startServer({ db, args: ['--quiet'] });
      // Everything acknowledged before is still there.
      const present = await allDurableNames(server.base, token);
      for (const n of acked) if (!present.has(n)) lost++;
      assert.equal(lost, 0, `round ${round}: ${lost} acknowledged writes missing`);

      let killed = false;
      let firstAck;
      const firstAcked = new Promise((r) => { firstAck = r; });
      const writer = async (w) => {
        const c = new Client(server.base);
        c.token = token;
        for (let i = 0; !killed; i++) {
          const name = `dur-${round}-${w}-${i}`;
          try {
            const r = await c.post('/api/v1/units', { name, kind: 'department', parent_id: 1 });
            if (r.status >= 200 && r.status < 300) { acked.add(name); writes++; firstAck(); }
          } catch {
            return; // the connection died with the server: this write's fate is unknown
          }
        }
      };
      const running = Array.from({ length: WRITERS }, (_, w) => writer(w));
      // The kill falls at a random moment while writes are under way: after
      // the round's first acknowledged write (however slow the machine), then
      // up to 260 ms more.
      await Promise.race([firstAcked, Promise.all(running)]); // (the writers end only if the server dies)
      await new Promise((r) => setTimeout(r, Math.random() * 260));
      killed = true;
      server.kill9();
      await new Promise((r) => (server.proc.exitCode !== null || server.proc.signalCode ? r() : server.proc.once('exit', r)));
      await Promise.all(running);
      if (!PG) {
        const ic = spawnSync('sqlite3', [db.url, 'PRAGMA integrity_check'], { encoding: 'utf8' });
        assert.equal(ic.stdout.trim(), 'ok', `round ${round}: ${ic.stdout}${ic.stderr}`);
      }
    }
    const server = await startServer({ db, args: ['--quiet'] });
    try {
      const present = await allDurableNames(server.base, token);
      const missing = [...acked].filter((n) => !present.has(n));
      assert.deepEqual(missing, []);
      assert.ok(writes >= ROUNDS, `${writes} acknowledged writes`);
      // Each acknowledged create has its audit entry too (same transaction).
      const c = new Client(server.base);
      c.token = token;
      const audit = await c.get('/api/v1/audit?entity=unit&action=create&per_page=1');
      assert.ok(audit.body.total >= acked.size, `${audit.body.total} audit entries for ${acked.size} writes`);
    } finally {
      await server.stop();
    }
    console.log(`durability: ${writes} acknowledged writes over ${ROUNDS} kills, ${Date.now() - t0} ms`);
  } finally {
    db.cleanup();
  }
});
