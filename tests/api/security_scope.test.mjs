// Issue 13, findings 3 and 5: data scope decided by role as well as by unit
// path (the public and banks own no unit data, whatever unit they sit in),
// and what only the project office decides about a project (level, HQ,
// owner, moves out of reserve or back).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServerAs, fields } from './lib.mjs';
import { unitId } from './reports_helpers.mjs';

let server, office, admin, jinshan, huaju;
const U = {};
let seq = 0;
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

before(async () => {
  [server, office, admin, jinshan, huaju] = await startServerAs('office', 'admin', 'jinshan', 'enterprise');
  for (const [k, n] of [['jinshan', '金山街道'], ['hq', '金山新城指挥部'], ['huaju', '湖南华巨新材料有限公司']]) U[k] = await unitId(office, n);
});
after(async () => { await server?.stop(); });

async function userOf(roles, unit_id = 1) {
  const login = `scope${process.pid}x${seq++}`;
  const password = 'Scope test passphrase 7';
  const r = await admin.post('/api/v1/users', { login, password, name: '范围测试', unit_id, roles });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return server.login([login, password]);
}
const body = (extra = {}) => {
  const code = `SC-${process.pid}-${seq++}`;
  return { code, name: `范围${code}`, level: 'district', category: '产业项目', chain: '新材料', stage: 'reserve', unit_id: U.jinshan, ...extra };
};

test('the public and banks, even attached to the district itself, see no problem, attachment or task, and cannot comment', async () => {
  const projects = (await office.get('/api/v1/projects?per_page=500')).body.items;
  const p = projects.find((x) => x.unit_id === U.jinshan);
  let r = await office.post('/api/v1/problems', { project_id: p.id, category: 'utilities', title: '用电', description: '增容', unit_id: U.jinshan, deadline_days: 3 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const prob = r.body;
  r = await office.post(`/api/v1/problems/${prob.id}/attachments`, png, { 'X-File-Name': 'site.png' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const att = (await office.get(`/api/v1/problems/${prob.id}`)).body.attachments[0].url.replace(/^.*\/api\/v1/, '/api/v1');
  assert.ok((await office.get('/api/v1/tasks?per_page=1')).body.total > 0);
  for (const roles of [['public'], ['bank']]) {
    const c = await userOf(roles, 1); // the district: every unit's path starts with its path
    r = await c.get('/api/v1/problems?per_page=500');
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 0, `${roles}: ${r.body.total} problems`);
    assert.ok([403, 404].includes((await c.get(`/api/v1/problems/${prob.id}`)).status), `${roles} problem`);
    assert.ok([403, 404].includes((await c.get(att)).status), `${roles} attachment`);
    r = await c.post(`/api/v1/problems/${prob.id}/events`, { type: 'comment', text: '围观' });
    assert.ok([403, 404].includes(r.status), `${roles} comment: ${r.status}`);
    r = await c.get('/api/v1/tasks?per_page=500');
    assert.ok(r.status === 403 || r.body.total === 0, `${roles} tasks`);
    r = await c.get('/api/v1/projects?per_page=500');
    assert.ok(r.status === 403 || r.body.items.every((x) => x.published), `${roles} projects`);
  }
  const events = (await office.get(`/api/v1/problems/${prob.id}`)).body.events || [];
  assert.ok(!JSON.stringify(events).includes('围观'));
});

test('a town may not set level, HQ or owner, nor take a project out of reserve', async () => {
  // creating: a reserve project of district level, no HQ or owner
  for (const [extra, field] of [[{ level: 'province' }, 'level'], [{ hq_id: U.hq }, 'hq_id'], [{ owner_unit_id: U.huaju }, 'owner_unit_id']]) {
    const r = await jinshan.post('/api/v1/projects', body(extra));
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.deepEqual(fields(r), [field]);
  }
  let r = await jinshan.post('/api/v1/projects', body());
  assert.equal(r.status, 201, JSON.stringify(r.body));
  let p = r.body;
  // the probe: one PATCH promoting everything
  r = await jinshan.patch(`/api/v1/projects/${p.id}`, { stage: 'construction', level: 'province', hq_id: U.hq, owner_unit_id: U.huaju, version: p.version });
  assert.equal(r.status, 403, JSON.stringify(r.body));
  assert.deepEqual(fields(r).sort(), ['hq_id', 'level', 'owner_unit_id', 'stage']);
  r = await jinshan.patch(`/api/v1/projects/${p.id}`, { stage: 'preparation', version: p.version });
  assert.equal(r.status, 403);
  assert.deepEqual(fields(r), ['stage']);
  assert.match(r.body.errors[0].message, /reserve/);
  // the office promotes it; then the town moves it forward, never back
  r = await office.patch(`/api/v1/projects/${p.id}`, { stage: 'preparation', hq_id: U.hq, version: p.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  p = r.body;
  r = await jinshan.patch(`/api/v1/projects/${p.id}`, { stage: 'construction', version: p.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  p = r.body;
  for (const stage of ['preparation', 'reserve']) {
    r = await jinshan.patch(`/api/v1/projects/${p.id}`, { stage, version: p.version });
    assert.equal(r.status, 403, stage);
    assert.deepEqual(fields(r), ['stage']);
  }
  // unchanged values may be sent back (a form saves every field)
  r = await jinshan.patch(`/api/v1/projects/${p.id}`, { level: 'district', hq_id: U.hq, stage: 'construction', name: p.name + '改', version: p.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  p = r.body;
  r = await jinshan.patch(`/api/v1/projects/${p.id}`, { hq_id: null, version: p.version });
  assert.equal(r.status, 403);
  assert.deepEqual(fields(r), ['hq_id']);
});

test('an enterprise moves its own project forward only', async () => {
  let r = await office.post('/api/v1/projects', body({ owner_unit_id: U.huaju, stage: 'construction' }));
  assert.equal(r.status, 201);
  let p = r.body;
  r = await huaju.patch(`/api/v1/projects/${p.id}`, { stage: 'reserve', version: p.version });
  assert.equal(r.status, 403);
  assert.deepEqual(fields(r), ['stage']);
  r = await huaju.patch(`/api/v1/projects/${p.id}`, { stage: 'production', version: p.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
});
