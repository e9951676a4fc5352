// problems.test.mjs — problems (问题交办): raising with validation, due dates from the
// calendar, the whole state machine with its refused transitions (409 for the wrong
// state, 403 for the wrong unit or person), scope, filters and export, escalation by the
// tick written once even with two server processes on one database, in-app notifications,
// and webhooks (WeCom / DingTalk formats) delivered to a receiver on loopback that fails
// the first attempt and takes the retry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, fields, TODAY, addDays, eventually } from './lib.mjs';

// The retry schedule starts at 5 s in production; tests scale it down.
process.env.GUATU_WEBHOOK_BACKOFF_MS = '300';

let server, office, admin, jinshan, guihua, leader, enterprise;
let jinshanUnit, guihuaUnit, project;
before(async () => {
  server = await startServer();
  [office, admin, jinshan, guihua, leader, enterprise] = await Promise.all(
    ['office', 'admin', 'jinshan', 'guihua', 'leader', 'enterprise'].map((w) => server.login(w)));
  jinshanUnit = (await jinshan.get('/api/v1/me')).body.user.unit_id;
  guihuaUnit = (await guihua.get('/api/v1/me')).body.user.unit_id;
  const list = await office.get('/api/v1/projects?per_page=500');
  assert.equal(list.status, 200);
  // a project of 金山街道 with a lead leader and no HQ
  const leaderId = (await leader.get('/api/v1/me')).body.user.id;
  project = list.body.items.find((p) => p.unit_id === jinshanUnit && p.leader_id === leaderId);
  assert.ok(project, 'a demo project of 金山街道 with a lead leader');
});
after(async () => { await server?.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Until the tick or the sender has done its work (lib.mjs eventually: bounded
// only against a hang, not by how fast the machine is).
const waitFor = (fn) => eventually(fn);
const daysAgo = (n) => addDays(TODAY, -n);

async function raise(c, extra = {}) {
  const r = await c.post('/api/v1/problems', {
    project_id: project.id, category: 'utilities', title: '施工用电增容未到位', description: '需增容至2000千伏安',
    unit_id: jinshanUnit, deadline_days: 3, ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const ev = (c, id, body) => c.post(`/api/v1/problems/${id}/events`, body);

test('categories: the code table with default deadlines, editable by the admin only', async () => {
  const r = await jinshan.get('/api/v1/problem-categories');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((c) => c.name), ['征拆', '土地', '规划', '审批', '资金', '水电气路', '环保', '其他']);
  assert.equal((await office.patch('/api/v1/problem-categories/approval', { deadline_days: 4 })).status, 403);
  const bad = await admin.patch('/api/v1/problem-categories/approval', { deadline_days: 0 });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad), ['deadline_days']);
  const ok = await admin.patch('/api/v1/problem-categories/approval', { deadline_days: 4 });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.deadline_days, 4);
  assert.equal((await admin.patch('/api/v1/problem-categories/nope', { deadline_days: 4 })).status, 404);
  // the default applies when no deadline is sent
  const p = await raise(office, { category: 'approval', deadline_days: undefined });
  assert.equal(p.deadline_days, 4);
  const want = await office.get(`/api/v1/calendar/add-working-days?from=${p.raised_on}&days=4`);
  assert.equal(p.due_date, want.body.date);
});

test('raising: validation names each field; unknown fields are 400', async () => {
  let r = await office.post('/api/v1/problems', { project_id: project.id, category: 'nope', unit_id: 999999, deadline_days: 0 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['category', 'deadline_days', 'title', 'unit_id']);
  r = await office.post('/api/v1/problems', { project_id: project.id, category: 'land', title: 'x', unit_id: jinshanUnit, co_unit_ids: [jinshanUnit] });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['co_unit_ids']);
  r = await office.post('/api/v1/problems', { project_id: project.id, category: 'land', title: 'x', unit_id: jinshanUnit, state: 'closed' });
  assert.equal(r.status, 400);
  r = await jinshan.post('/api/v1/problems', { project_id: project.id, category: 'land', title: 'x', unit_id: jinshanUnit, raised_on: daysAgo(3) });
  assert.equal(r.status, 422, 'only the office backdates');
  assert.deepEqual(fields(r), ['raised_on']);
  r = await office.post('/api/v1/problems', { project_id: project.id, category: 'land', title: 'x', unit_id: jinshanUnit, raised_on: '2999-01-01' });
  assert.equal(r.status, 422);
  // a unit raises only on its own projects
  r = await guihua.post('/api/v1/problems', { project_id: project.id, category: 'land', title: 'x', unit_id: guihuaUnit });
  assert.equal(r.status, 403);
  assert.equal((await server.client().get('/api/v1/problems')).status, 401);
});

test('the whole loop: accept, progress, reply, reopen, reply, close, rate — with refusals', async () => {
  const before = (await jinshan.get('/api/v1/notifications/unread-count')).body.count;
  const p = await raise(office, { co_unit_ids: [guihuaUnit] });
  assert.equal(p.state, 'open');
  assert.equal(p.escalation, 0);
  assert.equal(p.overdue, false);
  assert.deepEqual(p.co_unit_ids, [guihuaUnit]);
  const due = await office.get(`/api/v1/calendar/add-working-days?from=${p.raised_on}&days=3`);
  assert.equal(p.due_date, due.body.date, 'due date from the working-day calendar');
  // the lead unit is told
  assert.equal((await jinshan.get('/api/v1/notifications/unread-count')).body.count, before + 1);
  const notes = await jinshan.get('/api/v1/notifications?unread=1');
  assert.equal(notes.body.items[0].kind, 'assign');
  assert.equal(notes.body.items[0].link, `/problems/${p.id}`);

  // closing an unreplied problem is refused with a clear bilingual message
  let r = await ev(office, p.id, { type: 'close' });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /尚未答复.*\/ .*not been replied/);
  // the co-unit can read it but cannot reply: only the lead unit
  assert.equal((await guihua.get(`/api/v1/problems/${p.id}`)).status, 200);
  r = await ev(guihua, p.id, { type: 'reply', text: '已处理' });
  assert.equal(r.status, 403);
  assert.match(r.body.detail, /牵头单位/);
  r = await ev(office, p.id, { type: 'reply', text: '代答' });
  assert.equal(r.status, 403, 'the office is not the lead unit');
  r = await ev(office, p.id, { type: 'accept' });
  assert.equal(r.status, 403);

  r = await ev(jinshan, p.id, { type: 'accept' });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'accepted');
  assert.equal((await ev(jinshan, p.id, { type: 'accept' })).status, 409, 'accepting twice');
  r = await ev(jinshan, p.id, { type: 'comment', text: '已联系供电公司现场勘查' });
  assert.equal(r.body.state, 'in_progress');
  r = await ev(jinshan, p.id, { type: 'reply' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['text']);
  r = await ev(jinshan, p.id, { type: 'bogus' });
  assert.equal(r.status, 422);
  r = await ev(jinshan, p.id, { type: 'rate', rating: 5 });
  assert.equal(r.status, 403, 'only the raiser rates');

  const officeBefore = (await office.get('/api/v1/notifications/unread-count')).body.count;
  r = await ev(jinshan, p.id, { type: 'reply', text: '供电公司已完成增容' });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'replied');
  assert.ok(r.body.replied_on);
  assert.equal((await office.get('/api/v1/notifications/unread-count')).body.count, officeBefore + 1, 'the raiser hears of the reply');
  assert.equal((await ev(jinshan, p.id, { type: 'reply', text: 'again' })).status, 409);
  r = await ev(jinshan, p.id, { type: 'close' });
  assert.equal(r.status, 403, 'the lead unit cannot close its own problem');

  r = await ev(office, p.id, { type: 'reopen' });
  assert.equal(r.status, 422, 'a reason is required');
  r = await ev(office, p.id, { type: 'reopen', text: '现场仍未通电' });
  assert.equal(r.body.state, 'reopened');
  r = await ev(office, p.id, { type: 'rate', rating: 3 });
  assert.equal(r.status, 409, 'rating before closing');
  r = await ev(jinshan, p.id, { type: 'comment', text: '重新协调' });
  assert.equal(r.body.state, 'in_progress', 'reopened goes back to in progress');
  r = await ev(jinshan, p.id, { type: 'reply', text: '已通电' });
  assert.equal(r.body.state, 'replied');
  r = await ev(office, p.id, { type: 'close', text: '确认办结' });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'closed');
  assert.ok(r.body.closed_on);
  assert.equal((await ev(jinshan, p.id, { type: 'reply', text: 'late' })).status, 409);
  r = await ev(office, p.id, { type: 'rate', rating: 6 });
  assert.equal(r.status, 422);
  r = await ev(office, p.id, { type: 'rate', rating: 5, text: '满意' });
  assert.equal(r.status, 200);
  assert.equal(r.body.rating, 5);
  assert.equal((await ev(office, p.id, { type: 'rate', rating: 4 })).status, 409, 'rated once');
  assert.deepEqual(r.body.events.map((e) => e.type),
    ['create', 'accept', 'comment', 'reply', 'reopen', 'comment', 'reply', 'close', 'rate']);
  assert.equal(r.body.events[3].unit_name, '金山街道');
  // the audit log has the transitions
  const audit = await admin.get(`/api/v1/audit?entity=problem&entity_id=${p.id}&per_page=50`);
  assert.equal(audit.status, 200, JSON.stringify(audit.body));
  const actions = audit.body.items.map((x) => x.action).reverse();
  assert.ok(actions.length >= 9, actions.join(','));
  assert.equal(actions[0], 'create');
  for (const a of ['accept', 'reply', 'reopen', 'close', 'rate']) assert.ok(actions.includes(a) || actions.some((x) => x.includes(a)), `${a} in ${actions}`);
});

