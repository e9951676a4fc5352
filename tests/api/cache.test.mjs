// The response cache of whole-district figures: a repeated GET is answered
// from memory, an audited change (on this or another instance) in a data
// domain an answer shows makes its next answer fresh, and answers never
// cross users' data scopes.  Changes made outside the server count too:
// every command-line write (and the escalation tick of another instance)
// makes the next answer of every cached route that shows what it changed
// fresh at once, while read-only commands leave the cache warm.
// (tests/api/cache_domains.test.mjs: which changes renew which answers.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PG, TODAY, addDays, monthOf, guatu, startServer, eventually, cachedAnswer, dbSql, psqlSession } from './lib.mjs';

test('cached answers are reused until the data changes, on any instance', async () => {
  const a = await startServer();
  const b = await startServer({ db: a.db });
  try {
    const office = await a.login('office');
    const first = await office.get('/api/v1/battlemap?year=2026');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-cache'), null);
    const second = await cachedAnswer(office, '/api/v1/battlemap?year=2026');
    assert.equal(second.headers.get('x-cache'), 'hit');
    // Node's fetch asks for gzip and inflates it: the cached copy is sent compressed.
    assert.equal(second.headers.get('content-encoding'), 'gzip');
    assert.deepEqual(second.body, first.body);

    // Another query string is another answer.
    const other = await office.get('/api/v1/battlemap?year=2026&light=red');
    assert.equal(other.headers.get('x-cache'), null);
    assert.ok(other.body.total < first.body.total);

    // A change made through instance B is seen by A at once.
    const officeB = await b.login('office');
    const p = first.body.groups[0].projects[0];
    const detail = await officeB.get(`/api/v1/projects/${p.id}`);
    const renamed = `${detail.body.name}（缓存测试）`;
    const patched = await officeB.patch(`/api/v1/projects/${p.id}`, { name: renamed, version: detail.body.version });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const third = await office.get('/api/v1/battlemap?year=2026');
    assert.equal(third.headers.get('x-cache'), null);
    const names = third.body.groups.flatMap((g) => g.projects.map((x) => x.name));
    assert.ok(names.includes(renamed));

    // A unit user asking the same URL gets its own scope, not office's answer.
    const town = await a.login('jinshan');
    const mine = await town.get('/api/v1/battlemap?year=2026');
    assert.equal(mine.status, 200);
    assert.equal(mine.headers.get('x-cache'), null);
    assert.ok(mine.body.total < third.body.total);
    // Exports are never cached.
    const x1 = await office.get('/api/v1/rankings?month=2026-10&format=xlsx');
    assert.equal(x1.headers.get('x-cache'), null);
  } finally {
    await b.stop({ keep: true });
    await a.stop();
  }
});

// Every command of `guatu --help`, as "command" or "command subcommand".
function commands() {
  const r = guatu(['--help']);
  assert.equal(r.status, 0);
  const names = new Set();
  for (const line of r.stdout.split('\n')) {
    const m = /^ {2}(?:guatu )?([a-z][a-z0-9-]*)(?: ([a-z][a-z-]*))?(?=\s|$)/.exec(line);
    if (m) names.add(m[2] ? `${m[1]} ${m[2]}` : m[1]);
  }
  return [...names].sort();
}

// The cacheable routes, as the OpenAPI document (built from the route table)
// marks them, each with the data domains whose changes renew its answer.
async function cacheableRoutes(server) {
  const doc = (await server.client().get('/api/v1/openapi.json')).body;
  const out = {};
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) if (op['x-cache']) out[`${method.toUpperCase()} ${path}`] = op['x-cache'];
  return out;
}

