// gen.test.mjs — `guatu gen`, the benchmark dataset generator (issue 8).
// The district scale must give the row counts of the scale table in
// PRODUCT.md, two runs with one seed must give the same database (counts,
// a checksum of the projects table, and byte-identical CSV exports), another
// seed a different one, a non-empty database is refused, and the generated
// logins work through the API with the documented bench password.  The land
// acquisition ledger and the approval records are listed by their API and
// keep the sequence rule (signed: every item valued; handed over: fully paid).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { guatu, newDatabase, startServer, Client, PG } from './lib.mjs';

// The district row of the scale table.
const DISTRICT = { units: 60, users: 200, projects: 150, nodes: 2000, reports: 5000, problems: 500, land_households: 3000 };

function gen(db, seed) {
  const args = ['gen', '--scale', 'district', '--db', db.url];
  if (seed !== undefined) args.push('--seed', String(seed));
  const r = guatu(args);
  assert.equal(r.status, 0, `guatu gen failed: ${r.stderr}`);
  const counts = {};
  for (const m of r.stdout.matchAll(/^\s+([a-z_]+)\s+(\d+)$/gm)) counts[m[1]] = Number(m[2]);
  const sum = /projects checksum ([0-9a-f]{64})/.exec(r.stdout);
  assert.ok(sum, `no checksum in: ${r.stdout}`);
  return { counts, checksum: sum[1], stdout: r.stdout };
}

function exportCsv(db, name) {
  const out = join(tmpdir(), `guatu-gen-${process.pid}-${name}.csv`);
  const r = guatu(['export', 'projects', '--format', 'csv', '--out', out, '--db', db.url]);
  assert.equal(r.status, 0, `export failed: ${r.stderr}`);
  return createHash('sha256').update(readFileSync(out)).digest('hex');
}

test('gen --scale district: the scale table, deterministic per seed', { timeout: 300000 }, async () => {
  const a = newDatabase(), b = newDatabase(), c = newDatabase();
  try {
    const ga = gen(a);
    for (const [table, n] of Object.entries(DISTRICT)) {
      if (table === 'problems' && ga.counts.problems === undefined) continue; // module not in this build
      if (table === 'land_households' && ga.counts.land_households === undefined) continue;
      assert.equal(ga.counts[table], n, `${table}: ${ga.stdout}`);
    }
    assert.ok(ga.counts.project_plans > 0 && ga.counts.project_tags > 0 && ga.counts.report_totals > 0, ga.stdout);
    assert.ok(ga.counts.land_items > 0 && ga.counts.land_payments > 0 && ga.counts.land_events > 0, ga.stdout);
    assert.equal(ga.counts.approval_items, 11, 'the district catalogue');
    assert.ok(ga.counts.approvals >= 100 * 8 && ga.counts.approval_events > ga.counts.approvals, ga.stdout);

    const gb = gen(b, 20261); // the default seed, given explicitly
    assert.deepEqual(gb.counts, ga.counts);
    assert.equal(gb.checksum, ga.checksum);
    assert.equal(exportCsv(b, 'b'), exportCsv(a, 'a'), 'the same seed exports the same project library');

    const gc = gen(c, 7);
    assert.deepEqual(
      Object.fromEntries(Object.keys(DISTRICT).map((k) => [k, gc.counts[k]])),
      Object.fromEntries(Object.keys(DISTRICT).map((k) => [k, ga.counts[k]])),
      'another seed, the same scale',
    );
    assert.notEqual(gc.checksum, ga.checksum, 'another seed gives other projects');

    const again = guatu(['gen', '--scale', 'district', '--db', a.url]);
    assert.notEqual(again.status, 0, 'a database with data is refused');
    assert.match(again.stderr, /already has data/);

    const bad = guatu(['gen', '--scale', 'city', '--db', c.url]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /province or district/);
  } finally {
    a.cleanup();
    b.cleanup();
    c.cleanup();
  }
});

