// SQLite's planner statistics are refreshed at the first tick of each new
// day (src/db_analyze.c): a database whose statistics still describe an
// empty audit log gets them renewed, once a day, not at every start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PG, TODAY, addDays, newDatabase, guatu, startServer } from './lib.mjs';

const sql = (db, text) => {
  const r = spawnSync('sqlite3', [db.url, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};
const statisticsDay = (db) => sql(db, "SELECT value FROM settings WHERE key = 'statistics_day'");
// The row count sqlite_stat1 gives the audit log ('' when never analysed).
const auditRowsSeen = (db) => sql(db, "SELECT stat FROM sqlite_stat1 WHERE tbl = 'audit_log' LIMIT 1").split(' ')[0];

async function until(what, fn) {
  for (let i = 0; i < 600; i++) {
    if (fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what} did not happen within a minute`);
}

test('a new day refreshes the planner statistics once; a database without a recorded day only records today', async (t) => {
  if (PG) { t.skip("PostgreSQL's autovacuum analyses tables as they grow"); return; }
  const db = newDatabase();
  try {
    assert.equal(guatu(['demo', '--db', db.url], { env: { ...process.env, GUATU_TODAY: TODAY } }).status, 0);
    // gen-like statistics taken while the audit log was empty
    sql(db, 'ANALYZE settings;'); // creates sqlite_stat1
    sql(db, "INSERT INTO sqlite_stat1 (tbl, idx, stat) SELECT 'audit_log', 'audit_at', '1 1'");
    const logged = Number(sql(db, 'SELECT COUNT(*) FROM audit_log'));
    assert.ok(logged > 10, 'the demo is audited');

    // no day recorded: the first tick records today and analyses nothing
    let server = await startServer({ db });
    await until('recording today', () => statisticsDay(db) === TODAY);
    assert.equal(auditRowsSeen(db), '1');
    await server.stop();

    // the next day: one refresh, and the log's statistics describe it
    const tomorrow = addDays(TODAY, 1);
    server = await startServer({ db, env: { GUATU_TODAY: tomorrow } });
    await until('the refresh of the next day', () => statisticsDay(db) === tomorrow);
    assert.ok(Number(auditRowsSeen(db)) >= logged, `statistics see ${auditRowsSeen(db)} audit rows, the log had ${logged}`);
    assert.match(server.log(), /"msg":"planner statistics refreshed","day":"\d{4}-\d{2}-\d{2}"/);
    await server.stop();

    // a restart on the same day does not refresh again
    sql(db, "UPDATE sqlite_stat1 SET stat = '1 1' WHERE tbl = 'audit_log'");
    server = await startServer({ db, env: { GUATU_TODAY: tomorrow } });
    const c = await server.login('office');
    assert.equal((await c.get('/api/v1/projects?per_page=1')).status, 200);
    await server.stop();
    assert.equal(auditRowsSeen(db), '1');
    assert.doesNotMatch(server.log(), /planner statistics refreshed/);
  } finally {
    db.cleanup();
  }
});
