// pg_gen.test.mjs — `guatu gen` loads without the secondary indexes and (when it
// may) without the foreign-key triggers, and builds the indexes again at the end
// (issue 21, PostgreSQL at province scale). What must hold afterwards, on either
// store: the generated database has exactly the indexes a migrated empty database
// has, and its foreign keys are enforced again for the server's writes. And the
// generated enterprise requests already carry the escalation level they have
// reached on the dataset's today, reopened ones included: a server started on it
// has no backlog of escalations to write (each one a commit that makes every
// cached answer stale; at province scale 2,100 of them ran during the bench).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { guatu, newDatabase, startServer, Client, PG } from './lib.mjs';

// The definitions of every index of the database (SQL text per index name).
function indexes(db) {
  if (PG) {
    const u = new URL(db.url);
    const r = spawnSync('psql', ['-X', '-h', u.hostname, '-p', u.port, '-U', u.username, '-d', u.pathname.slice(1), '-Atc',
      "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n');
  }
  const r = spawnSync('sqlite3', [db.url, "SELECT name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name"], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

function sql(db, text) {
  if (PG) {
    const u = new URL(db.url);
    return spawnSync('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-h', u.hostname, '-p', u.port, '-U', u.username, '-d', u.pathname.slice(1), '-Atc', text], { encoding: 'utf8' });
  }
  return spawnSync('sqlite3', ['-bail', '-cmd', 'PRAGMA foreign_keys=ON', db.url, text], { encoding: 'utf8' });
}

test('a generated database has every index of a migrated one, and its foreign keys hold for later writes', { timeout: 300000 }, () => {
  const empty = newDatabase(), made = newDatabase();
  try {
    const m = guatu(['init', '--db', empty.url]);
    assert.equal(m.status, 0, m.stderr);
    const g = guatu(['gen', '--scale', 'district', '--db', made.url]);
    assert.equal(g.status, 0, g.stderr);
    const want = indexes(empty), got = indexes(made);
    assert.ok(want.length > 50, `the migrations create the indexes (${want.length})`);
    assert.deepEqual(got, want, 'the same indexes, the same definitions');

    // the foreign keys are checked again: a report of a project that does not exist is refused
    const bad = sql(made, "INSERT INTO reports (project_id, period, investment, state, created_at, updated_at) VALUES (999999, '2026-10', 1, 'draft', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')");
    assert.notEqual(bad.status, 0, `a dangling report must be refused: ${bad.stdout}`);
    assert.match(bad.stderr, /foreign key|FOREIGN KEY/);
    // and the loaded rows are consistent: every report, node and household has its project
    const orphans = sql(made, 'SELECT (SELECT COUNT(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = r.project_id))'
      + ' + (SELECT COUNT(*) FROM nodes n WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = n.project_id))'
      + ' + (SELECT COUNT(*) FROM land_households h WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = h.project_id))');
    assert.equal(orphans.status, 0, orphans.stderr);
    assert.equal(orphans.stdout.trim(), '0');
  } finally {
    empty.cleanup();
    made.cleanup();
  }
});

test('generated enterprise requests waiting for an answer, reopened ones too, are stored at the level they have reached on the dataset day', { timeout: 300000 }, async () => {
  const db = newDatabase();
  try {
    const g = guatu(['gen', '--scale', 'district', '--db', db.url]);
    assert.equal(g.status, 0, g.stderr);
    // what gen stored, read before any server (and its escalation tick) runs on it
    const q = sql(db, "SELECT id || ' ' || escalation FROM enterprise_requests WHERE state IN ('open', 'accepted', 'in_progress', 'reopened') ORDER BY id");
    assert.equal(q.status, 0, q.stderr);
    const stored = new Map(q.stdout.trim().split('\n').map((l) => l.split(' ').map(Number)));
    assert.ok(stored.size > 20, `requests waiting for an answer: ${stored.size}`);
    // the level the API computes for the dataset's today (2026-11-15), request by request
    const server = await startServer({ db, demo: false, env: { GUATU_TODAY: '2026-11-15' } });
    try {
      const c = new Client(server.base);
      assert.equal((await c.post('/api/v1/session', { login: 'office', password: 'bench1234' })).status, 200);
      const computed = new Map(), states = new Set();
      for (let page = 1; ; page++) {
        const r = await c.get(`/api/v1/enterprise-requests?per_page=100&page=${page}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        for (const it of r.body.items) if (stored.has(it.id)) { computed.set(it.id, it.escalation); states.add(it.state); }
        if (r.body.items.length < 100) break;
      }
      assert.equal(computed.size, stored.size, 'every waiting request is listed');
      assert.ok(states.has('reopened'), 'the dataset has reopened requests');
      assert.ok([...computed.values()].some((v) => v === 2), 'some are past twice their deadline');
      const behind = [...stored].filter(([id, lv]) => computed.get(id) !== lv).map(([id, lv]) => `#${id}: stored ${lv}, reached ${computed.get(id)}`);
      assert.deepEqual(behind, [], 'no request waits for the tick to catch up');
    } finally {
      await server.stop();
    }
  } finally {
    db.cleanup();
  }
});
