// open311.test.mjs — the Open311 GeoReport v2 API over the online questions, checked field by
// field against the spec (wiki.open311.org/GeoReport_v2) in JSON and in XML: discovery, the
// service list and a service definition, posting a request with an API key the administrator
// issued (form-encoded, a location required, attributes checked against the definition),
// requests by id and as a filtered list (default window, 90 days at most, status, service_code,
// ids), ISO 8601 times with their offset, status open|closed following the question's workflow,
// agency_responsible and status_notes, errors as the spec's list of {code, description} with the
// same HTTP status, revoked keys, the per-key hourly limit, and phones never shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, guatu, TODAY, addDays } from './lib.mjs';

let server, office, zrzy, key, zrzyName;
before(async () => {
  server = await startServer();
  [office, zrzy] = await Promise.all(['office', ['zrzy', 'unit123']].map((w) => server.login(w)));
  const me = (await zrzy.get('/api/v1/me')).body.user;
  zrzyName = me.unit_name;
  const c = await office.post('/api/v1/qa-categories', {
    code: 'land-use', name: '土地利用', description: '宅基地、土地征收', group: '自然资源', keywords: '宅基地,征收', unit_id: me.unit_id, deadline_days: 3,
    attributes: [{ code: 'kind', description: '类型 / Kind', datatype: 'singlevaluelist', required: true,
      values: [{ key: 'homestead', name: '宅基地' }, { key: 'expropriation', name: '征收' }] }],
  });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  key = newKey('FixMyStreet');
});
after(async () => { await server?.stop(); });

// `guatu open311 key create` prints the new key as its last line.
function newKey(name, rate) {
  const r = guatu(['open311', 'key', 'create', '--db', server.db.url, '--name', name, ...(rate ? ['--rate', String(rate)] : [])]);
  assert.equal(r.status, 0, r.stderr);
  const k = r.stdout.trim().split('\n').pop();
  assert.match(k, /^o311_[0-9a-f]{32}$/);
  return k;
}

// A minimal XML reader for the answers (elements and text only): { name, children, text }.
function parseXml(s) {
  s = s.replace(/^<\?xml[^>]*\?>/, '');
  let i = 0;
  const node = () => {
    const m = /^<([A-Za-z_][\w.-]*)>/.exec(s.slice(i));
    assert.ok(m, `element expected at ${s.slice(i, i + 40)}`);
    i += m[0].length;
    const n = { name: m[1], children: [], text: '' };
    for (;;) {
      if (s.startsWith(`</${n.name}>`, i)) { i += n.name.length + 3; return n; }
      if (s[i] === '<') n.children.push(node());
      else { const j = s.indexOf('<', i); n.text += s.slice(i, j); i = j; }
    }
  };
  const root = node();
  assert.equal(i, s.length, 'one root element');
  return root;
}
const unxml = (t) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const child = (n, name) => n.children.find((c) => c.name === name);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

async function get(path) {
  const r = await fetch(server.base + path);
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type'), text, json: path.includes('.json') ? JSON.parse(text) : null };
}
async function post(fmt, form) {
  const r = await fetch(`${server.base}/open311/v2/requests.${fmt}`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
  });
  const text = await r.text();
  return { status: r.status, text, json: fmt === 'json' ? JSON.parse(text) : null };
}
const goodForm = (extra = {}) => ({
  api_key: key, service_code: 'land-use', lat: '27.8361', long: '113.1597', description: '宅基地审批两个月没有消息，请帮忙催办。',
  phone: '13807332468', 'attribute[kind]': 'homestead', ...extra,
});
function assertErrors(r, code) {
  assert.equal(r.status, code, r.text);
  if (r.json) {
    assert.ok(Array.isArray(r.json) && r.json.length >= 1);
    for (const e of r.json) {
      assert.deepEqual(Object.keys(e).sort(), ['code', 'description']);
      assert.equal(e.code, code);
      assert.equal(typeof e.description, 'string');
    }
  } else {
    const x = parseXml(r.text);
    assert.equal(x.name, 'errors');
    for (const e of x.children) {
      assert.equal(e.name, 'error');
      assert.equal(child(e, 'code').text, String(code));
      assert.ok(child(e, 'description').text.length > 0);
    }
  }
}

