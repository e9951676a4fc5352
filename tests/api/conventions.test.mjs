// conventions.test.mjs — the API conventions every module relies on (docs/api.md, issue 2):
// problem+json errors with the right status and the field named, size limits, paging and
// the list envelope, "export what is shown" as a real XLSX, the OpenAPI document, the
// working-day calendar, refusing a database from a newer guatu, and an online backup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startServerAs, guatu, guatuAsync, newDatabase, fields, PG } from './lib.mjs';

let server;
let admin;
before(async () => { [server, admin] = await startServerAs('admin'); });
after(async () => { await server?.stop(); });

const isProblem = (r) => /^application\/problem\+json/.test(r.headers.get('content-type') || '');

test('unknown endpoint: 404 problem+json; known path, wrong method: 405', async () => {
  let r = await admin.get('/api/v1/no-such-thing');
  assert.equal(r.status, 404);
  assert.ok(isProblem(r));
  assert.equal(r.body.status, 404);
  assert.match(r.body.detail, /no-such-thing/);
  r = await server.client().get('/api/v1/no-such-thing');
  assert.equal(r.status, 404, 'unknown is unknown, logged in or not');
  r = await admin.put('/api/v1/units', {});
  assert.equal(r.status, 405);
  assert.ok(isProblem(r));
  r = await admin.get('/api/v1/units/abc');
  assert.equal(r.status, 405, 'GET is not a method of /units/{id}');
  r = await admin.patch('/api/v1/units/abc', { name: 'x' });
  assert.equal(r.status, 404, 'a non-numeric id is not found');
});

test('a body over 1 MiB is refused with 413', async () => {
  const big = JSON.stringify({ name: 'x'.repeat((1 << 20) + 10), kind: 'town' });
  let r;
  try {
    r = await admin.post('/api/v1/units', big, { 'Content-Type': 'application/json' });
  } catch (e) {
    assert.fail(`the server should answer 413, not drop the connection: ${e}`);
  }
  assert.equal(r.status, 413);
  assert.ok(isProblem(r));
  assert.equal((await admin.get('/api/v1/units?q=xxxxxxxx')).body.total, 0);
});

test('malformed JSON → 400 naming "body"; not an object → 400; unknown fields → 400 naming them', async () => {
  let r = await admin.post('/api/v1/units', '{"name": "x", ', { 'Content-Type': 'application/json' });
  assert.equal(r.status, 400);
  assert.ok(isProblem(r));
  assert.deepEqual(fields(r), ['body']);
  assert.match(r.body.errors[0].message, /JSON/);
  r = await admin.post('/api/v1/units', '[1,2]', { 'Content-Type': 'application/json' });
  assert.equal(r.status, 400);
  assert.deepEqual(fields(r), ['body']);
  r = await admin.post('/api/v1/units', '', { 'Content-Type': 'application/json' });
  assert.equal(r.status, 400);
  r = await admin.post('/api/v1/units', { name: 'x', kind: 'town', colour: 'red', size: 3 });
  assert.equal(r.status, 400);
  assert.deepEqual(fields(r).sort(), ['colour', 'size']);
});

test('wrong types and bad values → 422 naming each field, in Chinese and English', async () => {
  let r = await admin.post('/api/v1/units', { name: 5, kind: ['town'], parent_id: 'one' });
  assert.equal(r.status, 422);
  assert.ok(isProblem(r));
  assert.deepEqual(fields(r).sort(), ['kind', 'name', 'parent_id']);
  for (const e of r.body.errors) assert.match(e.message, /[\u4e00-\u9fff].* \/ [a-z]/);
  r = await admin.post('/api/v1/users', { login: 'typed', password: 'Typed1234-long', name: '类型', unit_id: 1.5, roles: ['unit'], phone: 13800000000 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['phone', 'unit_id']);
  r = await admin.patch('/api/v1/users/1', { disabled: 1 });
  assert.deepEqual(fields(r), ['disabled']);
});

test('lists: the envelope, paging, per_page 1..500, sorting', async () => {
  let r = await admin.get('/api/v1/units');
  assert.deepEqual(Object.keys(r.body).sort(), ['items', 'page', 'per_page', 'total']);
  assert.equal(r.body.page, 1);
  assert.equal(r.body.per_page, 20);
  assert.equal(r.body.items.length, 20);
  assert.ok(r.body.total >= 47);
  r = await admin.get('/api/v1/units?per_page=500');
  assert.equal(r.body.items.length, r.body.total);
  for (const q of ['per_page=501', 'per_page=0', 'page=0', 'page=x']) {
    r = await admin.get(`/api/v1/units?${q}`);
    assert.equal(r.status, 422, q);
    assert.deepEqual(fields(r), [q.split('=')[0]]);
  }
  r = await admin.get('/api/v1/units?page=1000');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items, []);
  r = await admin.get('/api/v1/units?sort=-name&per_page=5');
  const names = r.body.items.map((u) => u.name);
  assert.equal(names.length, 5);
  r = await admin.get('/api/v1/units?sort=secret');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['sort']);
});