test('gen: the generated logins and data work through the API', { timeout: 300000 }, async () => {
  const db = newDatabase();
  gen(db);
  const server = await startServer({ db, demo: false });
  try {
    const c = new Client(server.base);
    const r = await c.post('/api/v1/session', { login: 'office', password: 'bench1234' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const list = await c.get('/api/v1/projects?per_page=5');
    assert.equal(list.status, 200);
    assert.equal(list.body.total, DISTRICT.projects);
    const id = list.body.items[0].id;
    const nodes = await c.get(`/api/v1/projects/${id}/nodes`);
    assert.equal(nodes.status, 200);
    assert.ok(nodes.body.items.length >= 5, 'every project has its plan');
    // ids continue after the generated ones (PostgreSQL identities were moved past them)
    const admin = new Client(server.base);
    assert.equal((await admin.post('/api/v1/session', { login: 'admin', password: 'bench1234' })).status, 200);
    const created = await admin.post('/api/v1/units', { name: '生成后新增单位', kind: 'department', parent_id: 1 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.ok(created.body.id > DISTRICT.units);
    const wrong = await new Client(server.base).post('/api/v1/session', { login: 'u000010', password: 'nope-nope' });
    assert.equal(wrong.status, 401);
  } finally {
    await server.stop();
    db.cleanup();
  }
});

const money = (s) => Math.round(Number(s) * 100);

test('gen: land households and approvals through the API, the sequence rule in the data', { timeout: 300000 }, async () => {
  const db = newDatabase();
  gen(db);
  // served on the dataset's own today, as bench/run.sh does
  const server = await startServer({ db, demo: false, env: { GUATU_TODAY: '2026-11-15' } });
  try {
    const c = new Client(server.base);
    assert.equal((await c.post('/api/v1/session', { login: 'office', password: 'bench1234' })).status, 200);
    const hh = await c.get('/api/v1/households?per_page=20');
    assert.equal(hh.status, 200, JSON.stringify(hh.body));
    assert.equal(hh.body.total, DISTRICT.land_households);
    const one = await c.get(`/api/v1/households/${hh.body.items[0].id}`);
    assert.equal(one.status, 200);

    const lp = await c.get('/api/v1/land-progress');
    assert.equal(lp.status, 200, JSON.stringify(lp.body));
    assert.equal(lp.body.households, DISTRICT.land_households);
    assert.ok(money(lp.body.planned_mu) > 0 && money(lp.body.paid) > 0);
    assert.ok(money(lp.body.paid) <= money(lp.body.due), 'paid ≤ due');
    assert.ok(lp.body.handed_over > lp.body.households / 2, 'most households of older projects are handed over');
    assert.ok(lp.body.by_project.length >= 10, 'spread over the projects with land');
    for (const p of lp.body.by_project) assert.ok(money(p.paid) <= money(p.due), `project ${p.project_id}: paid ≤ due`);

    // every handed-over household is fully paid, and so the states are all there
    const owing = await c.get('/api/v1/households?state=handed_over&owing=1&per_page=1');
    assert.equal(owing.status, 200);
    assert.equal(owing.body.total, 0, 'a handed-over household owes nothing');
    for (const st of ['surveyed', 'valued', 'signed', 'demolished', 'handed_over']) {
      const l = await c.get(`/api/v1/households?state=${st}&per_page=100`);
      assert.ok(l.body.total > 0, `some households are ${st}`);
      for (const h of l.body.items) {
        assert.ok(money(h.paid) <= money(h.due), `household ${h.id}: paid ≤ due`);
        if (['signed', 'demolished', 'handed_over'].includes(st)) assert.equal(h.unvalued, 0, `household ${h.id} (${st}) has every amount`);
      }
    }

    const ap = await c.get('/api/v1/approvals?per_page=20');
    assert.equal(ap.status, 200, JSON.stringify(ap.body));
    assert.ok(ap.body.total > 0);
    const a = await c.get(`/api/v1/approvals/${ap.body.items[0].id}`);
    assert.equal(a.status, 200);
    const overdue = await c.get('/api/v1/approvals?overdue=1&per_page=1');
    assert.equal(overdue.status, 200);
    assert.equal(overdue.body.total, 0, 'open items are within their promise on the dataset\'s today');
    const stats = await c.get('/api/v1/approvals/stats?from=2010-01-01&to=2026-11-15');
    assert.equal(stats.status, 200, JSON.stringify(stats.body));
    assert.ok(stats.body.items.length > 0 && stats.body.items.every((i) => i.count > 0));

    if (!PG) {
      // the rule over every row, in SQL (SQLite only: the CLI reads the file)
      const q = (sql) => {
        const r = spawnSync('sqlite3', [db.url, sql], { encoding: 'utf8' });
        if (r.error) return null; // no sqlite3 CLI here
        assert.equal(r.status, 0, r.stderr);
        return r.stdout.trim();
      };
      const checks = {
        'paid > due': "SELECT COUNT(*) FROM land_households WHERE paid > due",
        'handed over, not fully paid': "SELECT COUNT(*) FROM land_households WHERE state = 'handed_over' AND paid <> due",
        'signed or later, an item without amount':
          "SELECT COUNT(*) FROM land_items i JOIN land_households h ON h.id = i.household_id WHERE h.state IN ('signed', 'demolished', 'handed_over') AND i.amount IS NULL",
        'due is not the sum of the items':
          'SELECT COUNT(*) FROM land_households h WHERE due <> (SELECT COALESCE(SUM(amount), 0) FROM land_items WHERE household_id = h.id)',
        'paid is not the sum of the payments':
          'SELECT COUNT(*) FROM land_households h WHERE paid <> (SELECT COALESCE(SUM(amount), 0) FROM land_payments WHERE household_id = h.id)',
        'an item paid beyond its amount': 'SELECT COUNT(*) FROM land_items WHERE paid > COALESCE(amount, 0)',
        'dates out of order':
          "SELECT COUNT(*) FROM land_households WHERE valued_on < surveyed_on OR signed_on < valued_on OR demolished_on < signed_on OR handed_over_on < COALESCE(demolished_on, signed_on) OR COALESCE(handed_over_on, demolished_on, signed_on, valued_on, surveyed_on) > '2026-11-15'",
        'approval dates out of order':
          "SELECT COUNT(*) FROM approvals WHERE accepted_on < submitted_on OR issued_on < accepted_on OR issued_on > '2026-11-15' OR (state = 'issued') <> (issued_on IS NOT NULL) OR (state = 'preparing') <> (submitted_on IS NULL)",
        'an approval submitted before its prerequisite was issued':
          'SELECT COUNT(*) FROM approvals a JOIN approval_item_prereqs q ON q.item_id = a.item_id JOIN approvals b ON b.project_id = a.project_id AND b.item_id = q.prereq_id WHERE a.submitted_on IS NOT NULL AND (b.issued_on IS NULL OR b.issued_on > a.submitted_on)',
      };
      for (const [what, sql] of Object.entries(checks)) {
        const n = q(sql);
        if (n !== null) assert.equal(n, '0', what);
      }
    }
  } finally {
    await server.stop();
    db.cleanup();
  }
});