const REQUEST_FIELDS = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description',
  'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address',
  'address_id', 'zipcode', 'lat', 'long', 'media_url'];
function checkRequest(o) {
  for (const f of REQUEST_FIELDS) assert.ok(f in o, `field ${f}`);
  assert.equal(typeof o.service_request_id, 'string');
  assert.ok(['open', 'closed'].includes(o.status));
  assert.match(o.requested_datetime, ISO);
  assert.match(o.updated_datetime, ISO);
  if (o.expected_datetime !== null) assert.match(o.expected_datetime, ISO);
  for (const f of ['lat', 'long']) assert.ok(o[f] === null || typeof o[f] === 'number');
  for (const f of ['status_notes', 'description', 'address', 'address_id', 'zipcode', 'media_url', 'service_notice'])
    assert.ok(o[f] === null || typeof o[f] === 'string', f);
  assert.ok(!('phone' in o));
}

test('discovery names the GeoReport v2 endpoint and its formats, in JSON and XML', async () => {
  const j = await get('/open311/v2/discovery.json');
  assert.equal(j.status, 200);
  assert.match(j.type, /application\/json/);
  assert.match(j.json.changeset, ISO);
  assert.equal(typeof j.json.contact, 'string');
  assert.equal(typeof j.json.key_service, 'string');
  const ep = j.json.endpoints[0];
  assert.equal(ep.specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.match(ep.url, /\/open311\/v2\/$/);
  assert.deepEqual(ep.formats.sort(), ['application/json', 'text/xml']);
  assert.ok(['production', 'test'].includes(ep.type));
  const x = await get('/open311/v2/discovery.xml');
  assert.match(x.type, /text\/xml/);
  const d = parseXml(x.text);
  assert.equal(d.name, 'discovery');
  const e = child(child(d, 'endpoints'), 'endpoint');
  assert.equal(child(e, 'specification').text, 'http://wiki.open311.org/GeoReport_v2');
  assert.deepEqual(child(e, 'formats').children.map((f) => f.name), ['format', 'format']);
});

test('the service list has every field of the spec with its type, in JSON and XML', async () => {
  const j = await get('/open311/v2/services.json');
  assert.equal(j.status, 200);
  assert.ok(j.json.length >= 9);
  for (const s of j.json) {
    assert.deepEqual(Object.keys(s).sort(), ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type'].sort());
    assert.equal(typeof s.metadata, 'boolean');
    assert.ok(['realtime', 'batch', 'blackbox'].includes(s.type));
    for (const f of ['service_code', 'service_name', 'description', 'keywords', 'group']) assert.equal(typeof s[f], 'string');
  }
  const mine = j.json.find((s) => s.service_code === 'land-use');
  assert.deepEqual(mine, { service_code: 'land-use', service_name: '土地利用', description: '宅基地、土地征收', metadata: true,
    type: 'realtime', keywords: '宅基地,征收', group: '自然资源' });
  const x = parseXml((await get('/open311/v2/services.xml')).text);
  assert.equal(x.name, 'services');
  assert.equal(x.children.length, j.json.length);
  const xs = x.children.find((s) => child(s, 'service_code').text === 'land-use');
  assert.equal(xs.name, 'service');
  for (const [k, v] of Object.entries(mine)) assert.equal(child(xs, k).text, String(v), k);
});

test('a service definition lists its attributes with values; an unknown code is a 404 error list', async () => {
  const j = await get('/open311/v2/services/land-use.json');
  assert.equal(j.status, 200);
  assert.equal(j.json.service_code, 'land-use');
  const a = j.json.attributes[0];
  assert.deepEqual(Object.keys(a).sort(), ['code', 'datatype', 'datatype_description', 'description', 'order', 'required', 'values', 'variable'].sort());
  assert.equal(a.variable, true);
  assert.equal(a.code, 'kind');
  assert.equal(a.datatype, 'singlevaluelist');
  assert.equal(a.required, true);
  assert.equal(a.order, 1);
  assert.deepEqual(a.values, [{ key: 'homestead', name: '宅基地' }, { key: 'expropriation', name: '征收' }]);
  const x = parseXml((await get('/open311/v2/services/land-use.xml')).text);
  assert.equal(x.name, 'service_definition');
  const xa = child(child(x, 'attributes'), 'attribute');
  assert.equal(child(xa, 'code').text, 'kind');
  assert.equal(child(child(xa, 'values'), 'value').children.map((c) => c.name).join(), 'key,name');
  assertErrors(await get('/open311/v2/services/nosuch.json'), 404);
  assertErrors(await get('/open311/v2/services/nosuch.xml'), 404);
});

test('a POST without api_key, or with a revoked one, is refused with the spec error list (JSON and XML)', async () => {
  const { api_key, ...noKey } = goodForm();
  assert.ok(api_key);
  assertErrors(await post('json', noKey), 403);
  assertErrors(await post('xml', noKey), 403);
  assertErrors(await post('json', goodForm({ api_key: 'o311_00000000000000000000000000000000' })), 403);
  const k = newKey('Revoked');
  const list = guatu(['open311', 'key', 'list', '--db', server.db.url]);
  const id = list.stdout.trim().split('\n').find((l) => l.includes('Revoked')).split('\t')[0];
  assert.equal(guatu(['open311', 'key', 'revoke', '--db', server.db.url, '--id', id]).status, 0);
  assertErrors(await post('json', goodForm({ api_key: k })), 403);
});

test('a POST with a bad service_code, no location, no description or a bad attribute is refused with 400', async () => {
  assertErrors(await post('json', goodForm({ service_code: 'nosuch' })), 400);
  assertErrors(await post('xml', goodForm({ service_code: 'nosuch' })), 400);
  const { lat, long, ...noPlace } = goodForm();
  assert.ok(lat && long);
  assertErrors(await post('json', noPlace), 400);
  assertErrors(await post('json', goodForm({ lat: '95' })), 400);
  assertErrors(await post('json', goodForm({ description: '' })), 400);
  assertErrors(await post('json', goodForm({ 'attribute[kind]': 'castle' })), 400);
  assertErrors(await post('json', goodForm({ 'attribute[kind]': '' })), 400);
  assertErrors(await post('json', goodForm({ phone: '123' })), 400);
});

test('a posted request is followed by its id through moderation, reply and rating: status, agency and notes', async () => {
  const p = await post('json', goodForm({ address_string: '荷塘区月塘街道', media_url: 'https://example.com/p.jpg' }));
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.length, 1);
  const id = p.json[0].service_request_id;
  assert.match(id, /^Q\d{8}-\w{6}$/);
  assert.equal(typeof p.json[0].service_notice, 'string');
  assert.ok('account_id' in p.json[0]);
  const px = await post('xml', goodForm({ address_string: '荷塘区月塘街道' }));
  const xr = parseXml(px.text);
  assert.equal(xr.name, 'service_requests');
  assert.match(child(child(xr, 'request'), 'service_request_id').text, /^Q\d{8}-/);

  let r = (await get(`/open311/v2/requests/${id}.json`)).json;
  assert.equal(r.length, 1);
  checkRequest(r[0]);
  assert.equal(r[0].status, 'open');
  assert.equal(r[0].description, null, 'not shown before moderation');
  assert.equal(r[0].service_code, 'land-use');
  assert.equal(r[0].agency_responsible, zrzyName);
  assert.equal(r[0].requested_datetime.slice(0, 10), TODAY);
  assert.match(r[0].requested_datetime, /\+08:00$/);

  const staff = (await office.get(`/api/v1/questions?q=${id}`)).body.items[0];
  assert.equal(staff.source, 'open311');
  assert.deepEqual(staff.attributes, { kind: 'homestead' });
  assert.equal(staff.phone, '138****2468');
  await office.post(`/api/v1/questions/${staff.id}/actions`, { action: 'approve' });
  r = (await get(`/open311/v2/requests/${id}.json`)).json[0];
  assert.equal(r.description, '宅基地审批两个月没有消息，请帮忙催办。');
  assert.equal(r.address, '荷塘区月塘街道');
  assert.equal(r.lat, 27.8361);
  assert.equal(r.long, 113.1597);
  assert.equal(r.media_url, 'https://example.com/p.jpg');
  assert.match(r.expected_datetime, ISO);
  assert.equal(r.status_notes, null);
  const rep = await zrzy.post(`/api/v1/questions/${staff.id}/actions`, { action: 'reply', note: '已催办，本周内出具审批意见。' });
  assert.equal(rep.status, 200);
  r = (await get(`/open311/v2/requests/${id}.json`)).json[0];
  assert.equal(r.status, 'open');
  assert.equal(r.status_notes, '已催办，本周内出具审批意见。');
  await fetch(`${server.base}/api/v1/public/questions/${id}/feedback`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rating: 5 }),
  });
  r = (await get(`/open311/v2/requests/${id}.json`)).json[0];
  assert.equal(r.status, 'closed');
  // the same in XML, element by element
  const x = parseXml((await get(`/open311/v2/requests/${id}.xml`)).text);
  assert.equal(x.name, 'service_requests');
  const xq = child(x, 'request');
  for (const f of REQUEST_FIELDS) assert.ok(child(xq, f), `element ${f}`);
  for (const f of ['service_request_id', 'status', 'status_notes', 'agency_responsible', 'requested_datetime', 'expected_datetime'])
    assert.equal(unxml(child(xq, f).text), String(r[f]), f);
  assert.equal(Number(child(xq, 'lat').text), 27.8361);
  // the phone is in no answer
  assert.doesNotMatch((await get(`/open311/v2/requests/${id}.json`)).text, /13807332468/);
  assertErrors(await get('/open311/v2/requests/Q20260101-ZZZZZZ.json'), 404);
  assertErrors(await get('/open311/v2/requests/Q20260101-ZZZZZZ.xml'), 404);
});

