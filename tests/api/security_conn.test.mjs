// Issue 13, finding 2: slow clients must not deny service.  Connections that
// hold a slot without completing a request (slowloris: a header line every
// few seconds) are shed to make room for new ones, one address may hold only
// --max-per-ip connections, and request headers must arrive within
// --header-timeout.  No test here depends on how fast the machine is: every
// wait is "until X happens" with a generous bound that only a failure hits,
// or a pause longer than the server's one-second grace (a lower bound).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A connection from `ip` that sends a request line and one header, then
// nothing: it holds its slot without ever completing a request.
function idle(port, ip) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress: ip });
    s.closedByServer = false;
    s.gotBytes = 0;
    s.on('data', (d) => { s.gotBytes += d.length; });
    s.on('end', () => { s.closedByServer = true; });
    s.on('close', () => { s.closedByServer = true; });
    s.on('error', () => { s.closedByServer = true; });
    s.once('connect', () => { s.write('GET /api/v1/health HTTP/1.1\r\nHost: guatu\r\n'); resolve(s); });
    s.once('error', reject);
  });
}

async function until(cond, what, ms = 120000) { // bounded only against a hang
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// One request on a new connection from 127.0.0.1 (no keep-alive reuse).
async function fresh(base) {
  const r = await fetch(`${base}/api/v1/health`, { headers: { Connection: 'close' } });
  await r.arrayBuffer();
  return r.status;
}

test('90 idle connections from 30 addresses do not turn away a normal client', async () => {
  const server = await startServer({ demo: false, args: ['--max-connections', '16'] });
  const socks = [];
  try {
    for (let i = 2; i < 32; i++) for (let k = 0; k < 3; k++) socks.push(await idle(server.port, `127.0.0.${i}`));
    await sleep(1500); // they are now idle for longer than the server's grace
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push(await fresh(server.base));
    assert.deepEqual(statuses, Array(20).fill(200));
    // the idle ones paid: at least as many were closed as the normal client needed
    // (each close reaches this process as its own event: wait for them, not for luck)
    await until(() => socks.filter((s) => s.closedByServer).length >= 20, 'twenty idle connections closed by the server');
    assert.ok(socks.filter((s) => s.closedByServer).length >= 20);
  } finally {
    for (const s of socks) s.destroy();
    await server.stop();
  }
});

test('one address may hold only --max-per-ip connections; the proxy address is exempt', async () => {
  const server = await startServer({ demo: false, args: ['--max-per-ip', '4'] });
  const socks = [];
  try {
    for (let k = 0; k < 7; k++) socks.push(await idle(server.port, '127.0.0.9'));
    await until(() => socks.filter((s) => s.closedByServer).length === 3, 'the three over the limit to be closed');
    // the four admitted stay open, and 127.0.0.1 (where nginx connects from) is not limited
    const local = [];
    for (let k = 0; k < 8; k++) local.push(await idle(server.port, '127.0.0.1'));
    assert.equal(await fresh(server.base), 200);
    assert.equal(local.filter((s) => s.closedByServer).length, 0);
    assert.equal(socks.filter((s) => s.closedByServer).length, 3);
    for (const s of local) s.destroy();
  } finally {
    for (const s of socks) s.destroy();
    await server.stop();
  }
});

test('a client trickling header lines is closed at the header deadline', async () => {
  const server = await startServer({ demo: false, args: ['--header-timeout', '1'] });
  const s = await idle(server.port, '127.0.0.3');
  const drip = setInterval(() => { if (!s.closedByServer) s.write(`X-Drip-${Date.now()}: 1\r\n`); }, 200);
  try {
    await until(() => s.closedByServer, 'the server to close the slow connection');
    assert.equal(s.gotBytes, 0, 'closed without an answer');
    assert.equal(await fresh(server.base), 200);
  } finally {
    clearInterval(drip);
    s.destroy();
    await server.stop();
  }
});