function unzipText(buf) {
  const dir = mkdtempSync(join(tmpdir(), 'guatu-xlsx-'));
  try {
    const file = join(dir, 'x.xlsx');
    writeFileSync(file, buf);
    const list = spawnSync('unzip', ['-l', file], { encoding: 'utf8' });
    assert.equal(list.status, 0, 'a valid zip');
    assert.match(list.stdout, /xl\/workbook\.xml/);
    return spawnSync('unzip', ['-p', file], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('export: format=xlsx&columns=… answers a real XLSX with those labels and every matching row', async () => {
  const r = await admin.get(`/api/v1/users?format=xlsx&columns=${encodeURIComponent('login:账号,name:姓名')}&role=unit`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition') || '', /attachment/);
  const buf = r.body;
  assert.ok(Buffer.isBuffer(buf));
  assert.equal(buf.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  const text = unzipText(buf);
  assert.ok(text.includes('账号') && text.includes('姓名'), 'the labels are the header');
  for (const login of ['jinshan', 'guihua', 'xianyu', 'sany', 'zrzy']) assert.ok(text.includes(login), login);
  assert.ok(!text.includes('huaju'), 'the filter applies to the export');
  assert.ok(!text.includes('unit_name'), 'only the columns asked for');
  // The same export is refused to those who may not read the list.
  const leader = await server.login('leader');
  assert.equal((await leader.get('/api/v1/users?format=xlsx&columns=login:账号')).status, 403);
  // CSV too.
  const csv = await admin.get(`/api/v1/units?format=csv&columns=${encodeURIComponent('name:名称')}&kind=bank`);
  assert.equal(csv.status, 200);
  const lines = csv.body.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
  assert.equal(lines[0].replace(/"/g, ''), '名称');
  assert.equal(lines.length, 1 + (await admin.get('/api/v1/units?kind=bank')).body.total);
  assert.ok(lines.length >= 5);
});

test('the OpenAPI 3.1 document lists every route, and every listed route exists', async () => {
  const r = await server.client().get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.body.openapi, '3.1.0');
  const paths = r.body.paths;
  const want = {
    '/api/v1/units': ['get', 'post'], '/api/v1/units/{id}': ['patch', 'delete'],
    '/api/v1/users': ['get', 'post'], '/api/v1/users/{id}': ['get', 'patch'],
    '/api/v1/tokens': ['get', 'post'], '/api/v1/tokens/{id}': ['delete'], '/api/v1/audit': ['get'],
    '/api/v1/session': ['post', 'delete'], '/api/v1/me': ['get'], '/api/v1/me/password': ['post'],
    '/api/v1/health': ['get'], '/api/v1/openapi.json': ['get'], '/api/v1/calendar': ['get'],
    '/api/v1/calendar/days/{day}': ['put'], '/api/v1/calendar/add-working-days': ['get'],
    '/api/v1/calendar/working-days-between': ['get'],
  };
  for (const [p, methods] of Object.entries(want)) {
    assert.ok(paths[p], `${p} documented`);
    assert.ok(r.body.components.schemas.User && r.body.components.schemas.AuditEntry);
    for (const m of methods) assert.ok(paths[p][m]?.summary, `${m} ${p} documented with a summary`);
  }
  // Every documented operation is routed: never the "no such endpoint" 404, never 405.
  let n = 0;
  for (const [p, item] of Object.entries(paths)) {
    for (const m of Object.keys(item)) {
      const url = p.replace(/\{[^}]+\}/g, '1');
      const res = await server.client().request(m.toUpperCase(), url, m === 'get' || m === 'delete' ? undefined : {});
      assert.notEqual(res.status, 405, `${m} ${p}`);
      if (res.status === 404) assert.doesNotMatch(res.body.detail || '', /No endpoint/, `${m} ${p}`);
      n++;
    }
  }
  assert.ok(n >= 20, `${n} operations`);
});

test('guatu routes lists every route with its roles, handler and source file, one per line', async () => {
  const r = guatu(['routes']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const rows = lines.map((l) => l.split(/\s+/));
  for (const row of rows) {
    assert.equal(row.length, 5, `method path roles handler file: ${row.join(' ')}`);
    assert.match(row[3], /^[a-z_][a-z0-9_]*$/, `a handler name: ${row.join(' ')}`);
    assert.match(row[4], /^src\/[a-z0-9_]+\.c$/, `a source file: ${row.join(' ')}`);
  }
  // Aligned: every column starts at the same offset on every line.
  const starts = (l) => [...l.matchAll(/(?<=\s)\S+/g)].map((m) => m.index);
  for (const l of lines) assert.deepEqual(starts(l), starts(lines[0]), l);
  assert.ok(lines.some((l) => /^GET\s+\/api\/v1\/health\s+public\s+health\s+src\/core\.c$/.test(l)),
    'GET /api/v1/health is public, handled by health() in src/core.c');
  assert.ok(rows.some((x) => x[0] === 'PUT' && x[1] === '/api/v1/calendar/days/{day}' && x[2] === 'admin'));
  const listed = new Set(rows.map((x) => `${x[0]} ${x[1]}`));
  assert.equal(listed.size, rows.length, 'no route listed twice');
  const doc = (await server.client().get('/api/v1/openapi.json')).body;
  let n = 0;
  for (const [p, item] of Object.entries(doc.paths))
    for (const m of Object.keys(item)) {
      assert.ok(listed.has(`${m.toUpperCase()} ${p}`), `${m.toUpperCase()} ${p} is in guatu routes`);
      n++;
    }
  assert.equal(n, rows.length, 'guatu routes lists exactly the documented operations');
  assert.match(guatu(['routes', '--help']).stdout, /guatu routes/);
  // The file named is where the handler is defined.
  for (const [, , , fn, file] of rows) {
    const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    assert.match(text, new RegExp(`\\b${fn}\\(req \\*r\\)`), `${fn} defined in ${file}`);
  }
});

test('calendar: 2022-09-30 + 1 working day is 2022-10-08; days between count from the next working day', async () => {
  const c = server.client();
  let r = await c.get('/api/v1/calendar/add-working-days?from=2022-09-30&days=1');
  assert.equal(r.status, 200);
  assert.equal(r.body.date, '2022-10-08');
  r = await c.get('/api/v1/calendar/add-working-days?from=2024-05-10&days=1');
  assert.equal(r.body.date, '2024-05-11', 'Saturday 2024-05-11 was a make-up working day');
  r = await c.get('/api/v1/calendar/add-working-days?from=2024-06-14&days=1');
  assert.equal(r.body.date, '2024-06-17', 'an ordinary weekend is skipped');
  r = await c.get('/api/v1/calendar/working-days-between?from=2022-09-30&to=2022-10-08');
  assert.equal(r.body.days, 1);
  r = await c.get('/api/v1/calendar/working-days-between?from=2024-05-06&to=2024-05-10');
  assert.equal(r.body.days, 4, 'Monday to Friday: Tuesday…Friday');
  r = await c.get('/api/v1/calendar/working-days-between?from=2024-05-06&to=2024-05-06');
  assert.equal(r.body.days, 0);
  r = await c.get('/api/v1/calendar/add-working-days?from=2022-02-30&days=1');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['from']);
  r = await c.get('/api/v1/calendar/add-working-days?from=2022-09-30');
  assert.deepEqual(fields(r), ['days']);
});

function sql(url, statement) {
  return PG
    ? spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', statement], { encoding: 'utf8' })
    : spawnSync('sqlite3', [url, statement], { encoding: 'utf8' });
}

test('a database from a newer guatu is refused by serve, with the reason', () => {
  const db = newDatabase();
  try {
    assert.equal(guatu(['init', '--db', db.url]).status, 0);
    const r = sql(db.url, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', '2099-01-01T00:00:00Z')");
    assert.equal(r.status, 0, r.stderr);
    const s = guatu(['serve', '--db', db.url, '--listen', '127.0.0.1:0'], { timeout: 60000 });
    assert.notEqual(s.status, 0);
    assert.equal(s.signal ?? null, null, 'it exits by itself rather than serving');
    assert.match(s.stderr, /9999/);
    assert.match(s.stderr, /newer|升级/);
  } finally {
    db.cleanup();
  }
});

test('guatu backup while the server serves gives a sound copy with the data', { skip: PG ? 'SQLite only (PostgreSQL uses pg_dump)' : false }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guatu-backup-'));
  try {
    // Writes keep coming while the copy is taken.
    let stop = false;
    let made = 0;
    const writer = (async () => {
      while (!stop) {
        const r = await admin.post('/api/v1/units', { name: `备份中${made}`, kind: 'department', parent_id: 1 });
        if (r.status === 201) made++;
      }
    })();
    await new Promise((res) => setTimeout(res, 200));
    const to = join(dir, 'copy.db');
    const b = await guatuAsync(['backup', '--db', server.db.url, '--to', to]);
    stop = true;
    await writer;
    assert.equal(b.status, 0, b.stderr);
    assert.ok(existsSync(to));
    assert.equal(sql(to, 'PRAGMA integrity_check').stdout.trim(), 'ok');
    assert.equal(sql(to, "SELECT COUNT(*) FROM users WHERE login = 'admin'").stdout.trim(), '1');
    const units = Number(sql(to, 'SELECT COUNT(*) FROM units').stdout.trim());
    assert.ok(units >= 47, `${units} units in the copy`);
    assert.ok(made > 0, 'writes happened during the backup');
    // Refuses to overwrite.
    assert.notEqual(guatu(['backup', '--db', server.db.url, '--to', to]).status, 0);
    // The copy serves.
    const copy = await startServer({ db: { url: to, cleanup() {} } });
    try {
      const c = await copy.login('admin');
      assert.equal((await c.get('/api/v1/units?per_page=1')).body.total, units);
    } finally {
      await copy.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