test('the request list: default window, ids, service_code, status and date filters, 90 days at most', async () => {
  // two published requests of this service: one closed, one open
  const ids = [];
  for (let i = 0; i < 2; i++) {
    const p = await post('json', goodForm({ description: `第${i}个问题：宅基地审批进度咨询，请回复。` }));
    ids.push(p.json[0].service_request_id);
    const q = (await office.get(`/api/v1/questions?q=${ids[i]}`)).body.items[0];
    await office.post(`/api/v1/questions/${q.id}/actions`, { action: 'approve' });
    if (i === 0) {
      await office.post(`/api/v1/questions/${q.id}/actions`, { action: 'reply', note: '已答复。' });
      await office.post(`/api/v1/questions/${q.id}/actions`, { action: 'close' });
    }
  }
  const all = await get('/open311/v2/requests.json');
  assert.equal(all.status, 200);
  all.json.forEach(checkRequest);
  assert.ok(ids.every((id) => all.json.some((r) => r.service_request_id === id)));
  assert.ok(all.json.every((r) => r.requested_datetime.slice(0, 10) >= addDays(TODAY, -91)), 'the last 90 days by default');
  const closed = (await get('/open311/v2/requests.json?status=closed')).json;
  assert.ok(closed.length >= 1 && closed.every((r) => r.status === 'closed'));
  assert.ok(closed.some((r) => r.service_request_id === ids[0]));
  const open = (await get('/open311/v2/requests.json?status=open&service_code=land-use')).json;
  assert.ok(open.every((r) => r.status === 'open' && r.service_code === 'land-use'));
  assert.ok(open.some((r) => r.service_request_id === ids[1]));
  const byId = (await get(`/open311/v2/requests.json?service_request_id=${ids.join(',')}&status=closed`)).json;
  assert.deepEqual(byId.map((r) => r.service_request_id).sort(), [...ids].sort(), 'ids override the other filters');
  const window = (await get(`/open311/v2/requests.json?start_date=${addDays(TODAY, -1)}T00:00:00%2B08:00&end_date=${addDays(TODAY, 1)}T00:00:00Z`)).json;
  assert.ok(ids.every((id) => window.some((r) => r.service_request_id === id)));
  const before = (await get(`/open311/v2/requests.json?start_date=${addDays(TODAY, -30)}T00:00:00Z&end_date=${addDays(TODAY, -10)}T00:00:00Z`)).json;
  assert.ok(!before.some((r) => ids.includes(r.service_request_id)));
  assertErrors(await get(`/open311/v2/requests.json?start_date=${addDays(TODAY, -200)}T00:00:00Z&end_date=${TODAY}T00:00:00Z`), 400);
  assertErrors(await get('/open311/v2/requests.json?start_date=yesterday'), 400);
  assertErrors(await get('/open311/v2/requests.xml?status=pending'), 400);
  const x = parseXml((await get('/open311/v2/requests.xml')).text);
  assert.equal(x.name, 'service_requests');
  assert.equal(x.children.length, all.json.length);
  assert.ok(x.children.every((c) => c.name === 'request'));
});

