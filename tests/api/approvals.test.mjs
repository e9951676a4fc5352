// approvals.test.mjs — the approval agency (审批代办): the catalogue with prerequisites
// and its cycle check, a project's record of each item through preparing → submitted →
// accepted → issued and back on a return, durations in working days across weekends,
// statutory holidays and make-up working days (the same count as the calendar endpoint),
// prerequisites refusing a submission, parallel items, returned and resubmitted items,
// bad input refused with bilingual field errors, statistics on constructed cases, the
// overdue item that becomes a problem for the issuing department, the battle-map node that
// takes its date from the issued item, scope, the agency agreement and the seeds' demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fields, TODAY, addDays } from './lib.mjs';

let server, office, admin, zrzy, jinshan, guihua, enterprise, leader;
let zrzyUnit, housingUnit, project, otherProject, seq = 0;
before(async () => {
  server = await startServer();
  [office, admin, zrzy, jinshan, guihua, enterprise, leader] = await Promise.all(
    ['office', 'admin', ['zrzy', 'unit123'], 'jinshan', 'guihua', 'enterprise', 'leader'].map((w) => server.login(w)));
  zrzyUnit = (await zrzy.get('/api/v1/me')).body.user.unit_id;
  const jinshanUnit = (await jinshan.get('/api/v1/me')).body.user.unit_id;
  const units = await office.get(`/api/v1/units?q=${encodeURIComponent('住房和城乡建设局')}`);
  housingUnit = units.body.items[0].id;
  const list = await office.get('/api/v1/projects?per_page=500');
  const mine = list.body.items.filter((p) => p.unit_id === jinshanUnit);
  project = mine[0];
  // a project without approval records yet, so that its critical path is the test's own
  for (const p of mine.slice(1)) {
    if ((await office.get(`/api/v1/projects/${p.id}/approvals`)).body.items.length === 0) { otherProject = p; break; }
  }
  assert.ok(project && otherProject, 'two demo projects of 金山街道, one without approvals');
});
after(async () => { await server?.stop(); });