test('attachments: site photos on a problem, by the people handling it, not after closing', async () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  const p = await raise(office);
  let r = await jinshan.post(`/api/v1/problems/${p.id}/attachments`, png, { 'X-File-Name': 'site.png' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await guihua.post(`/api/v1/problems/${p.id}/attachments`, png);
  assert.equal(r.status, 404);
  r = await jinshan.post(`/api/v1/problems/${p.id}/attachments`, Buffer.from('not a file at all'));
  assert.equal(r.status, 415);
  const d = await office.get(`/api/v1/problems/${p.id}`);
  assert.equal(d.body.attachments.length, 1);
  assert.equal(d.body.attachments[0].name, 'site.png');
  assert.equal((await jinshan.get(d.body.attachments[0].url.replace(/^.*\/api\/v1/, '/api/v1'))).status, 200);
  assert.equal((await guihua.get(d.body.attachments[0].url.replace(/^.*\/api\/v1/, '/api/v1'))).status, 404);
  await ev(jinshan, p.id, { type: 'reply', text: '已处理' });
  await ev(office, p.id, { type: 'close' });
  r = await office.post(`/api/v1/problems/${p.id}/attachments`, png);
  assert.equal(r.status, 403, 'closed problems keep their record');
});

test('scope: units see what is theirs; leaders and the office see everything', async () => {
  const p = await raise(office);
  const other = await raise(office, { unit_id: guihuaUnit, project_id: project.id });
  // 桂花街道 is the lead of `other` but has nothing to do with `p`
  assert.equal((await guihua.get(`/api/v1/problems/${p.id}`)).status, 404);
  assert.equal((await guihua.get(`/api/v1/problems/${other.id}`)).status, 200);
  const gl = await guihua.get('/api/v1/problems?per_page=500');
  assert.ok(!gl.body.items.some((x) => x.id === p.id));
  assert.ok(gl.body.items.some((x) => x.id === other.id));
  // 金山街道 sees both: the project is theirs
  const jl = await jinshan.get(`/api/v1/problems?project=${project.id}&per_page=500`);
  assert.ok(jl.body.items.some((x) => x.id === p.id) && jl.body.items.some((x) => x.id === other.id));
  assert.ok(jl.body.items.every((x) => x.project_id === project.id));
  for (const c of [leader, office, admin]) assert.equal((await c.get(`/api/v1/problems/${p.id}`)).status, 200);
  assert.equal((await enterprise.get(`/api/v1/problems/${p.id}`)).status, 404);
  assert.equal((await guihua.patch(`/api/v1/problems/${p.id}`, { title: 'x' })).status, 404);
});

test('PATCH: office edits with optimistic concurrency; deadline change recomputes the due date', async () => {
  const p = await raise(office);
  let r = await office.patch(`/api/v1/problems/${p.id}`, { deadline_days: 8, version: p.version });
  assert.equal(r.status, 200);
  const want = await office.get(`/api/v1/calendar/add-working-days?from=${p.raised_on}&days=8`);
  assert.equal(r.body.due_date, want.body.date);
  assert.equal(r.body.version, p.version + 1);
  r = await office.patch(`/api/v1/problems/${p.id}`, { title: '旧版本', version: p.version });
  assert.equal(r.status, 409);
  r = await office.patch(`/api/v1/problems/${p.id}`, { title: '' });
  assert.equal(r.status, 422);
  r = await jinshan.patch(`/api/v1/problems/${p.id}`, { title: '改' });
  assert.equal(r.status, 403);
  r = await office.patch(`/api/v1/problems/${p.id}`, { unit_id: guihuaUnit, co_unit_ids: [jinshanUnit] }, { 'If-Match': `"${p.version + 1}"` });
  assert.equal(r.status, 200);
  assert.equal(r.body.unit_name, '桂花街道');
  assert.deepEqual(r.body.co_unit_ids, [jinshanUnit]);
});

test('filters, paging and export', async () => {
  const p = await raise(office, { category: 'environment', title: '扬尘整改独特标题' });
  let r = await office.get('/api/v1/problems?q=扬尘整改独特标题');
  assert.equal(r.body.total, 1);
  assert.equal(r.body.items[0].id, p.id);
  r = await office.get(`/api/v1/problems?category=environment&state=open&unit=${jinshanUnit}&per_page=500`);
  assert.ok(r.body.items.every((x) => x.category === 'environment' && x.state === 'open'));
  assert.ok(r.body.items.some((x) => x.id === p.id));
  r = await office.get('/api/v1/problems?overdue=1&per_page=500');
  assert.ok(r.body.total > 0, 'the demo has overdue problems');
  assert.ok(r.body.items.every((x) => x.overdue && x.state !== 'closed'));
  r = await office.get('/api/v1/problems?escalated=1&per_page=500');
  assert.ok(r.body.total > 0);
  assert.ok(r.body.items.every((x) => x.escalation > 0));
  r = await office.get('/api/v1/problems?per_page=5&page=2&sort=-due_date');
  assert.equal(r.body.items.length, 5);
  assert.equal(r.body.page, 2);
  for (const bad of ['state=nope', 'overdue=2', 'category=nope', 'sort=evil']) {
    const b = await office.get(`/api/v1/problems?${bad}`);
    assert.equal(b.status, 422, bad);
  }
  const x = await office.get('/api/v1/problems?format=xlsx&columns=id:编号,title:问题,unit_name:牵头单位,state_name:状态');
  assert.equal(x.status, 200);
  assert.equal(x.body.subarray(0, 2).toString(), 'PK');
});

test('escalation: overdue → lead leader, twice the deadline → HQ commander; each written once across processes', async () => {
  // a second server process on the same database: both tick
  const second = await startServer({ db: server.db });
  try {
    const leaderBefore = (await leader.get('/api/v1/notifications/unread-count')).body.count;
    // raised 40 calendar days ago with 3 working days: far past twice the deadline
    const p = await raise(office, { raised_on: daysAgo(40), title: '两倍超期测试' });
    assert.equal(p.overdue, true);
    // one overdue with 4 working days, not yet twice: the latest such day by the calendar
    // (usually 9 calendar days ago; longer across a holiday such as National Day)
    let raisedOn = null;
    for (let n = 1; !raisedOn && n < 60; n++) {
      const at = (k) => office.get(`/api/v1/calendar/add-working-days?from=${daysAgo(n)}&days=${k}`).then((x) => x.body.date);
      if ((await at(4)) < TODAY && (await at(8)) >= TODAY) raisedOn = daysAgo(n);
    }
    assert.ok(raisedOn, 'a day to raise on');
    const q = await raise(office, { raised_on: raisedOn, deadline_days: 4, title: '一级超期测试' });
    const got = await waitFor(async () => {
      const a = (await office.get(`/api/v1/problems/${p.id}`)).body;
      const b = (await office.get(`/api/v1/problems/${q.id}`)).body;
      return a.escalation === 2 && b.escalation >= 1 ? [a, b] : null;
    });
    assert.ok(got, 'escalated by the tick');
    await sleep(2500); // more ticks in both processes must not write again
    const a = (await office.get(`/api/v1/problems/${p.id}`)).body;
    const esc = a.events.filter((e) => e.type === 'escalate');
    assert.deepEqual(esc.map((e) => e.level), [1, 2], 'one event per level');
    assert.equal(esc[0].user_id, null, 'written by the system');
    const b = (await office.get(`/api/v1/problems/${q.id}`)).body;
    assert.ok(b.escalation >= 1);
    assert.equal(b.events.filter((e) => e.type === 'escalate').length, b.escalation);
    // the project's lead leader was told, once per problem at level 1
    const notes = await leader.get('/api/v1/notifications?per_page=100');
    const mine = notes.body.items.filter((n) => n.kind === 'escalate' && (n.entity_id === p.id || n.entity_id === q.id));
    assert.equal(mine.filter((n) => n.entity_id === p.id).length, 1 + (project.hq_id ? 0 : 1),
      'leader notified at level 1 (and, without an HQ, as district commander at level 2)');
    assert.ok((await leader.get('/api/v1/notifications/unread-count')).body.count > leaderBefore);
    // escalated problems show in the filter, and closing stops escalation counting
    const list = await office.get('/api/v1/problems?escalated=1&per_page=500');
    assert.ok(list.body.items.some((x) => x.id === p.id));
  } finally {
    await second.stop({ keep: true });
  }
});

test('notifications: list, read one, read all; others’ are not reachable', async () => {
  await raise(office);
  const list = await jinshan.get('/api/v1/notifications?per_page=5');
  assert.equal(list.status, 200);
  const n = list.body.items.find((x) => !x.read);
  assert.ok(n);
  assert.equal((await guihua.post(`/api/v1/notifications/${n.id}/read`)).status, 404);
  const c0 = (await jinshan.get('/api/v1/notifications/unread-count')).body.count;
  assert.equal((await jinshan.post(`/api/v1/notifications/${n.id}/read`)).status, 204);
  assert.equal((await jinshan.get('/api/v1/notifications/unread-count')).body.count, c0 - 1);
  const all = await jinshan.post('/api/v1/notifications/read-all');
  assert.equal(all.status, 200);
  assert.equal(all.body.count, c0 - 1);
  assert.equal((await jinshan.get('/api/v1/notifications/unread-count')).body.count, 0);
  const again = await jinshan.get('/api/v1/notifications?unread=1');
  assert.equal(again.body.total, 0);
});

test('webhooks: WeCom and DingTalk formats, retried with backoff, delivery log', async () => {
  const received = [];
  let calls = 0;
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      calls++;
      const path = req.url;
      received.push({ path, body: JSON.parse(body), type: req.headers['content-type'] });
      // the first message on each path fails; the retry succeeds
      if (received.filter((x) => x.path === path).length === 1) { res.writeHead(500); res.end('busy'); return; }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${receiver.address().port}`;
  try {
    assert.equal((await office.post('/api/v1/webhooks', { unit_id: jinshanUnit, kind: 'wecom', url: `${base}/w` })).status, 403);
    // the receiver is on loopback: the administrator allows it explicitly (see security_webhook.test.mjs)
    assert.equal((await admin.put('/api/v1/settings/webhooks', { allow_hosts: ['127.0.0.1'] })).status, 200);
    let r = await admin.post('/api/v1/webhooks', { unit_id: jinshanUnit, kind: 'slack', url: 'ftp://x' });
    assert.equal(r.status, 422);
    assert.deepEqual(fields(r).sort(), ['kind', 'url']);
    const wecom = await admin.post('/api/v1/webhooks', { unit_id: jinshanUnit, kind: 'wecom', url: `${base}/wecom`, name: '金山街道项目群' });
    assert.equal(wecom.status, 201);
    const ding = await admin.post('/api/v1/webhooks', { unit_id: jinshanUnit, kind: 'dingtalk', url: `${base}/ding` });
    assert.equal(ding.status, 201);
    assert.equal(ding.body.enabled, true);

    const p = await raise(office, { title: '进场道路未打通（推送测试）' });
    const done = await waitFor(async () => {
      const d1 = await admin.get(`/api/v1/webhooks/${wecom.body.id}/deliveries`);
      const d2 = await admin.get(`/api/v1/webhooks/${ding.body.id}/deliveries`);
      const a = d1.body.items.find((x) => x.title.includes(p.title));
      const b = d2.body.items.find((x) => x.title.includes(p.title));
      return a?.state === 'delivered' && b?.state === 'delivered' ? [a, b] : null;
    });
    assert.ok(done, `delivered after a retry (receiver saw ${calls} calls)`);
    const [a, b] = done;
    assert.equal(a.attempts, 2);
    assert.deepEqual(a.log.map((x) => x.http_status), [500, 200]);
    assert.match(a.log[0].error, /HTTP 500/);
    assert.equal(a.log[1].error, null);
    assert.equal(b.attempts, 2);
    // the message formats of the two robots
    const w = received.filter((x) => x.path === '/wecom').at(-1).body;
    assert.equal(w.msgtype, 'markdown');
    assert.match(w.markdown.content, /进场道路未打通（推送测试）/);
    assert.equal(Object.keys(w.markdown).length, 1);
    const dd = received.filter((x) => x.path === '/ding').at(-1).body;
    assert.equal(dd.msgtype, 'markdown');
    assert.match(dd.markdown.title, /新交办问题/);
    assert.match(dd.markdown.text, /进场道路未打通/);
    assert.match(received[0].type, /application\/json/);

    // disabled hooks get nothing; edits need the current version
    r = await admin.patch(`/api/v1/webhooks/${ding.body.id}`, { enabled: false, version: ding.body.version });
    assert.equal(r.status, 200);
    assert.equal(r.body.enabled, false);
    assert.equal((await admin.patch(`/api/v1/webhooks/${ding.body.id}`, { name: 'x', version: ding.body.version })).status, 409);
    const before = received.length;
    await raise(office, { title: '停用后不推送' });
    await waitFor(async () => received.length >= before + 1);
    await sleep(1500);
    assert.ok(received.slice(before).every((x) => x.path === '/wecom'));
    // the test button and the list
    const t = await admin.post(`/api/v1/webhooks/${wecom.body.id}/test`);
    assert.equal(t.status, 202);
    const list = await admin.get(`/api/v1/webhooks?unit=${jinshanUnit}`);
    assert.equal(list.body.total, 2);
    assert.equal((await admin.del(`/api/v1/webhooks/${ding.body.id}`)).status, 204);
    assert.equal((await admin.get(`/api/v1/webhooks/${ding.body.id}/deliveries`)).status, 404);
  } finally {
    receiver.close();
  }
});

test('webhooks: a robot error code (HTTP 200 with errcode) is a failure and is retried later', async () => {
  const receiver = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200); res.end('{"errcode":93000,"errmsg":"invalid webhook url"}'); }); });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  try {
    // the whole schedule (300 ms × 1, 6, 24, 120, 720) would take minutes: check the
    // errcode handling and that the next attempt is scheduled
    assert.equal((await admin.put('/api/v1/settings/webhooks', { allow_hosts: ['127.0.0.1'] })).status, 200);
    const h = await admin.post('/api/v1/webhooks', { unit_id: guihuaUnit, kind: 'wecom', url: `http://127.0.0.1:${receiver.address().port}/x` });
    await raise(office, { unit_id: guihuaUnit, title: '错误码测试' });
    const d = await waitFor(async () => {
      const r = await admin.get(`/api/v1/webhooks/${h.body.id}/deliveries`);
      const x = r.body.items[0];
      return x && x.attempts >= 2 && x.state === 'pending' ? x : null;
    });
    assert.ok(d, 'retried');
    assert.match(d.last_error, /errcode 93000/);
    assert.equal(d.last_status, 200);
    assert.ok(d.next_at > d.created_at);
  } finally {
    receiver.close();
  }
});

