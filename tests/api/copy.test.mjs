// `guatu copy` moves the demo district from its SQLite file into PostgreSQL
// and the battle map there is identical; copying a second district into the
// same database keeps both districts' units apart.  Needs PostgreSQL
// (GUATU_TEST_PG): on the SQLite runs it copies into another SQLite file.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guatu, newDatabase, startServer } from './lib.mjs';

const stable = (body) => JSON.stringify(body, (k, v) => (k === 'today' ? undefined : v));

test('copy the demo district and see the same battle map', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guatu-copy-'));
  const source = join(dir, 'district.db');
  assert.equal(guatu(['demo', '--db', source]).status, 0);
  const target = newDatabase();
  const first = guatu(['copy', '--from', source, '--to', target.url]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /counts and checksums verified/);

  const a = await startServer({ db: { url: source, cleanup() {} } });
  const b = await startServer({ db: target });
  try {
    const ca = await a.login('office');
    const cb = await b.login('office');
    for (const path of ['/api/v1/battlemap?year=2026', '/api/v1/projects?per_page=500&sort=code', '/api/v1/dashboard?year=2026&month=10']) {
      const ra = await ca.get(path);
      const rb = await cb.get(path);
      assert.equal(ra.status, 200, path);
      assert.equal(rb.status, 200, path);
      assert.equal(stable(rb.body), stable(ra.body), `${path} differs after the copy`);
    }
    const audit = await cb.get('/api/v1/audit?entity=database&per_page=5');
    assert.equal(audit.body.items[0].action, 'copy');

    // A second district merged in: its clashing names are renamed, and the
    // first district's figures do not change.
    const second = guatu(['copy', '--from', source, '--to', target.url]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /renamed units\.name 荷塘区 → 荷塘区（荷塘区）/);
    // both districts published last month's accountability list: the second's is the month's next version
    assert.match(second.stdout, /renumbered accountability_versions\.version 1 → 2/);
    const units = await cb.get('/api/v1/units?per_page=500');
    assert.equal(units.body.total, 2 * (await ca.get('/api/v1/units?per_page=1')).body.total);
    // A source whose tables are empty (a district just initialised) copies
    // nothing and verifies, even where the target's tables have rows.
    const empty = join(dir, 'empty.db');
    assert.equal(guatu(['init', '--db', empty]).status, 0);
    const none = guatu(['copy', '--from', empty, '--to', target.url]);
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /counts and checksums verified/);
    assert.equal((await cb.get('/api/v1/units?per_page=1')).body.total, units.body.total);
    // A bad source changes nothing.
    const bad = guatu(['copy', '--from', join(dir, 'missing', 'x.db'), '--to', target.url]);
    assert.notEqual(bad.status, 0);
    assert.equal((await cb.get('/api/v1/units?per_page=1')).body.total, units.body.total);
  } finally {
    await b.stop({ keep: true });
    await a.stop({ keep: true });
    target.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
