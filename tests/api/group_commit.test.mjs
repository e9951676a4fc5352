// group_commit.test.mjs — writers that arrive together share one durable sync of SQLite's
// write-ahead log (group commit, docs/architecture.md), and each of them is still answered
// only once its commit is on disk.  32 clients write at once; the server is killed with
// SIGKILL right after the last answer; after a restart every acknowledged row is there with
// its audit entry, and on SQLite `PRAGMA integrity_check` (run while the server is down)
// says ok.  The same holds with group commit switched off (GUATU_GROUP_COMMIT=0:
// synchronous=FULL, one sync inside every commit).  On PostgreSQL the scenario runs
// unchanged: its own commit is durable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, newDatabase, guatu, Client, PG } from './lib.mjs';

const WRITERS = 32;
const EACH = 4;

async function writeKillRestart(env) {
  const db = newDatabase();
  try {
    assert.equal(guatu(['demo', '--db', db.url]).status, 0);
    const tok = guatu(['token', 'create', '--user', 'admin', '--name', 'group-commit', '--db', db.url]);
    assert.equal(tok.status, 0, tok.stderr);
    const token = tok.stdout.trim();
    const client = (base) => Object.assign(new Client(base), { token });

    let server = await startServer({ db, env, args: ['--quiet', '--threads', '4'] });
    const acked = new Map(); // name → id
    const statuses = [];
    const writer = async (w) => {
      const c = client(server.base);
      for (let i = 0; i < EACH; i++) {
        const name = `gc-${w}-${i}`;
        const r = await c.post('/api/v1/units', { name, kind: 'department', parent_id: 1 });
        statuses.push(r.status);
        if (r.status === 201) acked.set(name, r.body.id);
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    // No pause between the last answer and the kill: what was answered must already be on disk.
    server.kill9();
    await new Promise((r) => (server.proc.exitCode !== null || server.proc.signalCode ? r() : server.proc.once('exit', r)));
    assert.deepEqual(statuses.filter((s) => s !== 201), [], 'every concurrent write is acknowledged');
    assert.equal(acked.size, WRITERS * EACH);
    if (!PG) {
      const ic = spawnSync('sqlite3', [db.url, 'PRAGMA integrity_check'], { encoding: 'utf8' });
      assert.equal(ic.stdout.trim(), 'ok', ic.stdout + ic.stderr);
    }

    server = await startServer({ db, env, args: ['--quiet'] });
    try {
      const c = client(server.base);
      const r = await c.get('/api/v1/units?q=gc-&per_page=500');
      assert.equal(r.status, 200);
      const present = new Map(r.body.items.map((u) => [u.name, u.id]));
      const missing = [...acked.keys()].filter((n) => present.get(n) !== acked.get(n));
      assert.deepEqual(missing, [], 'every acknowledged unit is there after kill -9, with the id it was answered with');
      // Each create's audit entry was committed with it (one transaction, one sync).
      const unaudited = [];
      for (const id of acked.values()) {
        const a = await c.get(`/api/v1/audit?entity=unit&entity_id=${id}`);
        if (a.status !== 200 || a.body.total !== 1 || a.body.items[0].action !== 'create') unaudited.push([id, a.status, a.body]);
      }
      assert.deepEqual(unaudited, [], 'every acknowledged unit has its create in the audit log');
    } finally {
      await server.stop();
    }
  } finally {
    db.cleanup();
  }
}

test(`${WRITERS} concurrent writers are all acknowledged, and all their rows and audit entries are there after kill -9 and a restart`,
  { timeout: 300000 }, () => writeKillRestart({}));

test('with group commit switched off (GUATU_GROUP_COMMIT=0) the same concurrent writes are acknowledged and survive kill -9',
  { timeout: 300000 }, () => writeKillRestart({ GUATU_GROUP_COMMIT: '0' }));