test('webhooks: after the last retry (5 s, 30 s, 2 min, 10 min, 1 h scaled down) the delivery is failed', async () => {
  const receiver = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(503); res.end('down'); }); });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  // its own server with the schedule scaled to 10 ms × (1, 6, 24, 120, 720) ≈ 8.7 s
  const saved = process.env.GUATU_WEBHOOK_BACKOFF_MS;
  process.env.GUATU_WEBHOOK_BACKOFF_MS = '10';
  const fast = await startServer();
  process.env.GUATU_WEBHOOK_BACKOFF_MS = saved;
  try {
    const adm = await fast.login('admin');
    const off = await fast.login('office');
    assert.equal((await adm.put('/api/v1/settings/webhooks', { allow_hosts: ['127.0.0.1'] })).status, 200);
    const h = await adm.post('/api/v1/webhooks', { unit_id: jinshanUnit, kind: 'dingtalk', url: `http://127.0.0.1:${receiver.address().port}/d` });
    assert.equal(h.status, 201);
    const p = await off.post('/api/v1/problems', { project_id: project.id, category: 'land', title: '永久失败测试', unit_id: jinshanUnit });
    assert.equal(p.status, 201);
    const d = await waitFor(async () => {
      const x = (await adm.get(`/api/v1/webhooks/${h.body.id}/deliveries`)).body.items[0];
      return x && x.state === 'failed' ? x : null;
    });
    assert.ok(d, 'failed in the end');
    assert.equal(d.attempts, 6, 'the first attempt and five retries');
    assert.deepEqual(d.log.map((x) => x.http_status), [503, 503, 503, 503, 503, 503]);
    // the gaps between attempts grow
    const at = d.log.map((x) => Date.parse(x.at));
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    assert.ok(gaps[4] > gaps[0], `backoff grows: ${gaps.join(', ')} ms`);
    assert.ok(gaps[4] >= 7000, 'the last wait is 720 × the base');
  } finally {
    receiver.close();
    await fast.stop();
  }
});

