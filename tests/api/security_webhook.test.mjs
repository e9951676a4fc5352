// Issue 13, finding 12: webhook SSRF.  A webhook may not post to loopback,
// link-local or private addresses unless the administrator allows the host
// explicitly (GET/PUT /api/v1/settings/webhooks), a name resolving to such an
// address is refused when posting, and deliveries keep the status code only,
// never the text of the answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { hostname } from 'node:os';
import { lookup } from 'node:dns/promises';
import { startServerAs, fields } from './lib.mjs';

let server, admin, office, receiver, port;
const SECRET = 'root:x:0:0:internal-secret-page';
before(async () => {
  [server, admin, office] = await startServerAs('admin', 'office');
  receiver = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end(SECRET); }); });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  port = receiver.address().port;
});
after(async () => { receiver?.close(); await server?.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function lastDelivery(hookId) {
  const end = Date.now() + 120000; // against a hang only
  for (;;) {
    const r = await admin.get(`/api/v1/webhooks/${hookId}/deliveries`);
    const d = r.body.items?.[0];
    if (d && (d.last_status || d.last_error)) return d;
    if (Date.now() > end) throw new Error(`no attempt: ${JSON.stringify(r.body)}`);
    await sleep(100);
  }
}

test('internal addresses are refused when a webhook is set, unless the administrator allows the host', async () => {
  for (const url of [`http://127.0.0.1:${port}/x`, 'http://localhost/x', 'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.8/', 'http://192.168.1.1/', 'http://172.16.5.5/', 'http://[::1]/', 'http://0.0.0.0/', 'http://[::ffff:127.0.0.1]/']) {
    const r = await admin.post('/api/v1/webhooks', { unit_id: 1, kind: 'wecom', url });
    assert.equal(r.status, 422, url);
    assert.deepEqual(fields(r), ['url']);
  }
  assert.equal((await office.get('/api/v1/settings/webhooks')).status, 403);
  assert.deepEqual((await admin.get('/api/v1/settings/webhooks')).body, { allow_hosts: [] });
  let r = await admin.put('/api/v1/settings/webhooks', { allow_hosts: ['http://x/'] });
  assert.equal(r.status, 422);
  r = await admin.put('/api/v1/settings/webhooks', { allow_hosts: ['127.0.0.1'] });
  assert.equal(r.status, 200);
  r = await admin.post('/api/v1/webhooks', { unit_id: 1, kind: 'wecom', url: `http://127.0.0.1:${port}/x` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // allowed: it is posted, but the answer's text is not kept, only its status
  const t = await admin.post(`/api/v1/webhooks/${r.body.id}/test`);
  assert.ok([201, 202].includes(t.status), JSON.stringify(t.body));
  const d = await lastDelivery(r.body.id);
  assert.equal(d.last_status, 404);
  assert.ok(!JSON.stringify(await admin.get(`/api/v1/webhooks/${r.body.id}/deliveries`)).includes('internal-secret'), 'no echo of the answer');
  assert.equal(d.last_error, 'HTTP 404');
  assert.equal((await admin.put('/api/v1/settings/webhooks', { allow_hosts: [] })).status, 200);
});

test('a host name that resolves to an internal address is refused when posting, with no answer read', async (t) => {
  // The machine's own name is not an address, so it passes the check when set, but resolves
  // (through /etc/hosts) to loopback or the machine's private address.
  const name = hostname().toLowerCase();
  const addr = await lookup(name).then((a) => a.address, () => null);
  if (!addr) return t.skip(`${name} does not resolve here`);
  let r = await admin.post('/api/v1/webhooks', { unit_id: 1, kind: 'wecom', url: `http://${name}:${port}/x` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  r = await admin.post(`/api/v1/webhooks/${id}/test`);
  const d = await lastDelivery(id);
  assert.equal(d.last_status, null);
  assert.match(d.last_error, /refused: the address is internal/);
});