// A new catalogue item of the given department.
async function newItem(extra = {}) {
  seq++;
  const r = await office.post('/api/v1/approval-items', {
    code: `t${seq}`, name: `测试事项${seq}`, unit_id: zrzyUnit, statutory_days: 20, promised_days: 5, ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function addTo(p, item, c = office) {
  const r = await c.post(`/api/v1/projects/${p.id}/approvals`, { item_id: item.id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const ev = (c, a, type, date, extra = {}) => c.post(`/api/v1/approvals/${a.id}/events`, { type, date, ...extra });
async function ok(res) {
  const r = await res;
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
// submit, accept and issue on the given days
async function run(a, sub, acc, iss, c = office) {
  await ok(ev(c, a, 'submit', sub));
  await ok(ev(c, a, 'accept', acc));
  return ok(ev(c, a, 'issue', iss));
}
const wdBetween = async (from, to) => (await office.get(`/api/v1/calendar/working-days-between?from=${from}&to=${to}`)).body.days;

test('catalogue: the demo ships eleven items from 不动产权证 to 施工许可证 with prerequisites and parallel groups', async () => {
  const r = await jinshan.get('/api/v1/approval-items?per_page=100&active=1');
  assert.equal(r.status, 200);
  const names = r.body.items.map((i) => i.name);
  assert.equal(r.body.items.length >= 11, true);
  for (const n of ['不动产权证（首次登记）', '建设用地规划许可证', '建设工程规划许可证', '施工图设计文件审查', '建筑工程施工许可证'])
    assert.ok(names.includes(n), n);
  const permit = r.body.items.find((i) => i.code === 'construction_permit');
  assert.ok(permit.prereq_names.includes('建设工程规划许可证'));
  assert.ok(permit.promised_days <= permit.statutory_days);
  assert.equal(r.body.items.find((i) => i.code === 'real_estate').parallel_group, '用地');
  assert.equal((await server.client().get('/api/v1/approval-items')).status, 401);
});

test('catalogue: validated with bilingual field errors, prerequisites may not form a cycle, versions checked', async () => {
  const bad = await office.post('/api/v1/approval-items', { code: 'x', name: '坏事项', unit_id: 999999, statutory_days: 5, promised_days: 9 });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad), ['unit_id']);
  assert.match(bad.body.errors[0].message, / \/ /);
  const slow = await office.post('/api/v1/approval-items', { code: 'x', name: '坏事项', unit_id: zrzyUnit, statutory_days: 5, promised_days: 9 });
  assert.deepEqual(fields(slow), ['promised_days']);
  assert.equal((await office.post('/api/v1/approval-items', { code: 'x', name: 'y', unit_id: zrzyUnit, statutory_days: 5, promised_days: 1, nope: 1 })).status, 400);
  assert.equal((await jinshan.post('/api/v1/approval-items', { code: 'x', name: 'y', unit_id: zrzyUnit, statutory_days: 5, promised_days: 1 })).status, 403);
  const a = await newItem();
  const b = await newItem({ prereq_ids: [a.id] });
  assert.deepEqual(b.prereq_ids, [a.id]);
  const cyc = await office.patch(`/api/v1/approval-items/${a.id}`, { prereq_ids: [b.id], version: a.version });
  assert.equal(cyc.status, 422);
  assert.deepEqual(fields(cyc), ['prereq_ids']);
  const self = await office.patch(`/api/v1/approval-items/${a.id}`, { prereq_ids: [a.id] });
  assert.deepEqual(fields(self), ['prereq_ids']);
  const renamed = await office.patch(`/api/v1/approval-items/${a.id}`, { name: `${a.name}（改）`, version: a.version });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.version, a.version + 1);
  assert.equal((await office.patch(`/api/v1/approval-items/${a.id}`, { promised_days: 2, version: a.version })).status, 409);
});

test('contract: a project record of an item and its fields; one record per item', async () => {
  const item = await newItem({ statutory_days: 20, promised_days: 3 });
  const a = await addTo(project, item);
  assert.equal(a.state, 'preparing');
  assert.equal(a.submitted_on, null);
  assert.equal(a.issued_on, null);
  assert.equal(a.working_days, null);
  assert.equal(a.statutory_days, 20);
  assert.equal(a.promised_days, 3);
  assert.equal(a.unit_id, zrzyUnit);
  assert.equal((await office.post(`/api/v1/projects/${project.id}/approvals`, { item_id: item.id })).status, 409);
  const unknown = await office.post(`/api/v1/projects/${project.id}/approvals`, { item_id: 99999999 });
  assert.equal(unknown.status, 422);
  assert.deepEqual(fields(unknown), ['item_id']);
  assert.equal((await office.post('/api/v1/projects/99999999/approvals', { item_id: item.id })).status, 404);
  const g = await office.get(`/api/v1/approvals/${a.id}`);
  assert.equal(g.status, 200);
  for (const k of ['state', 'submitted_on', 'issued_on', 'working_days', 'statutory_days', 'promised_days']) assert.ok(k in g.body, k);
  assert.equal(g.headers.get('etag'), `"${g.body.version}"`);
});

test('durations: working days from submission to issue across a weekend, National Day 2025 and its make-up working day', async () => {
  const cases = [
    // Fri → Mon: one working day
    ['2025-11-07', '2025-11-10', 1],
    // National Day 2025: 10-01..10-08 off; Tue 09-30 → Thu 10-09 is one working day
    ['2025-09-30', '2025-10-09', 1],
    // Fri 09-26 → Mon 09-29 runs through the make-up Sunday 09-28: two working days
    ['2025-09-26', '2025-09-29', 2],
    // the same day: none (a registration done in 82 minutes)
    ['2025-11-12', '2025-11-12', 0],
  ];
  for (const [sub, iss, want] of cases) {
    const a = await addTo(project, await newItem());
    const done = await run(a, sub, sub, iss);
    assert.equal(done.state, 'issued');
    assert.equal(done.submitted_on, sub);
    assert.equal(done.issued_on, iss);
    assert.equal(done.working_days, want, `${sub} → ${iss}`);
    assert.equal(done.working_days, await wdBetween(sub, iss));
    assert.equal(done.events.map((e) => e.type).join(), 'submit,accept,issue');
  }
});

test('prerequisites: an item whose prerequisite is not issued is refused with a clear message; parallel items proceed together', async () => {
  const land = await newItem({ parallel_group: '用地' });
  const plan = await newItem({ parallel_group: '用地' });
  const works = await newItem({ prereq_ids: [land.id, plan.id] });
  const [aLand, aPlan, aWorks] = [await addTo(otherProject, land), await addTo(otherProject, plan), await addTo(otherProject, works)];
  const refused = await ev(office, aWorks, 'submit', '2025-06-03');
  assert.equal(refused.status, 409);
  assert.match(refused.body.detail, new RegExp(land.name));
  assert.match(refused.body.detail, /前置事项.* \/ prerequisites/);
  // the two parallel items are submitted the same day and issued on different days
  await run(aLand, '2025-06-02', '2025-06-02', '2025-06-04');
  const still = await ev(office, aWorks, 'submit', '2025-06-05');
  assert.equal(still.status, 409);
  assert.match(still.body.detail, new RegExp(plan.name));
  assert.doesNotMatch(still.body.detail, new RegExp(`${land.name}[、 ]`));
  await run(aPlan, '2025-06-02', '2025-06-03', '2025-06-06');
  // issued on 06-06: a submission dated before it is still refused
  assert.equal((await ev(office, aWorks, 'submit', '2025-06-05')).status, 409);
  const done = await run(aWorks, '2025-06-06', '2025-06-09', '2025-06-11');
  assert.equal(done.working_days, 3);
  // the board: prerequisites, the critical path and "N approvals in M working days"
  const board = await ok(office.get(`/api/v1/projects/${otherProject.id}/approvals`));
  const row = board.items.find((i) => i.id === aWorks.id);
  assert.deepEqual([...row.prereq_item_ids].sort(), [land.id, plan.id].sort());
  assert.equal(row.critical, true);
  assert.equal(board.items.find((i) => i.id === aPlan.id).critical, true);
  assert.equal(board.items.find((i) => i.id === aLand.id).critical, false);
  assert.ok(board.summary.issued >= 3);
  assert.match(board.summary.text, /项审批，\d+个工作日/);
});

test('returned and resubmitted: back to preparing with the reason; the duration counts from the first submission', async () => {
  const a = await addTo(project, await newItem({ promised_days: 5 }));
  await ok(ev(office, a, 'submit', '2025-05-06'));
  const noReason = await ev(zrzy, a, 'return', '2025-05-07');
  assert.equal(noReason.status, 422);
  assert.deepEqual(fields(noReason), ['reason']);
  assert.match(noReason.body.errors[0].message, /理由 \/ .*reason/);
  const back = await ok(ev(zrzy, a, 'return', '2025-05-07', { reason: '缺少用地红线图' }));
  assert.equal(back.state, 'preparing');
  assert.equal(back.returns, 1);
  assert.equal(back.return_reason, '缺少用地红线图');
  assert.equal(back.can.submit, false, 'zrzy is the issuing department, not the project side');
  assert.equal((await ev(office, a, 'accept', '2025-05-08')).status, 409);
  await ok(ev(office, a, 'submit', '2025-05-09'));
  const acc = await ok(ev(zrzy, a, 'accept', '2025-05-09'));
  assert.equal(acc.state, 'accepted');
  // a return after acceptance also goes back to preparing
  await ok(ev(zrzy, a, 'return', '2025-05-12', { reason: '图纸签章不全' }));
  await ok(ev(office, a, 'submit', '2025-05-13'));
  await ok(ev(zrzy, a, 'accept', '2025-05-13'));
  const done = await ok(ev(zrzy, a, 'issue', '2025-05-14'));
  assert.equal(done.submitted_on, '2025-05-06');
  assert.equal(done.returns, 2);
  assert.equal(done.working_days, 6); // 05-07 08 09 12 13 14
  assert.equal(done.working_days, await wdBetween('2025-05-06', '2025-05-14'));
  assert.equal(done.within_promise, false);
  assert.equal(done.events.map((e) => e.type).join(), 'submit,return,submit,accept,return,submit,accept,issue');
});

test('bad input: future dates, dates before the previous event, unknown types and missing fields are refused with field errors', async () => {
  const a = await addTo(project, await newItem());
  const future = await ev(office, a, 'submit', addDays(TODAY, 1));
  assert.equal(future.status, 422);
  assert.deepEqual(fields(future), ['date']);
  assert.match(future.body.errors[0].message, /今天 \/ .*future/);
  await ok(ev(office, a, 'submit', '2025-04-10'));
  const early = await ev(office, a, 'accept', '2025-04-09');
  assert.equal(early.status, 422);
  assert.deepEqual(fields(early), ['date']);
  assert.match(early.body.errors[0].message, /上一环节.* \/ .*previous/);
  const type = await ev(office, a, 'approve', '2025-04-10');
  assert.equal(type.status, 422);
  assert.deepEqual(fields(type), ['type']);
  const noDate = await office.post(`/api/v1/approvals/${a.id}/events`, { type: 'accept' });
  assert.deepEqual(fields(noDate), ['date']);
  const badDate = await ev(office, a, 'accept', '2025-02-30');
  assert.deepEqual(fields(badDate), ['date']);
  assert.equal((await office.post(`/api/v1/approvals/${a.id}/events`, { type: 'accept', date: '2025-04-10', extra: 1 })).status, 400);
  // the wrong state is a conflict, not a field error
  assert.equal((await ev(office, a, 'issue', '2025-04-10')).status, 409);
  // today itself is allowed
  assert.equal((await ev(office, a, 'accept', TODAY)).status, 200);
  assert.equal((await ev(office, { id: 99999999 }, 'accept', TODAY)).status, 404);
  // a stale version is refused
  const g = (await office.get(`/api/v1/approvals/${a.id}`)).body;
  assert.equal((await ev(office, a, 'issue', TODAY, { version: g.version - 1 })).status, 409);
});

test('statistics: count, mean, median, share within the promise and time saved, per item, department and project', async () => {
  const item = await newItem({ statutory_days: 20, promised_days: 5 });
  const list = (await office.get("/api/v1/projects?per_page=500")).body.items.filter((p) => !/华巨|飞山奇/.test(p.name));
  // three projects: 2, 3 and 7 working days in March 2024
  const plan = [['2024-03-04', '2024-03-06'], ['2024-03-11', '2024-03-14'], ['2024-03-18', '2024-03-27']];
  for (let k = 0; k < 3; k++) {
    const a = await addTo(list[10 + k], item);
    await run(a, plan[k][0], plan[k][0], plan[k][1]);
  }
  const r = await ok(leader.get('/api/v1/approvals/stats?from=2024-03-01&to=2024-03-31'));
  assert.equal(r.items.length, 1);
  const s = r.items[0];
  assert.deepEqual(s, {
    item_id: item.id, name: item.name, count: 3, mean_working_days: 4, median_working_days: 3,
    within_promise_rate: '66.67', saved_rate: '80.00',
  });
  assert.equal(r.departments.length, 1);
  assert.equal(r.departments[0].unit_id, zrzyUnit);
  assert.equal(r.departments[0].rank, 1);
  assert.equal(r.projects.length, 3);
  assert.match(r.projects[0].text, /^1项审批，\d个工作日$/);
  assert.equal(r.total.count, 3);
  // an empty window and a reversed one
  assert.deepEqual((await ok(office.get('/api/v1/approvals/stats?from=2024-04-01&to=2024-04-30'))).items, []);
  const rev = await office.get('/api/v1/approvals/stats?from=2024-04-30&to=2024-04-01');
  assert.equal(rev.status, 422);
  assert.deepEqual(fields(rev), ['to']);
  assert.deepEqual(fields(await office.get('/api/v1/approvals/stats?from=2024-13-01')), ['from']);
  // exportable
  const csv = await office.get('/api/v1/approvals/stats?from=2024-03-01&to=2024-03-31&format=csv&columns=name:事项,count:件数,saved_rate:节约时间');
  assert.equal(csv.status, 200);
  assert.match(csv.body.toString(), /"事项","件数","节约时间"/);
  assert.match(csv.body.toString(), /80\.00/);
  const dep = await office.get('/api/v1/approvals/stats?from=2024-03-01&to=2024-03-31&view=departments&format=xlsx');
  assert.equal(dep.status, 200);
  assert.equal(dep.body.subarray(0, 2).toString(), 'PK');
});

test('overdue: an item past its promise becomes one problem assigned to the issuing department', async () => {
  const item = await newItem({ statutory_days: 10, promised_days: 2 });
  const a = await addTo(project, item);
  const sub = addDays(TODAY, -20);
  await ok(ev(office, a, 'submit', sub));
  const g = await ok(office.get(`/api/v1/approvals/${a.id}`));
  assert.equal(g.overdue, true);
  const listed = await ok(office.get(`/api/v1/approvals?overdue=1&item=${item.id}`));
  assert.deepEqual(listed.items.map((i) => i.id), [a.id]);
  await ok(office.post('/api/v1/approvals/overdue-round'));
  const withProblem = await ok(office.get(`/api/v1/approvals/${a.id}`));
  assert.ok(withProblem.problem_id, 'a problem was raised');
  const p = await ok(office.get(`/api/v1/problems/${withProblem.problem_id}`));
  assert.equal(p.unit_id, zrzyUnit);
  assert.equal(p.project_id, project.id);
  assert.equal(p.category, 'approval');
  assert.match(p.title, new RegExp(item.name));
  // once only
  await ok(office.post('/api/v1/approvals/overdue-round'));
  const again = await ok(office.get(`/api/v1/problems?project=${project.id}&category=approval&per_page=100`));
  assert.equal(again.items.filter((x) => x.title.includes(item.name)).length, 1);
  // the dispatch agenda generated today lists it (a new problem on the project)
  const m = await office.post('/api/v1/dispatch/meetings', { date: TODAY, kind: 'special', title: '审批专题调度会' });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const ag = (await office.get(`/api/v1/dispatch/meetings/${m.body.id}/agenda`)).body;
  const agItems = Array.isArray(ag) ? ag : ag.items;
  assert.ok(agItems.some((x) => x.problem_id === withProblem.problem_id && x.title.includes(item.name)), JSON.stringify(agItems).slice(0, 500));
  // the department sees the problem assigned to it
  assert.equal((await zrzy.get(`/api/v1/problems/${withProblem.problem_id}`)).status, 200);
  assert.equal((await jinshan.post('/api/v1/approvals/overdue-round')).status, 403);
});

test('battle map: issuing an item gives the project\'s open node of its kind the actual date', async () => {
  const item = await newItem({ node_kind: 'topping_out', statutory_days: 10, promised_days: 3 });
  const projects = (await office.get('/api/v1/projects?per_page=500')).body.items;
  let target = null, node = null;
  for (const p of projects) {
    const nodes = (await office.get(`/api/v1/projects/${p.id}/nodes`)).body;
    const items = Array.isArray(nodes) ? nodes : nodes.items;
    node = (items || []).find((n) => n.kind === 'topping_out' && !n.actual_date);
    if (node) { target = p; break; }
  }
  assert.ok(target, 'a demo project with an open topping-out node');
  const a = await addTo(target, item);
  await run(a, addDays(TODAY, -3), addDays(TODAY, -3), addDays(TODAY, -2));
  const nodes = (await office.get(`/api/v1/projects/${target.id}/nodes`)).body;
  const after = (Array.isArray(nodes) ? nodes : nodes.items).find((n) => n.id === node.id);
  assert.equal(after.actual_date, addDays(TODAY, -2));
});

test('scope: a department sees the items it issues and its projects; other units and enterprises see nothing of them', async () => {
  const ours = await addTo(project, await newItem());
  const theirs = await addTo(project, await newItem({ unit_id: housingUnit }));
  // the issuing department (自然资源分局) reads its item on a 金山街道 project, not the other department's
  assert.equal((await zrzy.get(`/api/v1/approvals/${ours.id}`)).status, 200);
  assert.equal((await zrzy.get(`/api/v1/approvals/${theirs.id}`)).status, 404);
  const zl = await ok(zrzy.get(`/api/v1/approvals?project=${project.id}&per_page=500`));
  assert.ok(zl.items.some((i) => i.id === ours.id));
  assert.ok(zl.items.every((i) => i.unit_id === zrzyUnit));
  // the responsible unit reads both; another town and an enterprise read neither
  assert.equal((await jinshan.get(`/api/v1/approvals/${theirs.id}`)).status, 200);
  for (const c of [guihua, enterprise]) {
    assert.equal((await c.get(`/api/v1/approvals/${ours.id}`)).status, 404);
    assert.equal((await c.post(`/api/v1/approvals/${ours.id}/events`, { type: 'submit', date: TODAY })).status, 404);
    const l = await ok(c.get(`/api/v1/approvals?project=${project.id}`));
    assert.equal(l.total, 0);
  }
  assert.equal((await guihua.get(`/api/v1/projects/${project.id}/approvals`)).status, 403);
  // the enterprise sees its own project's records only (华巨新材料 in the demo)
  const own = await ok(enterprise.get('/api/v1/approvals?per_page=500'));
  assert.ok(own.total >= 4);
  assert.equal(new Set(own.items.map((i) => i.project_id)).size, 1);
  // the project side submits, the issuing department decides
  await ok(ev(jinshan, ours, 'submit', addDays(TODAY, -1)));
  assert.equal((await ev(jinshan, ours, 'accept', TODAY)).status, 403);
  assert.equal((await ev(zrzy, ours, 'accept', TODAY)).status, 200);
  assert.equal((await zrzy.post(`/api/v1/projects/${project.id}/approvals`, { item_id: (await newItem()).id })).status, 403);
  // statistics follow the same scope (the enterprise's own project had none in March 2024)
  const st = await ok(enterprise.get('/api/v1/approvals/stats?from=2024-03-01&to=2024-03-31'));
  assert.equal(st.items.length, 0);
});

test('agency agreement: signed per project; the agent sees the project and has a work list', async () => {
  const guihuaUser = (await guihua.get('/api/v1/me')).body.user;
  const bad = await office.put(`/api/v1/projects/${project.id}/approval-agreement`, { agent_name: '', signed_on: addDays(TODAY, 1) });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad).sort(), ['agent_name', 'signed_on']);
  const r = await office.put(`/api/v1/projects/${project.id}/approval-agreement`, {
    agent_user_id: guihuaUser.id, agent_name: guihuaUser.name, signed_on: addDays(TODAY, -30), scope: '立项至施工许可全流程代办',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const upd = await office.put(`/api/v1/projects/${project.id}/approval-agreement`, {
    agent_user_id: guihuaUser.id, agent_name: guihuaUser.name, signed_on: addDays(TODAY, -29), version: r.body.version,
  });
  assert.equal(upd.status, 200);
  assert.equal((await office.get(`/api/v1/projects/${project.id}/approval-agreement`)).body.signed_on, addDays(TODAY, -29));
  const a = await addTo(project, await newItem(), guihua);
  const work = await ok(guihua.get('/api/v1/approvals?mine=1&per_page=500'));
  assert.ok(work.items.some((i) => i.id === a.id));
  assert.ok(work.items.every((i) => i.state !== 'issued'));
  const board = await ok(guihua.get(`/api/v1/projects/${project.id}/approvals`));
  assert.equal(board.agreement.agent_user_id, guihuaUser.id);
  const csv = await guihua.get('/api/v1/approvals?mine=1&format=csv&columns=project_name:项目,item_name:事项,state_name:状态');
  assert.equal(csv.status, 200);
  assert.match(csv.body.toString(), /"项目","事项","状态"/);
});

test('demo: 飞山奇 11 approvals in 7 working days; 华巨新材料 four permits in 4 working days', async () => {
  const projects = (await office.get('/api/v1/projects?per_page=500')).body.items;
  const fsq = projects.find((p) => p.name.includes('飞山奇'));
  const hj = projects.find((p) => p.name.includes('华巨新材料'));
  const b1 = await ok(office.get(`/api/v1/projects/${fsq.id}/approvals`));
  assert.equal(b1.summary.issued, 11);
  assert.equal(b1.summary.span_working_days, 7);
  assert.equal(b1.summary.land_to_start_days, 7);
  assert.equal(b1.summary.text, '11项审批，7个工作日');
  assert.ok(b1.agreement);
  assert.ok(b1.items.some((i) => i.critical));
  const b2 = await ok(enterprise.get(`/api/v1/projects/${hj.id}/approvals`));
  assert.equal(b2.summary.issued, 4);
  assert.equal(b2.summary.span_working_days, 4);
  assert.equal(b2.summary.text, '4项审批，4个工作日');
  const stats = await ok(office.get(`/api/v1/approvals/stats?from=${addDays(TODAY, -200)}`));
  assert.ok(stats.items.length >= 11);
  assert.ok(stats.departments.length >= 3);
  assert.equal(stats.departments[0].rank, 1);
  assert.ok(stats.projects.some((p) => p.text === '11项审批，7个工作日'));
});
