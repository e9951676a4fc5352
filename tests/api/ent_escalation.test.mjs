// ent_escalation.test.mjs — enterprise requests (企业诉求, issue 17) escalate like problems and
// questions: the server's background tick, past the due date, raises the request to level 1 once
// (the department's users and its group webhook, and the project office, are told; a timeline
// event and one audit entry as "system"), and past twice the deadline to level 2 (the district's
// leaders are told as well). The same database is opened by servers whose today is pinned after
// the due date and after twice the deadline; every date is derived from TODAY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, TODAY, addDays, eventually } from './lib.mjs';

// Polls until the server's tick has done its work (it runs about once a second).
// Bounded only against a hang (lib.mjs eventually).
const until = (fn) => eventually(fn);
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

test('an unanswered enterprise request escalates past its due date and again past twice its deadline, told and audited once per step', async () => {
  const received = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      received.push(body);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const s1 = await startServer();
  let q, due, twice, zrzyUnit;
  try {
    const office = await s1.login('office');
    const admin = await s1.login('admin');
    const zrzy = await s1.login(['zrzy', 'unit123']);
    zrzyUnit = (await zrzy.get('/api/v1/me')).body.user.unit_id;
    // the department's group webhook, on a loopback receiver the administrator allows
    await ok(admin.put('/api/v1/settings/webhooks', { allow_hosts: ['127.0.0.1'] }));
    await ok(admin.post('/api/v1/webhooks', { unit_id: zrzyUnit, kind: 'wecom', url: `http://127.0.0.1:${receiver.address().port}/zrzy`, name: '自然资源分局工作群' }), 201);
    const ent = (await office.get(`/api/v1/enterprises?q=${encodeURIComponent('格斯特')}`)).body.items[0];
    q = await ok(office.post('/api/v1/enterprise-requests', { enterprise_id: ent.id, category: 'land', text: '厂房扩建用地报批（督办测试）', unit_id: zrzyUnit, deadline_days: 3 }), 201);
    assert.equal(q.escalation, 0);
    due = q.due_date;
    twice = (await office.get(`/api/v1/calendar/add-working-days?from=${TODAY}&days=6`)).body.date;
    assert.ok(due < twice);
  } finally { await s1.stop({ keep: true }); }

  const escalations = (r) => r.events.filter((e) => e.type === 'escalate');
  const mine = (notes) => notes.filter((n) => n.kind === 'escalate' && n.title.includes(`#${q.id}）`));
  const auditOf = async (c) => (await ok(c.get(`/api/v1/audit?entity=enterprise_request&entity_id=${q.id}&action=escalate`))).items;
  try {
    // the day after the due date: level 1
    const s2 = await startServer({ db: s1.db, env: { GUATU_TODAY: addDays(due, 1) } });
    try {
      const office = await s2.login('office');
      const seen = await until(async () => {
        const r = await ok(office.get(`/api/v1/enterprise-requests/${q.id}`));
        return escalations(r).length >= 1 && r;
      });
      assert.ok(seen, 'the tick escalated the request');
      assert.equal(seen.escalation, 1);
      assert.equal(seen.overdue, true);
      assert.deepEqual(escalations(seen).map((e) => e.text), [`超过办理时限（${due}）未答复，已提级督办`]);
      const audit = await auditOf(await s2.login('admin'));
      assert.equal(audit.length, 1, 'one audit entry for the step');
      assert.equal(audit[0].user_login, 'system');
      assert.deepEqual([audit[0].before?.escalation, audit[0].after?.escalation], [0, 1]);
      // told: the department and the office; not yet the leaders
      const zrzy = await s2.login(['zrzy', 'unit123']);
      const zn = mine((await ok(zrzy.get('/api/v1/notifications?per_page=100'))).items);
      assert.equal(zn.length, 1);
      assert.match(zn[0].title, /^超期企业诉求督办：株洲格斯特动力机械有限公司（用地诉求 #\d+）$/);
      assert.equal(mine((await ok(office.get('/api/v1/notifications?per_page=100'))).items).length, 1);
      assert.equal(mine((await ok((await s2.login('leader')).get('/api/v1/notifications?per_page=100'))).items).length, 0);
      const hook = await until(() => received.find((b) => b.includes(`#${q.id}）`)));
      assert.ok(hook, 'the department\'s group webhook got the message');
      assert.ok(hook.includes('超期企业诉求督办'));
    } finally { await s2.stop(); }

    // the day after twice the deadline: level 2, the leaders told; level 1 not told again
    const s3 = await startServer({ db: s1.db, env: { GUATU_TODAY: addDays(twice, 1) } });
    try {
      const office = await s3.login('office');
      const seen = await until(async () => {
        const r = await ok(office.get(`/api/v1/enterprise-requests/${q.id}`));
        return escalations(r).length >= 2 && r;
      });
      assert.ok(seen, 'the tick escalated the request again');
      assert.equal(seen.escalation, 2);
      assert.deepEqual(escalations(seen).map((e) => e.text.includes('两倍')), [false, true]);
      const admin = await s3.login('admin');
      const audit = await until(async () => { const a = await auditOf(admin); return a.length >= 2 && a; });
      assert.equal(audit.length, 2, 'one audit entry per step, never repeated');
      const leaderNotes = mine((await ok((await s3.login('leader')).get('/api/v1/notifications?per_page=100'))).items);
      assert.equal(leaderNotes.length, 1);
      assert.match(leaderNotes[0].title, /^严重超期企业诉求督办：/);
      const zrzy = await s3.login(['zrzy', 'unit123']);
      assert.equal(mine((await ok(zrzy.get('/api/v1/notifications?per_page=100'))).items).length, 1, 'the department was told once, at level 1');
    } finally { await s3.stop(); }
  } finally {
    s1.db.cleanup();
    receiver.close();
  }
});

test('a reopened request starts again from level 0 with its fresh deadline and escalates again when that one passes', async () => {
  const s1 = await startServer();
  let q;
  try {
    const office = await s1.login('office');
    const zrzy = await s1.login(['zrzy', 'unit123']);
    const dept = (await zrzy.get('/api/v1/me')).body.user.unit_id;
    const ent = (await office.get(`/api/v1/enterprises?q=${encodeURIComponent('格斯特')}`)).body.items[0];
    q = await ok(office.post('/api/v1/enterprise-requests', { enterprise_id: ent.id, category: 'land', text: '退回重办测试', unit_id: dept, deadline_days: 3 }), 201);
  } finally { await s1.stop({ keep: true }); }
  try {
    // escalated past its due date, then answered late and sent back the same day
    const late = addDays(q.due_date, 1);
    const s2 = await startServer({ db: s1.db, env: { GUATU_TODAY: late } });
    let reopened;
    try {
      const office = await s2.login('office');
      const zrzy = await s2.login(['zrzy', 'unit123']);
      const up = await until(async () => { const r = await ok(office.get(`/api/v1/enterprise-requests/${q.id}`)); return r.events.some((e) => e.type === 'escalate') && r; });
      assert.ok(up, 'escalated once overdue');
      await ok(zrzy.post(`/api/v1/enterprise-requests/${q.id}/events`, { type: 'reply', text: '已答复' }));
      reopened = await ok(office.post(`/api/v1/enterprise-requests/${q.id}/events`, { type: 'reopen', text: '仍未解决' }));
      assert.equal(reopened.state, 'reopened');
      assert.equal(reopened.escalation, 0);
      assert.ok(reopened.due_date > late, 'a fresh deadline from the day it was sent back');
    } finally { await s2.stop(); }
    // past the fresh deadline: escalated again, a second level-1 step with its audit entry
    const s3 = await startServer({ db: s1.db, env: { GUATU_TODAY: addDays(reopened.due_date, 1) } });
    try {
      const office = await s3.login('office');
      const seen = await until(async () => { const r = await ok(office.get(`/api/v1/enterprise-requests/${q.id}`)); return r.events.filter((e) => e.type === 'escalate').length >= 2 && r; });
      assert.ok(seen, 'escalated again after the fresh deadline');
      assert.equal(seen.escalation, 1);
      assert.deepEqual(seen.events.filter((e) => e.type === 'escalate').map((e) => e.text),
        [`超过办理时限（${q.due_date}）未答复，已提级督办`, `超过办理时限（${reopened.due_date}）未答复，已提级督办`]);
      const audit = (await ok((await s3.login('admin')).get(`/api/v1/audit?entity=enterprise_request&entity_id=${q.id}&action=escalate`))).items;
      assert.deepEqual(audit.map((a) => a.after.escalation), [1, 1]);
    } finally { await s3.stop(); }
  } finally { s1.db.cleanup(); }
});
