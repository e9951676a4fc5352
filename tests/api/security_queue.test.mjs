// Issue 13, finding 13: the work queue is bounded.  A request counts as
// pending from its headers to its answer (while its body arrives, while it
// waits for a worker, while it is handled); beyond --max-pending (or
// GUATU_MAX_PENDING) the next request is answered 503 with Retry-After and a
// bilingual problem at once, instead of waiting behind the others.  The
// pending request here is a login whose body the test sends in two halves:
// it stays pending exactly until the test sends the rest.  No test depends
// on how fast the machine is: every wait is "until X happens", bounded only
// against a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const LOGIN = JSON.stringify({ login: 'office', password: 'office123' });

// A login whose headers and first half of the body are sent; .finish()
// sends the rest and resolves to the status of its answer.
function heldLogin(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let got = '';
    const answered = new Promise((res) => {
      s.on('data', (d) => { got += d; const m = /^HTTP\/1\.1 (\d{3})/.exec(got); if (m && got.includes('\r\n\r\n')) res(Number(m[1])); });
      s.on('close', () => res(Number((/^HTTP\/1\.1 (\d{3})/.exec(got) || [])[1] || 0)));
    });
    s.once('error', reject);
    s.once('connect', () => {
      const half = Math.floor(LOGIN.length / 2);
      s.write(`POST /api/v1/session HTTP/1.1\r\nHost: guatu\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(LOGIN)}\r\n\r\n${LOGIN.slice(0, half)}`);
      const h = {
        answered,
        done: false,
        finish: () => { s.write(LOGIN.slice(half)); return answered.finally(() => s.destroy()); },
        close: () => s.destroy(),
      };
      answered.then(() => { h.done = true; });
      resolve(h);
    });
  });
}

// A GET on a new connection: { status, headers, body }.
async function fresh(base, path = '/api/v1/health') {
  const r = await fetch(base + path, { headers: { Connection: 'close' } });
  const type = r.headers.get('content-type') || '';
  return { status: r.status, headers: r.headers, body: type.includes('json') ? await r.json() : await r.text() };
}

// n held logins, pending: probes until one is refused.  Until the held
// requests are admitted a probe may still get in (answered 200 at once); in
// the rare case that a probe was pending when a held request's headers came
// in, that held request was the one refused: it is replaced and the probing
// goes on.
async function holdUntilFull(server, n) {
  const held = [];
  for (let i = 0; i < 400; i++) {
    for (let k = 0; k < n; k++) if (!held[k] || held[k].done) { held[k]?.close(); held[k] = await heldLogin(server.port); }
    const r = await fresh(server.base);
    if (r.status === 503 && !held.some((h) => h.done)) return { held, refused: r };
    if (r.status !== 503) assert.equal(r.status, 200);
    await sleep(25);
  }
  throw new Error('the queue never filled');
}

test('with one request pending and --max-pending 1, the next is answered 503 with Retry-After and a bilingual problem, and 200 again once it is answered', async () => {
  const server = await startServer({ args: ['--max-pending', '1'] });
  try {
    const { held: [held], refused } = await holdUntilFull(server, 1);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.match(refused.headers.get('content-type'), /json/);
    assert.equal(refused.body.status, 503);
    assert.match(refused.body.title, /系统繁忙/);
    assert.match(refused.body.title, /Overloaded/);
    assert.match(refused.body.detail, /请稍后重试/);
    assert.match(refused.body.detail, /retry/);
    // a write is refused the same way, before its body is read
    const w = await fetch(`${server.base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Connection: 'close' }, body: LOGIN });
    assert.equal(w.status, 503);
    assert.equal(w.headers.get('retry-after'), '1');
    await w.arrayBuffer();
    // the pending login itself was not refused: it completes with 200
    assert.equal(await held.finish(), 200);
    for (let i = 0; i < 5; i++) assert.equal((await fresh(server.base)).status, 200);
    const me = await fresh(server.base, '/api/v1/projects?per_page=1');
    assert.equal(me.status, 401, 'an ordinary request is handled again (401: not logged in)');
  } finally {
    await server.stop();
  }
});

test('GUATU_MAX_PENDING sets the bound: two requests may be pending, the third is refused until one is answered', async () => {
  const server = await startServer({ env: { GUATU_MAX_PENDING: '2' } });
  try {
    assert.match(server.log(), /"max_pending":2/);
    const { held: [a, b], refused } = await holdUntilFull(server, 2);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(await a.finish(), 200);
    // one slot free: a request gets in (b still pending)
    let r;
    for (let i = 0; i < 400 && (r = await fresh(server.base)).status !== 200; i++) await sleep(25);
    assert.equal(r.status, 200);
    assert.equal(await b.finish(), 200);
  } finally {
    await server.stop();
  }
});

test('the default bound is 16 pending requests per worker thread, and a bad GUATU_MAX_PENDING stops the server from starting', async () => {
  const server = await startServer(); // the harness serves with --threads 2
  try {
    assert.match(server.log(), /"threads":2,"max_pending":32/);
  } finally {
    await server.stop();
  }
  await assert.rejects(startServer({ env: { GUATU_MAX_PENDING: 'lots' } }), /GUATU_MAX_PENDING/);
});
