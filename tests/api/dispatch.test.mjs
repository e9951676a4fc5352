// dispatch.test.mjs — dispatch meetings (调度会): the generated agenda (red projects, nodes
// overdue or due this week, problems overdue or escalated, problems new since the last
// meeting), editing it, decisions that create a problem or move a node in the same
// transaction, roles; and the weekly dispatch report (调度周报) as PDF (text checked with
// pdftotext: Chinese headings and the right counts) and XLSX (unzipped, sheet XML read
// back), over the API and from the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, guatu, fields, TODAY, addDays } from './lib.mjs';

let server, office, jinshan, leader, enterprise, tmp;
let jinshanUnit, project;
before(async () => {
  server = await startServer();
  [office, jinshan, leader, enterprise] = await Promise.all(['office', 'jinshan', 'leader', 'enterprise'].map((w) => server.login(w)));
  jinshanUnit = (await jinshan.get('/api/v1/me')).body.user.unit_id;
  const list = await office.get('/api/v1/projects?per_page=500');
  project = list.body.items.find((p) => p.unit_id === jinshanUnit && ['construction', 'preparation'].includes(p.stage));
  assert.ok(project);
  tmp = mkdtempSync(join(tmpdir(), 'guatu-dispatch-'));
});
after(async () => { await server?.stop(); rmSync(tmp, { recursive: true, force: true }); });

