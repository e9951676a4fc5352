// 字典 (issue 20): GET /api/v1/dicts and /api/v1/dicts/{type} serve every code table from the
// server's own constants and tables; the administrator edits the data ones (产业链, 标签):
// labels, order, enabled, new items — each change validated in both languages and audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServerAs, fields } from './lib.mjs';

let server, admin, office, jinshan, enterprise;
let seq = 0;
const code = () => `测试链${process.pid}-${seq++}`;

before(async () => {
  [server, admin, office, jinshan, enterprise] = await startServerAs('admin', 'office', 'jinshan', 'enterprise');
});
after(async () => { await server?.stop(); });

const bilingual = (r) => { for (const e of r.body.errors) assert.match(e.message, /[\u4e00-\u9fff].* \/ [A-Za-z]/, e.message); };

test('every logged-in user reads every dictionary: type, names in both languages, kind, and ordered items', async () => {
  for (const c of [admin, office, jinshan, enterprise]) {
    const r = await c.get('/api/v1/dicts');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const types = r.body.items.map((d) => d.type);
    for (const t of ['project_level', 'project_stage', 'light', 'problem_state', 'project_category', 'problem_category', 'project_chain', 'project_tag'])
      assert.ok(types.includes(t), `${t} in ${types}`);
    for (const d of r.body.items) {
      assert.match(d.name_zh, /[\u4e00-\u9fff]/);
      assert.match(d.name_en, /^[A-Z]/);
      assert.ok(['fixed', 'table', 'data'].includes(d.kind));
      assert.equal(d.editable, d.kind === 'data');
      assert.ok(d.items.length > 0, `${d.type} has items`);
      const orders = d.items.map((i) => i.sort_order);
      assert.deepEqual(orders, [...orders].sort((a, b) => a - b), `${d.type} in order`);
    }
  }
  const anon = await fetch(`${server.base}/api/v1/dicts`);
  assert.equal(anon.status, 401);
});

test('the fixed dictionaries are the codes the server accepts: project levels and stages with 区重点 / 在建', async () => {
  let r = await office.get('/api/v1/dicts/project_level');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((i) => i.code), ['province', 'city', 'district']);
  assert.deepEqual(r.body.items.map((i) => i.label_zh), ['省重点', '市重点', '区重点']);
  assert.ok(r.body.items.every((i) => i.label_en && i.enabled === true));
  r = await office.get('/api/v1/dicts/project_stage');
  assert.deepEqual(r.body.items.map((i) => i.code), ['reserve', 'preparation', 'construction', 'completed', 'production']);
  assert.equal(r.body.items[2].label_zh, '在建');
  assert.equal(r.body.kind, 'fixed');
  // the category tables are the ones their pages keep: a category added there shows here
  const name = `字典类别${process.pid}`;
  assert.equal((await admin.post('/api/v1/project-categories', { name, sort_order: 99 })).status, 201);
  r = await office.get('/api/v1/dicts/project_category');
  assert.ok(r.body.items.some((i) => i.code === name && i.label_zh === name));
  r = await office.get('/api/v1/dicts/problem_category');
  assert.ok(r.body.items.some((i) => i.code === 'demolition' && i.label_zh === '征拆'));
  r = await office.get('/api/v1/dicts/no_such');
  assert.equal(r.status, 404);
});

