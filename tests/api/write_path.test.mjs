// write_path.test.mjs — the one write path (src/api.c commit_reply): a rule of the
// database broken by a write answers 409 because of the driver's code (a unique key,
// on SQLite and on PostgreSQL alike), in Chinese and English, with nothing of the
// write kept: no row, no version, no audit entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServerAs } from './lib.mjs';

let server;
let office;
before(async () => { [server, office] = await startServerAs('office'); });
after(async () => { await server?.stop(); });

const isProblem = (r) => /^application\/problem\+json/.test(r.headers.get('content-type') || '');
// "中文 / English"
const bilingual = (s) => /^[^\x00-\x7f].* \/ [A-Za-z]/.test(s || '');
const auditTotal = async () => (await office.get('/api/v1/audit?per_page=1')).body.total;

const category = '产业项目';
const steps = [{ name: '开工', kind: 'start', duration_days: 3 }];

test('renaming a node template onto another one breaks the unique key: 409 by code, bilingual, nothing kept', async () => {
  const a = await office.post('/api/v1/node-templates', { category, name: `唯一甲${process.pid}`, steps });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  const b = await office.post('/api/v1/node-templates', { category, name: `唯一乙${process.pid}`, steps });
  assert.equal(b.status, 201, JSON.stringify(b.body));
  const n0 = await auditTotal();
  // No check in the handler stands in the way: the database refuses the UPDATE.
  const r = await office.patch(`/api/v1/node-templates/${b.body.id}`, { name: a.body.name, version: b.body.version });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.ok(isProblem(r));
  assert.equal(r.body.status, 409);
  assert.equal(r.body.title, '与已有数据冲突 / Conflict');
  assert.ok(bilingual(r.body.detail), r.body.detail);
  assert.match(r.body.detail, /same key/);
  assert.ok(!/SQL|constraint|duplicate/i.test(JSON.stringify(r.body)), 'no database text reaches the client');
  assert.equal(r.headers.get('etag'), null);
  assert.equal(await auditTotal(), n0, 'no audit entry for a refused write');
  const list = (await office.get(`/api/v1/node-templates?category=${encodeURIComponent(category)}`)).body.items;
  const still = list.find((t) => t.id === b.body.id);
  assert.equal(still.name, b.body.name);
  assert.equal(still.version, b.body.version, 'the version did not move');
  // The same change without the clash goes through.
  const ok = await office.patch(`/api/v1/node-templates/${b.body.id}`, { name: `唯一丙${process.pid}`, version: b.body.version });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(await auditTotal(), n0 + 1);
});

test('creating a duplicate node template: the handler words the 409 the database raised', async () => {
  const name = `唯一丁${process.pid}`;
  assert.equal((await office.post('/api/v1/node-templates', { category, name, steps })).status, 201);
  const n0 = await auditTotal();
  const r = await office.post('/api/v1/node-templates', { category, name, steps });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.ok(isProblem(r));
  assert.equal(r.body.title, '模板重复 / Duplicate template');
  assert.ok(bilingual(r.body.detail), r.body.detail);
  assert.equal(await auditTotal(), n0);
  // The connection that failed serves the next write normally.
  const again = await office.post('/api/v1/node-templates', { category, name: `${name}-2`, steps });
  assert.equal(again.status, 201, JSON.stringify(again.body));
});
