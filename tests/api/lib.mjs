// lib.mjs — the API test harness: starts the real guatu binary on a fresh
// database (a temporary SQLite file, or a new PostgreSQL database when
// GUATU_TEST_PG is set) on a free loopback port, and gives tests a small
// client that keeps the session cookie and sends the CSRF token.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';

export const BIN = resolve(process.env.GUATU_BIN || 'build/guatu');
export const PG = process.env.GUATU_TEST_PG || ''; // postgres://user@127.0.0.1:port (no db name)

// The one date the suites assume (src/clock.h).  Every guatu this harness
// starts inherits it; scripts/test.sh runs the suites again with other
// dates pinned (a month's 1st, the report deadline and the day after, a
// month's end, New Year's Day, National Day), so a test derives every date
// from TODAY and never reads the wall clock.
export const TODAY = process.env.GUATU_TODAY || '2026-11-18';
process.env.GUATU_TODAY = TODAY;
// The pinned day's clock reads 08:00 when this file started and runs on
// (src/clock.h), so it never wraps to the same day's midnight mid-run.
process.env.GUATU_CLOCK_START ||= String(Date.now());
// 'YYYY-MM-DD' plus n days.
export const addDays = (day, n) => {
  const x = new Date(`${day}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
};
// 'YYYY-MM' of TODAY's month plus delta months.
export const monthOf = (delta = 0, day = TODAY) => {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1 + delta, 1));
  return d.toISOString().slice(0, 7);
};

// Demo logins (see src/demo_core.c).
export const LOGINS = {
  admin: ['admin', 'admin123'],
  office: ['office', 'office123'],
  leader: ['leader', 'leader123'],
  jinshan: ['jinshan', 'unit123'],
  guihua: ['guihua', 'unit123'],
  sany: ['sany', 'unit123'],
  enterprise: ['huaju', 'ent12345'],
  bank: ['bank', 'bank1234'],
};

export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

let dbCounter = 0;
// A new empty database: { url, cleanup }.
export function newDatabase() {
  if (PG) {
    const name = `t_${process.pid}_${Date.now()}_${dbCounter++}`;
    const u = new URL(PG);
    const r = spawnSync('createdb', ['-h', u.hostname, '-p', u.port, '-U', u.username, name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`createdb failed: ${r.stderr}`);
    return {
      url: `${PG.replace(/\/$/, '')}/${name}`,
      cleanup: () => spawnSync('dropdb', ['-h', u.hostname, '-p', u.port, '-U', u.username, '--force', name]),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'guatu-test-'));
  return { url: join(dir, 'guatu.db'), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Runs a guatu command synchronously; returns { status, stdout, stderr }.
export function guatu(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000, ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// `guatu check rollups` on a server's database: every roll-up (src/rollups.h,
// report_totals) recomputed from the facts; { status, stdout, stderr }.
export function checkRollups(server) {
  return guatu(['check', 'rollups', '--db', server.db.url]);
}
// Throws with the differences listed unless the roll-ups agree with the
// facts: call it after a suite's write scenarios.
export function assertRollups(server) {
  const r = checkRollups(server);
  if (r.status !== 0 || !/^rollups: 0 differences$/m.test(r.stdout)) {
    throw new Error(`guatu check rollups (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
}

// Runs a guatu command while this process goes on (its clients keep
// talking to a server meanwhile; a synchronous run would stall them, and a
// connection opened but silent for the server's header timeout is closed).
export function guatuAsync(args, opts = {}) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { ...opts });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// Starts a server. opts.demo (default true) loads the demo district first;
// opts.db reuses an existing database ({url}); opts.env adds environment
// variables (e.g. { GUATU_TODAY: '2026-11-25' }) for the demo and the server.
export async function startServer(opts = {}) {
  const db = opts.db || newDatabase();
  if (opts.demo !== false && !opts.db) {
    const r = guatu(['demo', '--db', db.url], opts.env ? { env: { ...process.env, ...opts.env } } : {});
    if (r.status !== 0) { db.cleanup(); throw new Error(`guatu demo failed: ${r.stderr}`); }
  }
  // Port 0: the kernel picks a free port when guatu binds, and guatu names
  // it in its "guatu serving" line.  (A port found free here and bound later
  // by guatu could be taken meanwhile by another suite's server.)
  const proc = spawn(BIN, ['serve', '--db', db.url, '--listen', '127.0.0.1:0', '--threads', '2', ...(opts.args || [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...(opts.env || {}) },
  });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; if (log.length > 1e6) log = log.slice(-5e5); });
  let spawnError = null; // e.g. EACCES while the binary is being rebuilt
  const exited = new Promise((res) => { proc.once('exit', res); proc.once('error', (e) => { spawnError = e; res(); }); });
  // A server that did not start leaves neither a process nor a database behind.
  const fail = async (why) => {
    if (proc.exitCode === null && proc.signalCode === null && !spawnError) { proc.kill('SIGKILL'); await exited; }
    if (!opts.db) db.cleanup();
    return new Error(why);
  };
  // Bounded only against a hang: a loaded machine (or ASan) is slow to start,
  // never this slow.
  const deadline = Date.now() + 120000;
  let port = 0;
  for (;;) {
    if (spawnError) throw await fail(`cannot start ${BIN}: ${spawnError.message}`);
    if (proc.exitCode !== null || proc.signalCode !== null) throw await fail(`server exited ${proc.exitCode ?? proc.signalCode}: ${log}`);
    if (!port) port = Number((/"msg":"guatu serving".*?"port":(\d+)/.exec(log) || [])[1] || 0);
    if (port) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
        await r.arrayBuffer();
        if (r.ok) break;
      } catch { /* not answering yet */ }
    }
    if (Date.now() > deadline) throw await fail(`server did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const base = `http://127.0.0.1:${port}`;
  const server = {
    base, port, proc, db,
    log: () => log,
    client: () => new Client(base),
    async login(who) {
      const c = new Client(base);
      const [l, p] = LOGINS[who] || who;
      const r = await c.post('/api/v1/session', { login: l, password: p });
      if (r.status !== 200) throw new Error(`login ${l} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return c;
    },
    async stop({ keep = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        // SIGTERM lets it finish what it answers; a server that has not gone
        // after a minute (far beyond any loaded machine) is killed, so that
        // its files are never removed under it and no process outlives the suite.
        proc.kill('SIGTERM');
        let timer;
        const gone = await Promise.race([exited.then(() => true), new Promise((r) => { timer = setTimeout(() => r(false), 60000); })]);
        clearTimeout(timer);
        if (!gone) {
          proc.kill('SIGKILL');
          await exited;
          throw new Error(`server did not stop within a minute of SIGTERM:\n${log.slice(-4000)}`);
        }
      }
      // A sanitizer report goes to stderr: make it fail the test that owns the server.
      if (/ERROR: AddressSanitizer|runtime error:|LeakSanitizer/.test(log)) throw new Error(`sanitizer report:\n${log.slice(-4000)}`);
      if (!keep && !opts.db) db.cleanup();
    },
    kill9() { proc.kill('SIGKILL'); },
    exited,
  };
  return server;
}

export class Client {
  constructor(base) { this.base = base; this.cookie = ''; this.csrf = ''; this.token = ''; }
  async request(method, path, body, headers = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    if (this.csrf && method !== 'GET' && !('X-CSRF-Token' in h)) h['X-CSRF-Token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array || body instanceof FormData) payload = body;
      else { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
    }
    const r = await fetch(this.base + path, { method, headers: h, body: payload });
    const set = r.headers.get('set-cookie');
    if (set) {
      const m = /guatu_session=([^;]*)/.exec(set);
      if (m) this.cookie = m[1] ? `guatu_session=${m[1]}` : '';
    }
    const type = r.headers.get('content-type') || '';
    let data;
    if (type.includes('json')) data = await r.json();
    else data = Buffer.from(await r.arrayBuffer());
    if (data && data.csrf_token) this.csrf = data.csrf_token;
    return { status: r.status, body: data, headers: r.headers };
  }
  get(p, h) { return this.request('GET', p, undefined, h); }
  post(p, b, h) { return this.request('POST', p, b, h); }
  patch(p, b, h) { return this.request('PATCH', p, b, h); }
  put(p, b, h) { return this.request('PUT', p, b, h); }
  del(p, h) { return this.request('DELETE', p, undefined, h); }
}

// The usual start of a test file: a server, then a logged-in client for each of `who`
// (logged in one after the other, in that order). Returns [server, ...clients].
export async function startServerAs(...who) {
  const server = await startServer();
  const clients = [];
  for (const w of who) clients.push(await server.login(w));
  return [server, ...clients];
}

// Polls `fn` (sync or async) every 100 ms until it returns something truthy
// and returns that; at the deadline returns its last value, for the caller's
// assertion to report.  For what a background tick does (it runs about once a
// second): the deadline only guards against a hang, far beyond what a loaded
// machine (2 cores, ASan, another suite beside) takes.
export async function eventually(fn, ms = 120000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Asks `path` until the answer comes from the response cache (x-cache: hit),
// and returns that answer (or, after 60 s, the last one, for the caller's
// assertion).  The server's own background tick writes too (the first round
// escalates what is overdue; on PostgreSQL an answer is not stored while any
// transaction of the database is writing, src/http.c): an answer made while it
// ran is not stored, the next one is.  For a test's "is cached" precondition.
export async function cachedAnswer(client, path) {
  let r;
  await eventually(async () => (r = await client.get(path)).headers.get('x-cache') === 'hit', 60000);
  return r;
}

// The field names of a problem+json answer, for assertions.
export const fields = (res) => (res.body?.errors || []).map((e) => e.field);

// A statement run on the database behind the server's back (psql or the
// sqlite3 CLI); its output, trimmed.
export function dbSql(url, statement) {
  const r = PG
    ? spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', statement], { encoding: 'utf8' })
    : spawnSync('sqlite3', [url, statement], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${statement}: ${r.stderr}`);
  return r.stdout.trim();
}

// One psql session kept open on a PostgreSQL database, for a transaction
// held across requests: run(text) resolves once psql has carried the
// statements out; end() closes the session.
export function psqlSession(url) {
  const psql = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  psql.stdout.on('data', (d) => { out += d; });
  psql.stderr.on('data', (d) => { out += d; });
  let mark = 0;
  return {
    async run(text) {
      const m = `done${mark++}`;
      psql.stdin.write(`${text}\n\\echo ${m}\n`);
      while (!out.includes(m)) {
        if (psql.exitCode !== null) throw new Error(`psql exited ${psql.exitCode}: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    end() { psql.stdin.end(); },
  };
}