test('a problem raised from a node links the node: shown in the list and detail, filtered by node; a node of another project is refused', async () => {
  const nodes = (await office.get(`/api/v1/projects/${project.id}/nodes`)).body;
  const items = Array.isArray(nodes) ? nodes : nodes.items;
  assert.ok(items.length > 0, 'the demo project has nodes');
  const node = items[0];
  const p = await raise(jinshan, { node_id: node.id, title: `节点问题 ${node.name}` });
  assert.equal(p.node_id, node.id);
  assert.equal(p.node_name, node.name);
  const one = await office.get(`/api/v1/problems/${p.id}`);
  assert.equal(one.body.node_id, node.id);
  assert.equal(one.body.node_name, node.name);
  const byNode = await office.get(`/api/v1/problems?node=${node.id}&per_page=100`);
  assert.equal(byNode.status, 200);
  assert.ok(byNode.body.items.some((x) => x.id === p.id));
  assert.ok(byNode.body.items.every((x) => x.node_id === node.id));
  // a problem about the project as a whole has no node
  const whole = await raise(office);
  assert.equal(whole.node_id, null);
  assert.ok(!byNode.body.items.some((x) => x.id === whole.id));
  // another project's node, or no such node: a field error on node_id, in both languages
  const list = await office.get('/api/v1/projects?per_page=500');
  let otherNode = null;
  for (const other of list.body.items.filter((x) => x.id !== project.id)) {
    const r = (await office.get(`/api/v1/projects/${other.id}/nodes`)).body;
    const ns = Array.isArray(r) ? r : r.items;
    if (ns.length) { otherNode = ns[0]; break; }
  }
  assert.ok(otherNode, 'another demo project with nodes');
  for (const bad of [otherNode.id, 99999999]) {
    const r = await office.post('/api/v1/problems', { project_id: project.id, node_id: bad, category: 'land', title: 'x', unit_id: jinshanUnit });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.deepEqual(fields(r), ['node_id']);
    const msg = JSON.stringify(r.body);
    assert.match(msg, /节点/);
    assert.match(msg, /node/);
  }
  // filtering by node keeps the scope: 桂花街道 has nothing to do with 金山街道's problem
  const other = await guihua.get(`/api/v1/problems?node=${node.id}&per_page=100`);
  assert.equal(other.status, 200);
  assert.ok(!other.body.items.some((x) => x.id === p.id));
});

test('the demo’s problem timelines run forward: each starts with its creation and every entry is at or after the one before', async () => {
  const list = await office.get('/api/v1/problems?per_page=500&sort=id');
  assert.ok(list.body.items.length >= 80);
  for (const p of list.body.items) {
    const { events } = (await office.get(`/api/v1/problems/${p.id}`)).body;
    assert.equal(events[0].type, 'create', `problem ${p.id} starts with its creation`);
    for (let i = 1; i < events.length; i++)
      assert.ok(events[i].at >= events[i - 1].at, `problem ${p.id}: ${events[i].type} at ${events[i].at} before ${events[i - 1].type} at ${events[i - 1].at}`);
  }
});