// Today in China (the server's calendar day), from the calendar endpoint's own arithmetic.
async function chinaToday() {
  const p = await office.post('/api/v1/problems', { project_id: project.id, category: 'other', title: '取今天', unit_id: jinshanUnit });
  return p.body.raised_on;
}
function isoWeek(day) {
  const d = new Date(`${day}T00:00:00Z`);
  const wd = (d.getUTCDay() + 6) % 7; // Monday 0
  const thu = new Date(d.getTime() + (3 - wd) * 86400000);
  const y = thu.getUTCFullYear();
  const week = Math.floor((thu - Date.UTC(y, 0, 1)) / 86400000 / 7) + 1;
  return `${y}-W${String(week).padStart(2, '0')}`;
}
function pdfText(buf, layout = true) {
  const f = join(tmp, `r${Math.random()}.pdf`);
  writeFileSync(f, buf);
  const r = spawnSync('pdftotext', [...(layout ? ['-layout'] : []), f, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
function unzip(buf, member) {
  const f = join(tmp, `x${Math.random()}.xlsx`);
  writeFileSync(f, buf);
  const r = spawnSync('unzip', ['-p', f, member], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('meetings: roles and validation', async () => {
  assert.equal((await jinshan.post('/api/v1/dispatch/meetings', { date: '2026-01-05' })).status, 403);
  assert.equal((await enterprise.get('/api/v1/dispatch/meetings')).status, 403);
  assert.equal((await jinshan.get('/api/v1/dispatch/meetings')).status, 200, 'units read the meetings');
  let r = await office.post('/api/v1/dispatch/meetings', { kind: 'special' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r).sort(), ['date', 'title']);
  r = await office.post('/api/v1/dispatch/meetings', { date: '2026-02-30' });
  assert.equal(r.status, 422);
  r = await office.post('/api/v1/dispatch/meetings', { date: '2026-02-03', when: 'x' });
  assert.equal(r.status, 400);
  // the demo has three past weekly meetings with decisions
  const list = await office.get('/api/v1/dispatch/meetings?kind=weekly');
  assert.ok(list.body.total >= 3);
  assert.ok(list.body.items.every((m) => m.kind === 'weekly'));
  assert.ok(list.body.items.some((m) => m.decision_count > 0));
});

test('a weekly meeting: agenda generated, edited, minuted with decisions', async () => {
  const today = await chinaToday();
  // a problem raised today must appear as new since the last meeting
  const fresh = await office.post('/api/v1/problems', { project_id: project.id, category: 'land', title: '调度会新问题', unit_id: jinshanUnit });
  assert.equal(fresh.status, 201);
  const m = await office.post('/api/v1/dispatch/meetings', { date: today, chair: '王区长', attendees: '各责任单位', location: '区政府三楼会议室' });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  assert.match(m.body.title, /年第\d+周重点项目调度会/);
  const kinds = new Set(m.body.agenda.map((i) => i.kind));
  for (const k of ['red_project', 'node', 'problem_new']) assert.ok(kinds.has(k), `agenda has ${k}`);
  assert.ok(kinds.has('problem_overdue') || kinds.has('problem_escalated'));
  const newItem = m.body.agenda.find((i) => i.problem_id === fresh.body.id);
  assert.ok(newItem, 'the fresh problem is on the agenda');
  assert.equal(newItem.kind, 'problem_new');
  // every overdue or escalated open problem is there (up to the section cap)
  const od = await office.get('/api/v1/problems?overdue=1&per_page=500');
  const onAgenda = new Set(m.body.agenda.filter((i) => i.problem_id).map((i) => i.problem_id));
  const missing = od.body.items.filter((p) => !onAgenda.has(p.id));
  assert.ok(od.body.total > 30 || missing.length === 0, 'overdue problems listed');
  const red = m.body.agenda.find((i) => i.kind === 'red_project');
  assert.match(red.title, /^红灯项目：/);
  assert.ok(red.detail.length > 5, 'with a reason');

  // edit: add a custom item, annotate, remove one
  const id = m.body.id;
  let r = await office.post(`/api/v1/dispatch/meetings/${id}/agenda`, { title: '专题：三一片区征拆攻坚', project_id: project.id, notes: '会前准备材料' });
  assert.equal(r.status, 201);
  const custom = r.body.agenda.find((i) => i.kind === 'custom');
  assert.equal(custom.title, '专题：三一片区征拆攻坚');
  assert.equal((await office.post(`/api/v1/dispatch/meetings/${id}/agenda`, { title: '' })).status, 422);
  r = await office.patch(`/api/v1/dispatch/meetings/${id}/agenda/${red.id}`, { notes: '责任单位作表态发言' });
  assert.equal(r.status, 200);
  assert.equal(r.body.agenda.find((i) => i.id === red.id).notes, '责任单位作表态发言');
  const drop = m.body.agenda.find((i) => i.kind === 'problem_new' && i.id !== newItem.id) || m.body.agenda.at(-1);
  r = await office.patch(`/api/v1/dispatch/meetings/${id}/agenda/${drop.id}`, { removed: true });
  assert.equal(r.status, 200);
  const ag = await office.get(`/api/v1/dispatch/meetings/${id}/agenda`);
  assert.ok(!ag.body.items.some((i) => i.id === drop.id), 'removed items leave the agenda');
  assert.equal((await office.patch(`/api/v1/dispatch/meetings/999999/agenda/${drop.id}`, { notes: 'x' })).status, 404);

  // decisions: a new assigned problem, in one transaction with the decision
  r = await office.post(`/api/v1/dispatch/meetings/${id}/decisions`, { item_id: red.id, kind: 'problem', text: '由金山街道牵头，5个工作日内完成征拆扫尾' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['unit_id']);
  const before = (await jinshan.get('/api/v1/notifications/unread-count')).body.count;
  r = await office.post(`/api/v1/dispatch/meetings/${id}/decisions`, {
    item_id: red.id, kind: 'problem', text: '由金山街道牵头，5个工作日内完成征拆扫尾', unit_id: jinshanUnit,
    category: 'demolition', deadline_days: 5, title: '征拆扫尾（调度会交办）',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.ok(r.body.problem_id);
  assert.equal(r.body.status, 'in_progress');
  const prob = await office.get(`/api/v1/problems/${r.body.problem_id}`);
  assert.equal(prob.body.meeting_id, id, 'linked back to the meeting');
  assert.equal(prob.body.project_id, red.project_id);
  assert.equal(prob.body.deadline_days, 5);
  assert.equal(prob.body.unit_id, jinshanUnit);
  assert.equal((await jinshan.get('/api/v1/notifications/unread-count')).body.count, before + 1);

  // a node change: the node gets its new planned date
  const nodeItem = m.body.agenda.find((i) => i.kind === 'node');
  r = await office.post(`/api/v1/dispatch/meetings/${id}/decisions`, { item_id: nodeItem.id, kind: 'node', text: '倒排工期' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['new_date']);
  r = await office.post(`/api/v1/dispatch/meetings/${id}/decisions`, { item_id: nodeItem.id, kind: 'node', text: '倒排工期，月底前完成', new_date: '2030-06-30' });
  assert.equal(r.status, 201);
  assert.equal(r.body.node_id, nodeItem.node_id);
  assert.equal(r.body.new_date, '2030-06-30');
  assert.ok(r.body.old_date);
  const nodes = await office.get(`/api/v1/projects/${nodeItem.project_id}/nodes`);
  const n = (nodes.body.items || nodes.body).find((x) => x.id === nodeItem.node_id);
  assert.equal(n.planned_date, '2030-06-30');
  // a problem decided about an overdue node is linked to that node (and a node of another project is refused)
  r = await office.post(`/api/v1/dispatch/meetings/${id}/decisions`, {
    item_id: nodeItem.id, kind: 'problem', text: '节点滞后，责任单位三日内拿出赶工方案', unit_id: jinshanUnit, category: 'demolition',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const nodeProb = await office.get(`/api/v1/problems/${r.body.problem_id}`);
  assert.equal(nodeProb.body.node_id, nodeItem.node_id, 'the problem is about the agenda item’s node');
  assert.equal(nodeProb.body.project_id, nodeItem.project_id);
  const other = m.body.agenda.find((i) => i.kind === 'node' && i.project_id !== red.project_id);
  assert.ok(other, 'the demo agenda has an overdue node of another project than the red one');
  r = await office.post(`/api/v1/dispatch/meetings/${id}/decisions`, {
    item_id: red.id, kind: 'problem', text: 'x', unit_id: jinshanUnit, category: 'demolition', node_id: other.node_id,
  });
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.deepEqual(fields(r), ['node_id']);
  assert.match(r.body.errors[0].message, /[\u4e00-\u9fff].* \/ [A-Za-z]/, 'in Chinese and English');
  // an item with decisions cannot be removed; the meeting is now held
  assert.equal((await office.patch(`/api/v1/dispatch/meetings/${id}/agenda/${red.id}`, { removed: true })).status, 409);
  const full = await office.get(`/api/v1/dispatch/meetings/${id}`);
  assert.equal(full.body.state, 'held');
  assert.equal(full.body.decisions.length, 3);
  assert.equal(full.body.agenda.find((i) => i.id === red.id).decisions.length, 1);
  assert.equal((await jinshan.post(`/api/v1/dispatch/meetings/${id}/decisions`, { kind: 'node', text: 'x' })).status, 403);

  // PATCH with optimistic concurrency; regenerate keeps items with decisions
  r = await office.patch(`/api/v1/dispatch/meetings/${id}`, { notes: '会议纪要：……', version: full.body.version });
  assert.equal(r.status, 200);
  assert.equal((await office.patch(`/api/v1/dispatch/meetings/${id}`, { notes: 'stale', version: full.body.version })).status, 409);
  r = await office.patch(`/api/v1/dispatch/meetings/${id}`, { regenerate: true });
  assert.equal(r.status, 200);
  assert.ok(r.body.agenda.some((i) => i.id === red.id), 'decided items survive regeneration');
  assert.ok(r.body.agenda.some((i) => i.kind === 'custom'));
});

test('weekly report: PDF with Chinese headings and the right counts', async () => {
  const today = await chinaToday();
  const week = isoWeek(today);
  const res = await leader.get(`/api/v1/reports/weekly?week=${week}&format=pdf`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/pdf/);
  assert.equal(res.body.subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(res.body);
  for (const h of ['重点项目调度周报', '本周概况', '一、主要指标', '二、红黄灯项目', '三、逾期未完成节点', '四、问题办理情况（按状态）',
    '五、问题办理情况（按牵头单位）', '六、超期问题清单', '七、上次调度会决定落实情况', '图：各牵头单位问题办理情况']) {
    assert.ok(text.includes(h), `has ${h}`);
  }
  assert.match(text, /第\s*1\s*页\s*\/\s*共\s*\d+\s*页/);
  // the counts agree with the API
  const all = (await office.get('/api/v1/problems?per_page=1')).body.total;
  const closed = (await office.get('/api/v1/problems?per_page=1&state=closed')).body.total;
  const overdue = (await office.get('/api/v1/problems?per_page=1&overdue=1')).body.total;
  const num = (label) => Number(new RegExp(`${label}\\s+(\\d+)`).exec(text)?.[1]);
  assert.equal(num('累计交办问题（个）'), all);
  assert.equal(num('累计办结问题（个）'), closed);
  assert.equal(num('在办问题（个）'), all - closed);
  assert.equal(num('超期问题（个）'), overdue);
  const projects = (await office.get('/api/v1/projects?per_page=500')).body.items.filter((p) => ['construction', 'preparation'].includes(p.stage));
  assert.equal(num('调度项目数（个）'), projects.length);
  // the summary repeats them
  assert.match(text.replace(/\s+/g, ''), new RegExp(`在办问题${all - closed}个`));
  // and the decisions of the last meeting (the one held this week in the test above, or a demo one)
  assert.match(text, /倒排工期|限期解决|征拆扫尾/);
});

test('weekly report: XLSX carries the same tables', async () => {
  const today = await chinaToday();
  const res = await office.get(`/api/v1/reports/weekly?week=${isoWeek(today)}&format=xlsx`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition'), /weekly-\d{4}-W\d{2}\.xlsx/);
  const wb = unzip(res.body, 'xl/workbook.xml');
  for (const s of ['周报概况', '主要指标', '红黄灯项目', '逾期节点', '问题按状态', '问题按单位', '超期问题', '调度决定'])
    assert.ok(wb.includes(`name="${s}"`), `sheet ${s}`);
  const strings = unzip(res.body, 'xl/sharedStrings.xml');
  for (const s of ['在办问题（个）', '牵头单位', '落实情况', '重点项目调度周报']) assert.ok(strings.includes(s), s);
  // the KPI sheet: "在办问题（个）" row holds the same number as the API
  const all = (await office.get('/api/v1/problems?per_page=1')).body.total;
  const closed = (await office.get('/api/v1/problems?per_page=1&state=closed')).body.total;
  const sst = [...strings.matchAll(/<si><t[^>]*>([^<]*)<\/t><\/si>/g)].map((m) => m[1]);
  const sheet = unzip(res.body, 'xl/worksheets/sheet2.xml');
  const rows = [...sheet.matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((m) => [...m[1].matchAll(/<c ([^>]*?)(?:\/>|>(?:<v>([^<]*)<\/v>)?<\/c>)/g)]
    .map((c) => (/ t="s"/.test(` ${c[1]}`) ? sst[Number(c[2])] : c[2])));
  const row = rows.find((r) => r[0] === '在办问题（个）');
  assert.ok(row, 'KPI row present');
  assert.equal(Number(row[1]), all - closed);
});

test('weekly report: /api/v1/dispatch/weekly and its first path /api/v1/reports/weekly answer the same', async () => {
  const members = (buf) => {
    const f = join(tmp, `m${Math.random()}.xlsx`);
    writeFileSync(f, buf);
    const names = spawnSync('unzip', ['-Z1', f], { encoding: 'utf8' }).stdout.trim().split('\n');
    rmSync(f);
    return names;
  };
  // cairo stamps each PDF with the second it was made
  const pdfNoDate = (buf) => buf.toString('latin1').replace(/\/CreationDate \(D:[^)]*\)/g, '');
  const today = await chinaToday();
  for (const q of ['week=2022-W39&format=pdf', 'week=2022-W39&format=xlsx', `week=${isoWeek(today)}`, `week=${isoWeek(today)}&format=xlsx`]) {
    const [a, b] = await Promise.all([office.get(`/api/v1/dispatch/weekly?${q}`), office.get(`/api/v1/reports/weekly?${q}`)]);
    assert.equal(a.status, 200, q);
    assert.equal(b.status, a.status, q);
    for (const h of ['content-type', 'content-disposition', 'content-length'])
      assert.equal(b.headers.get(h), a.headers.get(h), `${h} of ${q}`);
    if (/xlsx/.test(q)) {
      const names = members(a.body);
      assert.deepEqual(members(b.body), names, q);
      assert.ok(names.includes('xl/workbook.xml'));
      // every part but the workbook's creation time
      for (const n of names.filter((x) => x !== 'docProps/core.xml')) {
        const m = n.replace('[', '[[]'); // unzip takes the member as a pattern
        assert.equal(unzip(b.body, m), unzip(a.body, m), `${n} of ${q}`);
      }
    } else {
      assert.equal(a.body.subarray(0, 5).toString(), '%PDF-');
      assert.equal(pdfNoDate(b.body), pdfNoDate(a.body), q);
    }
  }
  for (const q of ['week=2022-39', 'week=2099-W01', 'format=doc']) {
    const [a, b] = await Promise.all([office.get(`/api/v1/dispatch/weekly?${q}`), office.get(`/api/v1/reports/weekly?${q}`)]);
    assert.equal(a.status, 422, q);
    assert.equal(b.status, 422, q);
    assert.deepEqual(b.body, a.body, q);
  }
  assert.equal((await enterprise.get('/api/v1/dispatch/weekly')).status, 403);
  assert.equal((await enterprise.get('/api/v1/reports/weekly')).status, 403);
});

test('weekly report: week checks, a past week, and the command line', async () => {
  for (const w of ['2022-39', '2022-W54', 'W39', '2021-W53']) {
    const r = await office.get(`/api/v1/reports/weekly?week=${w}`);
    assert.equal(r.status, 422, w);
    assert.deepEqual(fields(r), ['week']);
  }
  assert.equal((await office.get('/api/v1/reports/weekly?week=2099-W01')).status, 422, 'future');
  assert.equal((await office.get('/api/v1/reports/weekly?format=doc')).status, 422);
  assert.equal((await enterprise.get('/api/v1/reports/weekly')).status, 403);
  // 2022-W39 (the week before 国庆): no problems then; the report still renders
  const old = await office.get('/api/v1/reports/weekly?week=2022-W39&format=pdf');
  assert.equal(old.status, 200);
  const t = pdfText(old.body);
  assert.match(t, /2022年第39期（第39周，2022-09-26 至 2022-10-02）/);
  assert.match(t, /累计交办问题（个）\s+0/);
  // the CLI writes the same document
  const out = join(tmp, 'cli.pdf');
  const r = guatu(['report', 'weekly', '--week', '2022-W39', '--format', 'pdf', '--out', out, '--db', server.db.url]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(out).subarray(0, 5).toString(), '%PDF-');
  assert.match(pdfText(readFileSync(out)), /一、主要指标/);
  const x = join(tmp, 'cli.xlsx');
  assert.equal(guatu(['report', 'weekly', '--week', '2022-W39', '--format', 'xlsx', '--out', x, '--db', server.db.url]).status, 0);
  assert.ok(unzip(readFileSync(x), 'xl/workbook.xml').includes('name="调度决定"'));
  assert.equal(guatu(['report', 'weekly', '--week', 'nope', '--out', x, '--db', server.db.url]).status, 2);
  assert.equal(guatu(['report', 'monthly', '--out', x]).status, 2);
});

/** The sheet's rows as arrays of cell values (shared strings resolved). */
function sheetRows(xlsx, n) {
  const strings = unzip(xlsx, 'xl/sharedStrings.xml');
  const sst = [...strings.matchAll(/<si><t[^>]*>([^<]*)<\/t><\/si>/g)].map((m) => m[1]);
  const sheet = unzip(xlsx, `xl/worksheets/sheet${n}.xml`);
  return [...sheet.matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((m) => [...m[1].matchAll(/<c ([^>]*?)(?:\/>|>(?:<v>([^<]*)<\/v>)?<\/c>)/g)]
    .map((c) => (/ t="s"/.test(` ${c[1]}`) ? sst[Number(c[2])] : c[2])));
}

test('weekly report: a past week states the facts as of its Sunday, the same after later changes', async () => {
  const day = addDays(TODAY, -14);
  const week = isoWeek(day);
  const get = async () => {
    const res = await office.get(`/api/v1/reports/weekly?week=${week}&format=xlsx`);
    assert.equal(res.status, 200);
    // 1 概况 (the summary's text), 2 主要指标, 3 红黄灯项目, 4 逾期节点
    return { summary: sheetRows(res.body, 1)[2], kpi: sheetRows(res.body, 2), reds: sheetRows(res.body, 3), nodes: sheetRows(res.body, 4) };
  };
  const before = await get();
  const count = (label) => Number(before.kpi.find((r) => r[0] === label)?.[1]);
  assert.ok(count('调度项目数（个）') > 0);

  // after the week: a new project under construction with this year's plan and an approved January report,
  const sunday = addDays(day, 6 - ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
  const year = sunday.slice(0, 4);
  const code = `ASOF${process.pid}`;
  let r = await office.post('/api/v1/projects', {
    code, name: `周报之后新建${code}`, level: 'district', category: '产业项目', chain: '新材料', stage: 'construction',
    unit_id: jinshanUnit, total_investment: '5亿', annual_plan: { [year]: '8000万' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const created = r.body;
  // with a node planned before that week's Sunday and still open (overdue then, had the project existed),
  r = await office.post(`/api/v1/projects/${created.id}/nodes`, { name: `周报之后新建节点${code}`, kind: 'other', planned_date: addDays(day, -3) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await office.post(`/api/v1/projects/${created.id}/reports`, { period: `${year}-01`, investment: '300万' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal((await office.post(`/api/v1/reports/${r.body.id}/review`, { decision: 'approve' })).status, 200);
  // a scheduled project completed, with its plan raised
  const list = (await office.get('/api/v1/projects?per_page=500&sort=code')).body.items;
  const done = list.reverse().find((p) => p.stage === 'construction' && p.id !== project.id && p.unit_id !== jinshanUnit);
  assert.ok(done);
  const cur = await office.get(`/api/v1/projects/${done.id}`);
  r = await office.patch(`/api/v1/projects/${done.id}`, { stage: 'completed', annual_plan: { ...cur.body.annual_plan, [year]: '9亿' } },
    { 'If-Match': `"${cur.body.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // and one of that week's overdue nodes completed
  const after = await get();
  assert.deepEqual(after.kpi, before.kpi);
  assert.deepEqual(after.summary, before.summary);
  assert.deepEqual(after.reds, before.reds);
  assert.deepEqual(after.nodes, before.nodes);

  // this week's report does count them, and lists the new project's overdue node
  const thisWeek = (await office.get(`/api/v1/reports/weekly?week=${isoWeek(TODAY)}&format=xlsx`)).body;
  assert.ok(sheetRows(thisWeek, 4).some((x) => x[2] === `周报之后新建节点${code}`), 'the node is overdue this week');
  const now = sheetRows(thisWeek, 2);
  const scheduled = (await office.get('/api/v1/projects?per_page=500')).body.items.filter((p) => ['construction', 'preparation'].includes(p.stage));
  assert.equal(Number(now.find((x) => x[0] === '调度项目数（个）')[1]), scheduled.length);
});

test('weekly report as an official document: issue number, issuing office and date on the masthead, the 报/送/发 distribution, page numbers', async () => {
  const day = addDays(TODAY, -7);
  const week = isoWeek(day);
  const n = Number(week.slice(6));
  const res = await office.get(`/api/v1/reports/weekly?week=${week}&format=pdf`);
  assert.equal(res.status, 200);
  const text = pdfText(res.body).replace(/[ \t]+/g, ' ');
  assert.match(text, new RegExp(`${week.slice(0, 4)}年第${n}期（第${n}周，`));
  const sunday = addDays(day, 6 - ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
  const [y, m, d] = sunday.split('-').map(Number);
  assert.match(text, new RegExp(`重点项目建设指挥部办公室 ?${y}年${m}月${d}日`));
  assert.match(text, /报：[^\n]*主要领导/);
  assert.match(text, /送：[^\n]*成员单位/);
  assert.match(text, /发：[^\n]*责任单位/);
  assert.match(text, new RegExp(`${y}年${m}月${d}日印发`));
  assert.match(text, /第 ?1 ?页 ?\/ ?共 ?\d+ ?页/);
  // the spreadsheet carries the same distribution
  const xlsx = await office.get(`/api/v1/reports/weekly?week=${week}&format=xlsx`);
  const sheet1 = sheetRows(xlsx.body, 1).flat().join('\n');
  assert.match(sheet1, /报：.*\n送：.*\n发：/);
  assert.match(sheet1, new RegExp(`第${n}期`));
});