test('admin changes a chain item’s labels, order and enabled; the change is audited with before and after', async () => {
  const c = code();
  let r = await admin.post('/api/v1/dicts/project_chain', { code: c, label_zh: c, label_en: 'Test chain', sort_order: 500 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual({ ...r.body, id: 0 }, { id: 0, dict: 'project_chain', code: c, label_zh: c, label_en: 'Test chain', sort_order: 500, enabled: true });
  const id = r.body.id;
  r = await admin.patch(`/api/v1/dicts/project_chain/${encodeURIComponent(c)}`, { label_en: 'Renamed chain', sort_order: 5, enabled: false });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.label_en, 'Renamed chain');
  assert.equal(r.body.label_zh, c, 'a field not sent keeps its value');
  assert.equal(r.body.enabled, false);
  r = await office.get('/api/v1/dicts/project_chain');
  const first = r.body.items[0];
  assert.equal(first.code, c, 'sort order 5 puts it first');
  assert.equal(first.enabled, false);
  const audit = await admin.get(`/api/v1/audit?entity=dict_item&entity_id=${id}`);
  assert.equal(audit.status, 200);
  const acts = audit.body.items.map((e) => e.action).sort();
  assert.deepEqual(acts, ['create', 'update']);
  const upd = audit.body.items.find((e) => e.action === 'update');
  assert.equal(upd.before.label_en, 'Test chain');
  assert.equal(upd.after.label_en, 'Renamed chain');
  assert.equal(upd.before.enabled, true);
  assert.equal(upd.after.enabled, false);
});

test('a disabled chain is no longer given to a project, and a project that already has it keeps it', async () => {
  const c = code();
  let r = await admin.post('/api/v1/dicts/project_chain', { code: c, label_zh: c, sort_order: 900 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const unit = (await office.get('/api/v1/units')).body.items.find((u) => u.kind === 'department' || u.kind === 'town')?.id;
  const body = (n) => ({ name: `停用链项目${process.pid}-${n}`, level: 'district', category: '产业项目', unit_id: unit, chain: c });
  r = await office.post('/api/v1/projects', body(1));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const kept = r.body.id, version = r.body.version;
  r = await admin.patch(`/api/v1/dicts/project_chain/${encodeURIComponent(c)}`, { enabled: false });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await office.post('/api/v1/projects', body(2));
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.deepEqual(fields(r), ['chain']);
  bilingual(r);
  r = await office.patch(`/api/v1/projects/${kept}`, { name: `停用链项目${process.pid}-1 改`, chain: c, version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.chain, c, 'the project keeps its chain');
  r = await admin.patch(`/api/v1/dicts/project_chain/${encodeURIComponent(c)}`, { enabled: true });
  r = await office.post('/api/v1/projects', body(3));
  assert.equal(r.status, 201, 'enabled again, it is given again');
});

test('invalid dictionary changes are refused naming each field in Chinese and English, and nothing is written', async () => {
  const c = code();
  let r = await admin.post('/api/v1/dicts/project_chain', { code: '', label_zh: '', sort_order: -1, enabled: 'yes' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['code', 'enabled', 'label_zh', 'sort_order']);
  bilingual(r);
  r = await admin.post('/api/v1/dicts/project_chain', { code: c, label_zh: 'x'.repeat(33) });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['label_zh']);
  bilingual(r);
  r = await admin.post('/api/v1/dicts/project_chain', { code: '新材料', label_zh: '新材料' });
  assert.equal(r.status, 409);
  assert.deepEqual(fields(r), ['code']);
  r = await admin.patch('/api/v1/dicts/project_chain/新材料', { label_zh: null, label_en: 'x'.repeat(65) });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['label_en', 'label_zh']);
  bilingual(r);
  r = await admin.patch('/api/v1/dicts/project_chain/新材料', { label: 'x' });
  assert.equal(r.status, 400, 'an unknown field');
  r = await admin.patch(`/api/v1/dicts/project_chain/${encodeURIComponent('没有这一项')}`, { label_en: 'x' });
  assert.equal(r.status, 404);
  r = await office.get('/api/v1/dicts/project_chain');
  const item = r.body.items.find((i) => i.code === '新材料');
  assert.equal(item.label_zh, '新材料');
  assert.equal(item.label_en, 'New materials');
  assert.ok(!r.body.items.some((i) => i.code === c));
});

test('only the administrator writes, and only the data dictionaries: fixed and category ones are read-only (409)', async () => {
  for (const c of [office, jinshan, enterprise]) {
    let r = await c.patch('/api/v1/dicts/project_chain/新材料', { label_en: 'x' });
    assert.equal(r.status, 403);
    r = await c.post('/api/v1/dicts/project_tag', { code: code(), label_zh: '标签' });
    assert.equal(r.status, 403);
  }
  let r = await admin.patch('/api/v1/dicts/project_level/district', { label_zh: '区级' });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /固定.*\/ .*fixed/);
  r = await admin.post('/api/v1/dicts/project_stage', { code: 'paused', label_zh: '暂停' });
  assert.equal(r.status, 409);
  r = await admin.post('/api/v1/dicts/problem_category', { code: 'x', label_zh: '其他' });
  assert.equal(r.status, 409);
  r = await office.get('/api/v1/dicts/project_level');
  assert.equal(r.body.items[2].label_zh, '区重点');
});