test('every command-line write makes a running server answer fresh at once where it shows what changed', { timeout: 300000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guatu-cache-cli-'));
  // The server starts on an empty database: `guatu demo` is the first write.
  const server = await startServer({ demo: false });
  const db = ['--db', server.db.url];
  const anon = server.client();
  let office;
  const year = TODAY.slice(0, 4);
  const reported = monthOf(-1).slice(0, 4); // the year of the last month reported (last year on January 1st)
  const quarter = `${year}-Q${Math.floor((Number(TODAY.slice(5, 7)) - 1) / 3) + 1}`;
  let pid = 0; // the project whose nodes are watched: one with slipped nodes
  // One URL per cacheable route, asked by a user who may read it.
  const urls = {
    'GET /api/v1/battlemap': () => [office, `/api/v1/battlemap?year=${year}`],
    'GET /api/v1/dashboard': () => [office, `/api/v1/dashboard?year=${reported}`],
    'GET /api/v1/dashboard/drill': () => [office, `/api/v1/dashboard/drill?dimension=all&year=${reported}&per_page=500`],
    'GET /api/v1/projects/{id}/nodes': () => [office, `/api/v1/projects/${pid}/nodes`],
    'GET /api/v1/problems': () => [office, '/api/v1/problems?per_page=500'],
    'GET /api/v1/projects': () => [office, '/api/v1/projects?per_page=500&sort=code'],
    'GET /api/v1/rankings': () => [office, `/api/v1/rankings?month=${monthOf(-1)}`],
    'GET /api/v1/accountability': () => [office, `/api/v1/accountability?month=${monthOf(-1)}`],
    'GET /api/v1/public/board': () => [anon, '/api/v1/public/board'],
    'GET /api/v1/assessments': () => [office, `/api/v1/assessments?quarter=${quarter}`],
    'GET /api/v1/reports': () => [office, '/api/v1/reports?per_page=500'],
    'GET /api/v1/land-progress': () => [office, '/api/v1/land-progress'],
    'GET /api/v1/households': () => [office, '/api/v1/households?per_page=500'],
    'GET /api/v1/projects/{id}/households': () => [office, `/api/v1/projects/${pid}/households?per_page=500`],
    'GET /api/v1/approvals': () => [office, '/api/v1/approvals?per_page=500'],
    'GET /api/v1/approvals/stats': () => [office, `/api/v1/approvals/stats?from=${Number(year) - 10}-01-01&to=${TODAY}`],
    'GET /api/v1/financing/stats': () => [office, `/api/v1/financing/stats?year=${year}`],
    'GET /api/v1/funds/stats': () => [office, `/api/v1/funds/stats?year=${year}`],
    'GET /api/v1/attraction/stats': () => [office, `/api/v1/attraction/stats?year=${year}`],
    'GET /api/v1/enterprises': () => [office, '/api/v1/enterprises?per_page=500'],
    'GET /api/v1/enterprise-requests': () => [office, '/api/v1/enterprise-requests?per_page=500'],
    'GET /api/v1/enterprise-requests/stats': () => [office, '/api/v1/enterprise-requests/stats'],
    'GET /api/v1/leads': () => [office, '/api/v1/leads?per_page=500'],
    'GET /api/v1/questions': () => [office, '/api/v1/questions?per_page=500'],
    'GET /api/v1/qa-stats': () => [office, '/api/v1/qa-stats'],
    'GET /api/v1/financing-needs': () => [office, '/api/v1/financing-needs?per_page=500'],
  };
  let domains = { 'GET /api/v1/public/board': ['everything'] }; // by route, from the OpenAPI document
  const ask = (route, client) => {
    const [c, url] = urls[route]();
    return (client || c).get(url);
  };
  let routes = []; // the routes that can be asked right now (before the demo: only the public board)
  let seen = {};

  // Asks every route twice: the second answer must come from the cache.
  const warm = async (label) => {
    for (const route of routes) {
      const first = await ask(route);
      assert.equal(first.status, 200, `${route}: ${JSON.stringify(first.body)}`);
      let again;
      await eventually(async () => (again = await ask(route)).headers.get('x-cache') === 'hit', 60000); // (lib.mjs cachedAnswer)
      assert.equal(again.headers.get('x-cache'), 'hit', `${route} is cached before ${label}`);
      seen[route] = again.body;
    }
  };
  // The answers after a change in the data domains `touched` ('all': every
  // one): none from the cache where the route shows one of them, the others
  // still cached; each what a server that never cached anything answers,
  // and changed where the data changed.
  const fresh = async (label, changed = [], touched = ['access']) => {
    const now = {};
    for (const route of routes) {
      const r = await ask(route);
      assert.equal(r.status, 200, `${route} after ${label}`);
      if (touched === 'all' || domains[route].some((d) => touched.includes(d)))
        assert.notEqual(r.headers.get('x-cache'), 'hit', `${route} answered from a stale cache after ${label}`);
      else assert.equal(r.headers.get('x-cache'), 'hit', `${route} (${domains[route]}) still cached after ${label} (${touched})`);
      now[route] = r.body;
    }
    const other = await startServer({ db: server.db });
    try {
      const otherAnon = other.client(), otherOffice = office && (await other.login('office'));
      for (const route of routes) {
        const r = await ask(route, urls[route]()[0] === anon ? otherAnon : otherOffice);
        assert.deepEqual(now[route], r.body, `${route} after ${label}: what a fresh server answers`);
      }
    } finally {
      await other.stop({ keep: true });
    }
    for (const route of changed) assert.notDeepEqual(now[route], seen[route], `${route} changed by ${label}`);
    seen = now;
  };
  const run = (args) => {
    const r = guatu([...args, ...db]);
    assert.equal(r.status, 0, `guatu ${args.join(' ')}: ${r.stderr}${r.stdout.slice(0, 2000)}`);
    return r;
  };
  // The cache must stay warm across a command that only reads.
  const reads = async (args) => {
    run(args);
    for (const route of routes)
      assert.equal((await ask(route)).headers.get('x-cache'), 'hit', `${route} still cached after guatu ${args.join(' ')}`);
  };

  // Each write command: what it runs, and the routes whose answer it changes.
  const writes = {
    demo: async () => {
      routes = ['GET /api/v1/public/board'];
      await warm('guatu demo');
      run(['demo']);
      await fresh('guatu demo', ['GET /api/v1/public/board'], 'all'); // the demo publishes last month's list
      // from here on, every cacheable route
      office = await server.login('office');
      const projects = (await office.get('/api/v1/projects?per_page=500&sort=code')).body.items;
      for (const p of projects) {
        const nodes = (await office.get(`/api/v1/projects/${p.id}/nodes`)).body.items;
        // a node moved later than its baseline (an overdue one also slips to today, issue 20 #10)
        if (nodes.some((n) => n.slip_days > 0 && !n.actual_date && n.planned_date > n.baseline_date)) { pid = p.id; break; }
      }
      assert.ok(pid, 'the demo has a project with slipped nodes');
      routes = Object.keys(urls);
      domains = await cacheableRoutes(server);
      assert.deepEqual(routes.slice().sort(), Object.keys(domains).sort(), 'every cacheable route is watched here');
      for (const route of routes) assert.ok(domains[route].includes('access'), `${route}: who may see what renews it`);
    },
    'reports rebuild-totals': async () => {
      // The summary drifted (edited by hand): the dashboard shows the drift…
      dbSql(server.db.url, `UPDATE report_totals SET m01 = m01 + 987654300 WHERE year = ${reported}`);
      // (the default view reads the group roll-ups summed from report_totals: they drift with it)
      dbSql(server.db.url, "UPDATE group_rollups SET m01 = m01 + 987654300 WHERE dim = 'unit'");
      await warm('guatu reports rebuild-totals');
      run(['reports', 'rebuild-totals']);
      // …until the rebuild, which every cached figure of investment follows at once.
      await fresh('guatu reports rebuild-totals', ['GET /api/v1/dashboard', 'GET /api/v1/dashboard/drill'], ['reports']);
    },
    'calendar import': async () => {
      // A new holiday inside a slipped node's delay: one working day less of slip.
      const node = (await office.get(`/api/v1/projects/${pid}/nodes`)).body.items.find((n) => n.slip_days > 0 && !n.actual_date && n.planned_date > n.baseline_date);
      let day = node.baseline_date;
      for (;;) {
        day = addDays(day, 1);
        assert.ok(day <= node.planned_date, 'a working day inside the slip');
        const w = await anon.get(`/api/v1/calendar/working-days-between?from=${addDays(day, -1)}&to=${day}`);
        if (w.body.days === 1) break;
      }
      await warm('guatu calendar import');
      const file = join(dir, 'holidays.txt');
      writeFileSync(file, `${day} holiday 缓存测试假日\n`);
      run(['calendar', 'import', file]);
      await fresh('guatu calendar import', ['GET /api/v1/projects/{id}/nodes', 'GET /api/v1/battlemap']);
    },
    'unit add': async () => {
      await warm('guatu unit add');
      run(['unit', 'add', '--name', '缓存测试街道', '--kind', 'town', '--parent', '荷塘区']);
      await fresh('guatu unit add');
    },
    'user add': async () => {
      await warm('guatu user add');
      run(['user', 'add', '--login', 'cachecli', '--password', 'Cache12345-cli', '--name', '缓存', '--role', 'unit', '--unit', '缓存测试街道']);
      await fresh('guatu user add');
    },
    'user passwd': async () => {
      await warm('guatu user passwd');
      run(['user', 'passwd', '--login', 'cachecli', '--password', 'Cache67890-cli']);
      await fresh('guatu user passwd');
    },
    'user disable': async () => {
      await warm('guatu user disable');
      run(['user', 'disable', '--login', 'cachecli']);
      await fresh('guatu user disable');
    },
    'import projects': async () => {
      // The exported library with one project renamed.
      const file = join(dir, 'projects.csv');
      run(['export', 'projects', '--format', 'csv', '--out', file]);
      const lines = readFileSync(file, 'utf8').split('\r\n');
      const name = /^"[^"]*","((?:[^"]|"")*)"/.exec(lines[1])[1];
      lines[1] = lines[1].replace(`,"${name}",`, `,"${name}（缓存测试）",`);
      writeFileSync(file, lines.join('\r\n'));
      await warm('guatu import projects');
      assert.match(run(['import', 'projects', file]).stdout, /updated 1,/);
      await fresh('guatu import projects', ['GET /api/v1/projects', 'GET /api/v1/battlemap', 'GET /api/v1/problems', 'GET /api/v1/reports'], ['projects', 'nodes']);
    },
    copy: async () => {
      // A second district merged into the served database.
      const source = join(dir, 'district.db');
      assert.equal(guatu(['demo', '--db', source]).status, 0);
      await warm('guatu copy');
      const r = guatu(['copy', '--from', source, '--to', server.db.url]);
      assert.equal(r.status, 0, r.stderr);
      await fresh('guatu copy', ['GET /api/v1/projects', 'GET /api/v1/battlemap', 'GET /api/v1/dashboard', 'GET /api/v1/rankings'], 'all');
    },
    'token create': async () => {
      await warm('guatu token create');
      run(['token', 'create', '--user', 'office', '--name', '缓存测试']);
      await fresh('guatu token create', [], []); // a token is shown by no cached answer
    },
    'open311 key': async () => {
      await warm('guatu open311 key create');
      run(['open311', 'key', 'create', '--name', '缓存测试']);
      await fresh('guatu open311 key create', [], []); // nor is an Open311 key
    },
  };
  // Commands that only read, or write only what no cached answer shows.
  const readOnly = {
    'unit list': () => reads(['unit', 'list']),
    'calendar list': () => reads(['calendar', 'list', '--year', year]),
    'calendar add': () => reads(['calendar', 'add', '--from', TODAY, '--days', '3']),
    'calendar between': () => reads(['calendar', 'between', '--from', TODAY, '--to', addDays(TODAY, 30)]),
    'export projects': () => reads(['export', 'projects', '--format', 'xlsx', '--out', join(dir, 'export.xlsx')]),
    'report weekly': () => reads(['report', 'weekly', '--format', 'pdf', '--out', join(dir, 'weekly.pdf')]),
    // A new database is written (SQLite only: PostgreSQL is backed up with its own tools).
    backup: () => (PG ? undefined : reads(['backup', '--to', join(dir, 'backup.db')])),
    // Writes only when a migration is pending: then it is audited ("migrate"), like any change.
    init: () => reads(['init']),
    version: () => reads(['version']),
    // recomputes the roll-ups and compares; writes nothing
    'check rollups': () => reads(['check', 'rollups']),
    routes: () => undefined, // prints the route table; opens no database
    serve: () => undefined, // the server itself
    // gen fills only an empty database: its own case below.
    gen: () => undefined,
  };
  try {
    // A command nobody classified fails here: decide whether it writes, and
    // if so make it audit (cli_commit) and give it a case above.
    assert.deepEqual(commands(), [...Object.keys(writes), ...Object.keys(readOnly)].sort());
    for (const step of Object.values(writes)) await step();
    await warm('the read-only commands');
    for (const step of Object.values(readOnly)) await step();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('guatu gen into a database a server already answers from', { timeout: 300000 }, async () => {
  // gen fills only an empty database: the server has cached what it shows empty.
  const server = await startServer({ demo: false });
  try {
    const anon = server.client();
    assert.equal((await anon.get('/api/v1/public/board')).status, 200);
    assert.equal((await cachedAnswer(anon, '/api/v1/public/board')).headers.get('x-cache'), 'hit');
    const r = guatu(['gen', '--scale', 'district', '--db', server.db.url]);
    assert.equal(r.status, 0, r.stderr);
    const after = await anon.get('/api/v1/public/board');
    assert.notEqual(after.headers.get('x-cache'), 'hit', 'the public board answered from a stale cache after guatu gen');
    const other = await startServer({ db: server.db });
    try {
      assert.deepEqual(after.body, (await other.client().get('/api/v1/public/board')).body);
    } finally {
      await other.stop({ keep: true });
    }
  } finally {
    await server.stop();
  }
});

test("another instance's escalation tick renews the cached problem list, not the dashboard", { timeout: 300000 }, async () => {
  const a = await startServer();
  let b;
  try {
    const office = await a.login('office');
    const list = '/api/v1/problems?per_page=500', dash = `/api/v1/dashboard?year=${TODAY.slice(0, 4)}`;
    const before = await cachedAnswer(office, list);
    assert.equal(before.headers.get('x-cache'), 'hit');
    assert.equal((await cachedAnswer(office, dash)).headers.get('x-cache'), 'hit');
    const escalations = () => Number(dbSql(a.db.url, "SELECT COUNT(*) FROM audit_log WHERE action = 'escalate'"));
    const n = escalations();
    // B lives two months later: its tick escalates the problems still open by then.
    process.env.GUATU_TODAY = addDays(TODAY, 60);
    try {
      b = await startServer({ db: a.db });
    } finally {
      process.env.GUATU_TODAY = TODAY;
    }
    await eventually(() => escalations() > n); // B's first tick, however slow the machine
    assert.ok(escalations() > n, "B's tick escalated problems");
    await b.stop({ keep: true }); // its round is over: nothing changes any more
    b = null;
    const after = await office.get(list);
    assert.notEqual(after.headers.get('x-cache'), 'hit', 'the problem list answered from a stale cache after an escalation');
    assert.notDeepEqual(after.body, before.body);
    const other = await startServer({ db: a.db });
    try {
      assert.deepEqual(after.body, (await (await other.login('office')).get(list)).body);
    } finally {
      await other.stop({ keep: true });
    }
    // Escalations tick by all the time: figures that do not show problems stay cached.
    assert.equal((await office.get(dash)).headers.get('x-cache'), 'hit');
  } finally {
    if (b) await b.stop({ keep: true });
    await a.stop();
  }
});

// PostgreSQL numbers audit entries when they are written, not when they
// commit: a change that commits late under a lower id must not hide behind
// an answer cached under a higher one.
test('a change committed late under a lower audit id is not hidden by the cache (PostgreSQL)', { skip: PG ? false : 'PostgreSQL only (SQLite commits writers in id order)' }, async () => {
  const server = await startServer();
  const psql = psqlSession(server.db.url);
  try {
    const office = await server.login('office');
    const url = '/api/v1/projects?per_page=5&sort=id';
    const [p, q] = (await office.get(url)).body.items;
    // A writer takes its audit id first and commits last.
    await psql.run(`BEGIN; INSERT INTO audit_log (at, action, entity, entity_id) VALUES ('${TODAY}T02:00:00.000Z', 'update', 'project', ${p.id}); UPDATE projects SET name = '迟到的提交' WHERE id = ${p.id};`);
    const cur = await office.get(`/api/v1/projects/${q.id}`);
    assert.equal((await office.patch(`/api/v1/projects/${q.id}`, { name: `${cur.body.name}·先提交`, version: cur.body.version })).status, 200);
    const during = await office.get(url);
    assert.equal(during.body.items[0].name, p.name, 'the uncommitted change is not visible');
    assert.notEqual((await office.get(url)).headers.get('x-cache'), 'hit', 'nothing is cached while a writer is in flight');
    await psql.run('COMMIT;');
    const after = await office.get(url);
    assert.equal(after.body.items[0].name, '迟到的提交', 'the late commit shows at once');
    // With no writer in flight the answer is cached again (once the server's
    // own tick is not writing either).
    assert.equal((await cachedAnswer(office, url)).headers.get('x-cache'), 'hit');
  } finally {
    psql.end();
    await server.stop();
  }
});