test('the JSON request list writes each request byte for byte as the request by id does: escapes, numbers, nulls', async () => {
  const text = '路灯"坏了"\\三天，\n晚上\t看不见路。\u0001请尽快修复。';
  const p = await post('json', goodForm({ description: text, lat: '27.123456', long: '113', address_string: '月塘街道"东"口' }));
  assert.equal(p.status, 200, p.text);
  const id = p.json[0].service_request_id;
  const unpublished = await get(`/open311/v2/requests/${id}.json`);
  const q = (await office.get(`/api/v1/questions?q=${id}`)).body.items[0];
  const a = await office.post(`/api/v1/questions/${q.id}/actions`, { action: 'approve' });
  assert.equal(a.status, 200, JSON.stringify(a.body));
  const one = await get(`/open311/v2/requests/${id}.json`);
  assert.equal(one.json[0].description, text);
  assert.equal(one.json[0].lat, 27.123456);
  assert.equal(one.json[0].long, 113);
  assert.match(one.text, /"long":113\.0,/, 'a whole number stays a real');
  assert.equal(one.json[0].zipcode, null);
  const list = await get('/open311/v2/requests.json');
  assert.equal(list.status, 200);
  assert.match(list.type, /^application\/json/);
  const item = one.text.slice(1, -1);
  assert.ok(list.text.includes(item), 'the same bytes in the list as by id');
  assert.deepEqual(list.json.find((r) => r.service_request_id === id), one.json[0]);
  assert.ok(!list.text.includes(unpublished.text.slice(1, -1)), 'the list shows the request as it is now');
  // the XML list carries the same request
  const x = parseXml((await get('/open311/v2/requests.xml')).text);
  const xq = x.children.find((c) => child(c, 'service_request_id').text === id);
  assert.ok(xq);
  assert.equal(Number(child(xq, 'lat').text), 27.123456);
});

