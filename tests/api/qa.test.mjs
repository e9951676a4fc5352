// qa.test.mjs — online questions from citizens (网络问政 · 马上就办): asking without a login
// with bilingual field errors and a limit per address, moderation before publication (personal
// data in the text flagged and redacted, spam rejected with a reason), routing to the category's
// department with a deadline in working days, the shared closed loop (src/loop.h: accept, progress
// note, reply, close, rate once, reopen), the department's reply published with the
// question, the asker's rating and reopening by tracking code, phones masked in every answer and
// export with audited reveals, data scope (another department sees nothing and changes nothing;
// enterprises, banks and the public have no staff view), optimistic versions, per-department
// statistics on constructed cases, overdue questions on the dispatch agenda, and the demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newDatabase, guatu, fields, TODAY, addDays, eventually } from './lib.mjs';

let server, office, admin, leader, zrzy, jinshan, enterprise, bank, anon;
let zrzyUnit, keji, seq = 0;
before(async () => {
  server = await startServer();
  [office, admin, leader, zrzy, jinshan, enterprise, bank] = await Promise.all(
    ['office', 'admin', 'leader', ['zrzy', 'unit123'], 'jinshan', 'enterprise', 'bank'].map((w) => server.login(w)));
  anon = server.client();
  zrzyUnit = (await zrzy.get('/api/v1/me')).body.user.unit_id;
  keji = (await office.get(`/api/v1/units?q=${encodeURIComponent('科技局')}`)).body.items[0].id;
  // a category answered by 自然资源分局 (whose user zrzy acts) and one by 科技局 for the statistics
  for (const [code, unit, days] of [['landuse', zrzyUnit, 3], ['tech', keji, 5]]) {
    const r = await office.post('/api/v1/qa-categories', {
      code, name: code === 'landuse' ? '土地利用' : '科技创新', unit_id: unit, deadline_days: days, group: '测试',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(async () => { await server?.stop(); });

// Each test asks from its own address (the limit is per address), as a reverse proxy reports it.
const ipOf = (n) => ({ 'X-Real-IP': `10.9.${Math.floor(n / 250)}.${n % 250 + 1}` });
async function ask(body = {}, ip = ipOf(++seq)) {
  const r = await anon.post('/api/v1/questions', {
    category: 'landuse', title: '宅基地审批进度', text: '我家宅基地申请已经提交两个月了，请问审批到哪一步了？', phone: '13807339876', ...body,
  }, ip);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const act = (c, q, action, extra = {}) => c.post(`/api/v1/questions/${q.id}/actions`, { action, ...extra });
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
const publicOf = (q) => anon.get(`/api/v1/public/questions/${q.tracking_code}`);

test('anyone asks without logging in and gets an id and a tracking code', async () => {
  const q = await ask();
  assert.ok(Number.isInteger(q.id));
  assert.match(q.tracking_code, /^Q\d{8}-[2-9A-HJ-NP-Z]{6}$/);
  assert.equal(q.tracking_code.slice(1, 9), TODAY.replaceAll('-', ''));
  const p = await ok(publicOf(q));
  assert.equal(p.state, 'pending');
  assert.equal(p.status, 'open');
  assert.equal(p.published, false);
  assert.equal(p.text, '', 'an unpublished question shows no text');
  assert.equal(p.phone, undefined);
});

test('bad questions are refused with bilingual errors naming each field', async () => {
  const r = await anon.post('/api/v1/questions', {
    category: 'nosuch', title: '短', text: '太短', phone: '12345', lat: 95, media_url: 'ftp://x',
  }, ipOf(++seq));
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['category', 'lat', 'media_url', 'phone', 'text', 'title'].sort());
  for (const e of r.body.errors) assert.match(e.message, / \/ /, `${e.field}: 中文 / English`);
  const half = await anon.post('/api/v1/questions', { category: 'landuse', title: '标题标题', text: '内容内容内容内容', lat: 27.8 }, ipOf(++seq));
  assert.equal(half.status, 422);
  assert.deepEqual(fields(half), ['long']);
  const unknown = await anon.post('/api/v1/questions', { category: 'landuse', title: '标题标题', text: '内容内容内容内容', id_card: 'x' }, ipOf(++seq));
  assert.equal(unknown.status, 400);
});

test('one address may ask five questions an hour; the sixth is refused, another address is not', async () => {
  const ip = ipOf(++seq);
  for (let i = 0; i < 5; i++) await ask({ title: `第${i}个问题标题` }, ip);
  const sixth = await anon.post('/api/v1/questions', { category: 'landuse', title: '第六个问题', text: '第六个问题的具体内容是这样的' }, ip);
  assert.equal(sixth.status, 429);
  assert.ok(sixth.headers.get('retry-after'));
  await ask({}, ipOf(++seq));
});

test('moderation flags personal data; approval publishes the text redacted and routes it with a deadline in working days', async () => {
  const q = await ask({ text: '我的身份证号430203199001011234，电话13807331234，宅基地证一直没办下来' });
  const staff = await ok(office.get(`/api/v1/questions/${q.id}`));
  assert.deepEqual(staff.flags, ['id_number', 'phone']);
  assert.equal(staff.state, 'pending');
  const queue = await ok(office.get('/api/v1/questions?state=pending&flagged=1&per_page=500'));
  assert.ok(queue.items.some((x) => x.id === q.id));
  let list = await ok(anon.get('/api/v1/public/questions?category=landuse&per_page=500'));
  assert.ok(!list.items.some((x) => x.tracking_code === q.tracking_code), 'not public before moderation');
  const done = await ok(act(office, q, 'approve'));
  assert.equal(done.state, 'open');
  assert.equal(done.unit_id, zrzyUnit);
  assert.equal(done.opened_on, TODAY);
  assert.equal(done.deadline_days, 3);
  const due = await ok(anon.get(`/api/v1/calendar/add-working-days?from=${TODAY}&days=3`));
  assert.equal(done.due_date, due.date);
  assert.equal(done.published_text, '我的身份证号430203********1234，电话138****1234，宅基地证一直没办下来');
  list = await ok(anon.get('/api/v1/public/questions?category=landuse&per_page=500'));
  const pub = list.items.find((x) => x.tracking_code === q.tracking_code);
  assert.ok(pub);
  assert.equal(pub.text, done.published_text);
  assert.equal(pub.phone, undefined);
  assert.doesNotMatch(JSON.stringify(list.body ?? list), /13807339876|430203199001011234/);
  // approving again is a state conflict
  assert.equal((await act(office, q, 'approve')).status, 409);
});

test('a rejection needs its reason, which the asker then reads by the tracking code', async () => {
  const q = await ask({ title: '加微信领优惠券', text: '加微信领优惠券 http://spam.example.com 加微信' });
  const staff = await ok(office.get(`/api/v1/questions/${q.id}`));
  assert.deepEqual(staff.flags, ['link', 'spam_words']);
  const noReason = await act(office, q, 'reject');
  assert.equal(noReason.status, 422);
  assert.deepEqual(fields(noReason), ['note']);
  await ok(act(office, q, 'reject', { note: '含广告内容，不予公开' }));
  const p = await ok(publicOf(q));
  assert.equal(p.state, 'rejected');
  assert.equal(p.status, 'closed');
  assert.equal(p.moderation_note, '含广告内容，不予公开');
  assert.equal((await anon.post(`/api/v1/public/questions/${q.tracking_code}/feedback`, { rating: 5 })).status, 409);
});

test('the department replies, the reply is published, the asker rates it and it is closed', async () => {
  const q = await ask();
  await ok(act(office, q, 'approve'));
  // the department's inbox holds it; moderation is not the department's
  const inbox = await ok(zrzy.get('/api/v1/questions?state=open&per_page=500'));
  assert.ok(inbox.items.some((x) => x.id === q.id));
  assert.equal((await act(zrzy, q, 'approve')).status, 403);
  const empty = await act(zrzy, q, 'reply', { note: '' });
  assert.equal(empty.status, 422);
  assert.deepEqual(fields(empty), ['note']);
  await ok(act(zrzy, q, 'accept'));
  // the department's progress note starts the work (the shared loop's in_progress)
  assert.equal((await act(zrzy, q, 'comment')).status, 422)
  assert.equal((await ok(act(zrzy, q, 'comment', { note: '已联系街道核实材料。' }))).state, 'in_progress');
  const replied = await ok(act(zrzy, q, 'reply', { note: '您好，您的宅基地申请已通过审核，请于下周到街道领取证书。' }));
  assert.equal(replied.state, 'replied');
  assert.equal(replied.replied_on, TODAY);
  assert.deepEqual(replied.events.map((e) => e.action), ['ask', 'approve', 'accept', 'comment', 'reply']);
  let p = await ok(publicOf(q));
  assert.equal(p.reply, '您好，您的宅基地申请已通过审核，请于下周到街道领取证书。');
  assert.equal(p.can_rate, true);
  const bad = await anon.post(`/api/v1/public/questions/${q.tracking_code}/feedback`, { rating: 6 });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad), ['rating']);
  p = await ok(anon.post(`/api/v1/public/questions/${q.tracking_code}/feedback`, { rating: 4, comment: '满意' }));
  assert.equal(p.state, 'closed');
  assert.equal(p.rating, 4);
  assert.equal((await anon.post(`/api/v1/public/questions/${q.tracking_code}/feedback`, { rating: 5 })).status, 409);
  assert.equal((await anon.get('/api/v1/public/questions/Q20260101-ZZZZZZ')).status, 404);
});

test('an unsatisfied asker reopens with the reason and the department replies again', async () => {
  const q = await ask();
  await ok(act(office, q, 'approve'));
  await ok(act(zrzy, q, 'reply', { note: '已转街道办理。' }));
  const noWhy = await anon.post(`/api/v1/public/questions/${q.tracking_code}/feedback`, { reopen: true });
  assert.equal(noWhy.status, 422);
  assert.deepEqual(fields(noWhy), ['comment']);
  const re = await ok(anon.post(`/api/v1/public/questions/${q.tracking_code}/feedback`, { reopen: true, comment: '街道说不归他们管' }));
  assert.equal(re.state, 'reopened');
  const staff = await ok(zrzy.get(`/api/v1/questions/${q.id}`));
  assert.equal(staff.reopens, 1);
  assert.equal(staff.due_date >= TODAY, true);
  await ok(act(zrzy, q, 'reply', { note: '经核实由我局办理，已于今日办结。' }));
  assert.equal((await act(zrzy, q, 'close')).status, 403, 'the department does not close its own question');
  const closed = await ok(act(office, q, 'close'));
  assert.equal(closed.state, 'closed');
  // closed without a rating, the asker may still rate it, once
  let p = await ok(publicOf(q));
  assert.equal(p.can_rate, true);
  p = await ok(anon.post(`/api/v1/public/questions/${q.tracking_code}/feedback`, { rating: 3 }));
  assert.equal(p.rating, 3);
  assert.equal((await anon.post(`/api/v1/public/questions/${q.tracking_code}/feedback`, { rating: 4 })).status, 409);
  // the office may send a closed question back to the department
  const back = await ok(act(office, q, 'reopen', { note: '回访发现问题仍未解决' }));
  assert.equal(back.state, 'reopened');
  assert.equal(back.reopens, 2);
});

test('phones are masked for staff and in exports; the office and the department reveal them, each read audited', async () => {
  const q = await ask({ phone: '13807335555' });
  await ok(act(office, q, 'approve'));
  for (const c of [office, zrzy, leader]) assert.equal((await ok(c.get(`/api/v1/questions/${q.id}`))).phone, '138****5555');
  assert.equal((await leader.get(`/api/v1/questions/${q.id}?reveal=1`)).status, 403);
  assert.equal((await ok(zrzy.get(`/api/v1/questions/${q.id}?reveal=1`))).phone, '13807335555');
  const audit = await ok(admin.get(`/api/v1/audit?entity=question&entity_id=${q.id}&action=read`));
  assert.equal(audit.items.length, 1);
  const csv = await office.get(`/api/v1/questions?format=csv&q=${q.tracking_code}&columns=tracking_code:编号,phone:电话`);
  assert.equal(csv.status, 200);
  const text = csv.body.toString();
  assert.match(text, /138\*\*\*\*5555/);
  assert.doesNotMatch(text, /13807335555/);
  const xlsx = await office.get('/api/v1/questions?format=xlsx');
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
  // the ask itself is audited without the phone
  const created = await ok(admin.get(`/api/v1/audit?entity=question&entity_id=${q.id}&action=create`));
  assert.doesNotMatch(JSON.stringify(created), /13807335555/);
});

test("another department sees none of a department's questions and cannot act on them; enterprises, banks and the public have no staff view", async () => {
  const q = await ask();
  await ok(act(office, q, 'approve'));
  assert.equal((await jinshan.get(`/api/v1/questions/${q.id}`)).status, 404);
  assert.equal((await act(jinshan, q, 'reply', { note: '越权答复' })).status, 404);
  const list = await ok(jinshan.get('/api/v1/questions?per_page=500'));
  assert.ok(!list.items.some((x) => x.unit_id === zrzyUnit));
  const mine = await ok(zrzy.get('/api/v1/questions?per_page=500'));
  assert.ok(mine.items.length > 0 && mine.items.every((x) => x.unit_id === zrzyUnit));
  for (const c of [enterprise, bank, anon]) {
    assert.ok([401, 403].includes((await c.get('/api/v1/questions')).status));
    assert.ok([401, 403].includes((await c.get(`/api/v1/questions/${q.id}`)).status));
    assert.ok([401, 403].includes((await c.get('/api/v1/qa-stats')).status));
  }
  // leaders read but do not act
  assert.equal((await act(leader, q, 'reply', { note: '领导答复' })).status, 403);
  // a department may not moderate even its own questions
  const q2 = await ask();
  assert.equal((await act(zrzy, q2, 'approve')).status, 403);
});

test('a stale version is refused with 409 and changes nothing', async () => {
  const q = await ask();
  const first = await ok(office.get(`/api/v1/questions/${q.id}`));
  await ok(act(office, q, 'approve', { version: first.version }));
  const stale = await office.post(`/api/v1/questions/${q.id}/actions`, { action: 'reply', note: '答复' }, { 'If-Match': `"${first.version}"` });
  assert.equal(stale.status, 409);
  assert.equal((await ok(office.get(`/api/v1/questions/${q.id}`))).state, 'open');
});

test('statistics per department: count, on-time rate, mean hours to reply, satisfaction', async () => {
  const qs = [await ask({ category: 'tech' }), await ask({ category: 'tech' }), await ask({ category: 'tech' })];
  for (const q of qs) await ok(act(office, q, 'approve'));
  for (const q of qs.slice(0, 2)) await ok(act(office, q, 'reply', { note: '已答复。' }));
  await ok(anon.post(`/api/v1/public/questions/${qs[0].tracking_code}/feedback`, { rating: 5 }));
  await ok(anon.post(`/api/v1/public/questions/${qs[1].tracking_code}/feedback`, { rating: 2 }));
  const s = await ok(office.get(`/api/v1/qa-stats?from=${TODAY}&to=${TODAY}`));
  const row = s.items.find((x) => x.unit_id === keji);
  assert.equal(row.count, 3);
  assert.equal(row.replied, 2);
  assert.equal(row.on_time, 2);
  assert.equal(row.on_time_rate, 100);
  assert.equal(row.rated, 2);
  assert.equal(row.satisfaction, 3.5);
  assert.ok(row.mean_hours >= 0 && row.mean_hours < 24);
  assert.equal(row.overdue, 0);
  // a department sees its own row only
  const own = await ok(zrzy.get(`/api/v1/qa-stats?from=${TODAY}&to=${TODAY}`));
  assert.ok(own.items.every((x) => x.unit_id === zrzyUnit));
  const bad = await office.get(`/api/v1/qa-stats?from=${TODAY}&to=2000-01-01`);
  assert.equal(bad.status, 422);
});

test('overdue questions go on the dispatch agenda, escalated ones first', async () => {
  const overdue = await ok(office.get('/api/v1/questions?overdue=1&per_page=500'));
  assert.ok(overdue.items.length >= 1, 'the demo has an overdue question');
  assert.ok(overdue.items.every((x) => x.overdue === true && x.due_date < TODAY && x.days_overdue >= 0));
  const m = await ok(office.post('/api/v1/dispatch/meetings', { kind: 'special', date: TODAY, title: '问政督办会' }), 201);
  const agenda = await ok(office.get(`/api/v1/dispatch/meetings/${m.id}/agenda`));
  const items = (agenda.items || agenda).filter((i) => i.kind === 'question_overdue');
  assert.equal(items.length, overdue.items.length);
  assert.ok(items.some((i) => i.title.includes(overdue.items[0].tracking_code)));
});

test('the demo district has categories, published replies and a flagged question waiting for moderation', async () => {
  const cats = await ok(anon.get('/api/v1/public/qa-categories'));
  assert.ok(cats.items.length >= 8);
  assert.ok(cats.items.every((c) => c.code && c.name && c.unit_name && c.deadline_days > 0));
  const pub = await ok(anon.get('/api/v1/public/questions?answered=1&per_page=100'));
  assert.ok(pub.items.length >= 3 && pub.items.every((x) => x.reply));
  const flagged = await ok(office.get('/api/v1/questions?state=pending&flagged=1&per_page=100'));
  assert.ok(flagged.items.some((x) => x.flags.includes('id_number')));
  const byUnit = await ok(anon.get(`/api/v1/public/questions?unit=${pub.items[0].unit_id}`));
  assert.ok(byUnit.items.every((x) => x.unit_id === pub.items[0].unit_id));
  const search = await ok(anon.get(`/api/v1/public/questions?q=${encodeURIComponent('电子秤')}`));
  assert.ok(search.items.length >= 1);
});

test('guatu gen fills each county with categories and questions in every state, served by the public list and Open311', { timeout: 300000 }, async () => {
  const db = newDatabase()
  const g = guatu(['gen', '--scale', 'district', '--db', db.url])
  assert.equal(g.status, 0, g.stderr)
  const s = await startServer({ db })
  try {
    const c = s.client()
    const services = await (await fetch(`${s.base}/open311/v2/services.json`)).json()
    assert.equal(services.length, 8)
    const pub = (await c.get('/api/v1/public/questions?per_page=1')).body
    assert.ok(pub.total >= 200, `${pub.total} published`)
    const office = await s.login(['office', 'bench1234'])
    const states = new Set()
    for (const st of ['pending', 'rejected', 'open', 'replied', 'closed']) {
      const r = (await office.get(`/api/v1/questions?state=${st}&per_page=1`)).body
      if (r.total > 0) states.add(st)
    }
    assert.deepEqual([...states].sort(), ['closed', 'open', 'pending', 'rejected', 'replied'].sort())
  } finally {
    await s.stop()
    db.cleanup()
  }
})

test('a question left unanswered escalates like a problem: past its due date, then past twice its deadline, told and audited once', async () => {
  const q = await ask({ category: 'tech' });
  const opened = await ok(act(office, q, 'approve'));
  assert.equal(opened.escalation, 0);
  // the same database seen 60 days later by a second server: its tick escalates the question
  const later = await startServer({ db: server.db, env: { GUATU_TODAY: addDays(TODAY, 60) } });
  try {
    const c = await later.login('office');
    let seen;
    await eventually(async () => {
      seen = (await c.get(`/api/v1/questions/${q.id}`)).body;
      return seen.events.filter((e) => e.action === 'escalate').length === 2;
    });
    assert.equal(seen.escalation, 2);
    assert.deepEqual(seen.events.filter((e) => e.action === 'escalate').map((e) => e.note.includes('两倍')), [false, true]);
    const notes = (await c.get('/api/v1/notifications?per_page=100')).body.items;
    assert.ok(notes.some((n) => n.kind === 'escalate' && n.title.includes(q.tracking_code)));
    const audit = (await (await later.login('admin')).get(`/api/v1/audit?entity=question&entity_id=${q.id}&action=escalate`)).body;
    assert.equal(audit.items.length, 1, 'both levels in one audited step');
    // on the office's agenda of that day
    const m = await ok(c.post('/api/v1/dispatch/meetings', { kind: 'special', date: addDays(TODAY, 60), title: '问政督办' }), 201);
    const agenda = await ok(c.get(`/api/v1/dispatch/meetings/${m.id}/agenda`));
    assert.ok((agenda.items || agenda).some((i) => i.kind === 'question_overdue' && i.title.startsWith('提级至区领导的问政') && i.title.includes(q.tracking_code)));
  } finally {
    await later.stop();
  }
});