test('each API key may post only its hourly limit; then 429 with the error list', async () => {
  const k = newKey('Slow', 2);
  for (let i = 0; i < 2; i++) assert.equal((await post('json', goodForm({ api_key: k }))).status, 200);
  assertErrors(await post('json', goodForm({ api_key: k })), 429);
  assert.equal((await post('json', goodForm())).status, 200, 'another key is not limited by it');
});

test('the administrator issues and revokes keys through the API; nobody else may', async () => {
  const admin = await server.login('admin');
  const made = await admin.post('/api/v1/open311-keys', { name: 'SeeClickFix', rate_per_hour: 50 });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.match(made.body.api_key, /^o311_[0-9a-f]{32}$/);
  assert.equal((await post('json', goodForm({ api_key: made.body.api_key }))).status, 200);
  const list = await admin.get('/api/v1/open311-keys');
  const row = list.body.items.find((k) => k.id === made.body.id);
  assert.equal(row.requests, 1);
  assert.ok(!('api_key' in row) && !('key_hash' in row));
  assert.equal((await admin.del(`/api/v1/open311-keys/${made.body.id}`)).status, 200);
  assertErrors(await post('json', goodForm({ api_key: made.body.api_key })), 403);
  assert.equal((await office.post('/api/v1/open311-keys', { name: 'x' })).status, 403);
  const bad = await admin.post('/api/v1/open311-keys', { name: '' });
  assert.equal(bad.status, 422);
});
