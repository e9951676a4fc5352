// Monthly progress reports (进度填报): the submit → return → resubmit →
// approve cycle, data scope (an enterprise reports only on its own
// projects), every rejected input, photos (type by content, size limit,
// thumbnails), who has not reported, targets, the deadline setting and the
// XLSX monthly summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startServerAs, fields, newDatabase, guatu, TODAY, addDays, monthOf, assertRollups } from './lib.mjs';
import { periodFromNow, unitId, makeProject, makePng } from './reports_helpers.mjs';

let server, office, jinshan, guihua, huaju, leader, bank;
let jinshanUnit, huajuUnit, guihuaUnit;
const lastMonth = periodFromNow(-1);
const year = Number(lastMonth.slice(0, 4));

before(async () => {
  [server, office, jinshan, guihua, huaju, leader, bank] = await startServerAs('office', 'jinshan', 'guihua', 'enterprise', 'leader', 'bank');
  jinshanUnit = await unitId(office, '金山街道');
  guihuaUnit = await unitId(office, '桂花街道');
  huajuUnit = await unitId(office, '湖南华巨新材料有限公司');
});
after(async () => { await server?.stop(); });

test('submit → return → resubmit → approve', async () => {
  const p = await makeProject(office, { unit: jinshanUnit, year });
  let r = await jinshan.post(`/api/v1/projects/${p.id}/reports`, {
    period: lastMonth, investment: '1234.56万', image_progress: '主体结构施工至5层', percent: 40, problems: '电力接入待排期',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const rep = r.body;
  assert.equal(rep.state, 'submitted');
  assert.equal(rep.investment, '12345600.00');
  assert.equal(rep.period, lastMonth);
  assert.equal(rep.percent, 40);
  assert.equal(typeof rep.late, 'boolean');

  // a unit may not review
  r = await jinshan.post(`/api/v1/reports/${rep.id}/review`, { decision: 'approve' });
  assert.equal(r.status, 403);
  // returning needs a reason
  r = await office.post(`/api/v1/reports/${rep.id}/review`, { decision: 'return' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['reason']);
  r = await office.post(`/api/v1/reports/${rep.id}/review`, { decision: 'maybe' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['decision']);
  r = await office.post(`/api/v1/reports/${rep.id}/review`, { decision: 'return', reason: '投资额与形象进度不符' });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'returned');
  assert.equal(r.body.review_reason, '投资额与形象进度不符');
  // a returned report is not reviewable until resubmitted
  r = await office.post(`/api/v1/reports/${rep.id}/review`, { decision: 'approve' });
  assert.equal(r.status, 409);

  // correction needs the version read; a stale one is a conflict
  r = await jinshan.patch(`/api/v1/reports/${rep.id}`, { investment: '1000万' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['version']);
  r = await jinshan.patch(`/api/v1/reports/${rep.id}`, { investment: '1000万', version: 1 });
  assert.equal(r.status, 409);
  const cur = await jinshan.get(`/api/v1/reports/${rep.id}`);
  assert.equal(cur.headers.get('etag'), `"${cur.body.version}"`);
  r = await jinshan.patch(`/api/v1/reports/${rep.id}`, { investment: '1000万', image_progress: '主体结构施工至6层' },
    { 'If-Match': `"${cur.body.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'submitted');
  assert.equal(r.body.investment, '10000000.00');

  r = await office.post(`/api/v1/reports/${rep.id}/review`, { decision: 'approve' });
  assert.equal(r.status, 200);
  assert.equal(r.body.state, 'approved');
  assert.equal(r.body.reviewed_by_name, '李项目办');
  // approved is final
  r = await jinshan.patch(`/api/v1/reports/${rep.id}`, { investment: '1万', version: r.body.version });
  assert.equal(r.status, 409);
  r = await office.post(`/api/v1/reports/${rep.id}/review`, { decision: 'return', reason: 'x' });
  assert.equal(r.status, 409);

  // the project's history and the audit trail
  r = await office.get(`/api/v1/projects/${p.id}/reports`);
  assert.equal(r.body.total, 1);
  assert.equal(r.body.items[0].state, 'approved');
  r = await office.get(`/api/v1/reports?project=${p.id}&state=approved`);
  assert.equal(r.body.total, 1);
  r = await office.get(`/api/v1/audit?entity=report&entity_id=${rep.id}&per_page=50`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const trail = r.body.items.reverse();
  assert.deepEqual(trail.map((x) => x.action), ['create', 'return', 'resubmit', 'approve']);
  const [created, returned, resubmitted, approved] = trail;
  assert.equal(created.after.investment, '12345600.00');
  assert.equal(returned.before.state, 'submitted');
  assert.equal(returned.after.state, 'returned');
  assert.equal(returned.after.review_reason, '投资额与形象进度不符');
  assert.equal(resubmitted.before.investment, '12345600.00');
  assert.equal(resubmitted.after.investment, '10000000.00');
  assert.equal(approved.before.state, 'submitted');
  assert.equal(approved.after.state, 'approved');
  assert.equal(approved.after.investment, '10000000.00');
  assert.equal(approved.user_login, 'office');
  assertRollups(server); // the roll-ups kept with these writes agree with the facts
});

test('scope: an enterprise reports only on its own projects; units on theirs', async () => {
  const own = await makeProject(office, { unit: jinshanUnit, owner: huajuUnit, year });
  const other = await makeProject(office, { unit: jinshanUnit, year });
  let r = await huaju.post(`/api/v1/projects/${own.id}/reports`, { period: lastMonth, investment: 5000000 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  r = await huaju.post(`/api/v1/projects/${other.id}/reports`, { period: lastMonth, investment: 5000000 });
  assert.equal(r.status, 404);
  r = await guihua.post(`/api/v1/projects/${other.id}/reports`, { period: lastMonth, investment: 5000000 });
  assert.equal(r.status, 404);
  r = await leader.post(`/api/v1/projects/${other.id}/reports`, { period: lastMonth, investment: 5000000 });
  assert.equal(r.status, 403);
  r = await bank.get('/api/v1/reports');
  assert.equal(r.status, 403);
  // the enterprise sees its own report only; another unit does not see it
  r = await huaju.get('/api/v1/reports?per_page=500');
  assert.ok(r.body.items.length >= 1);
  assert.ok(r.body.items.every((x) => x.project_id !== other.id));
  assert.ok(r.body.items.some((x) => x.id === id));
  r = await guihua.get(`/api/v1/reports/${id}`);
  assert.equal(r.status, 404);
  r = await guihua.get(`/api/v1/reports?project=${own.id}`);
  assert.equal(r.body.total, 0);
  // the leader reads everything but changes nothing
  r = await leader.get(`/api/v1/reports/${id}`);
  assert.equal(r.status, 200);
  r = await leader.patch(`/api/v1/reports/${id}`, { investment: 1, version: 1 });
  assert.equal(r.status, 403);
  // unknown project
  r = await office.post('/api/v1/projects/99999999/reports', { period: lastMonth, investment: 1 });
  assert.equal(r.status, 404);
});

test('bad input: negative money, future period, percent, duplicates, junk', async () => {
  const p = await makeProject(office, { unit: guihuaUnit, year });
  const url = `/api/v1/projects/${p.id}/reports`;
  let r = await guihua.post(url, { period: lastMonth, investment: -5 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['investment']);
  r = await guihua.post(url, { period: lastMonth, investment: '-3万' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['investment']);
  r = await guihua.post(url, { period: periodFromNow(1), investment: 5 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['period']);
  r = await guihua.post(url, { period: '2026-13', investment: 5 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['period']);
  r = await guihua.post(url, { period: lastMonth, investment: 5, percent: 101 });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['percent']);
  r = await guihua.post(url, { period: lastMonth, investment: 5, percent: -1 });
  assert.equal(r.status, 422);
  r = await guihua.post(url, { period: lastMonth });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['investment']);
  r = await guihua.post(url, { period: lastMonth, investment: 'abc' });
  assert.equal(r.status, 422);
  r = await guihua.post(url, { period: lastMonth, investment: 5, colour: 'red' });
  assert.equal(r.status, 400);
  r = await guihua.post(url, { period: lastMonth, investment: '12.5' });
  assert.equal(r.status, 201);
  assert.equal(r.body.investment, '12.50');
  // last month's report is due on the 25th of this month (the deadline setting's default)
  const lastMonthLate = Number(TODAY.slice(8, 10)) > 25;
  assert.equal(r.body.late, lastMonthLate);
  // a second report for the same period
  r = await guihua.post(url, { period: lastMonth, investment: 7 });
  assert.equal(r.status, 409);
  // the current month may be reported (site staff report at month end), and is never late
  r = await guihua.post(url, { period: periodFromNow(0), investment: 7 });
  assert.equal(r.status, 201);
  assert.equal(r.body.late, false);
  // two months back the deadline (the 25th of last month) has passed: flagged late
  r = await guihua.post(url, { period: periodFromNow(-2), investment: 7 });
  assert.equal(r.status, 201);
  assert.equal(r.body.late, true);
  r = await office.get(`/api/v1/reports?project=${p.id}&late=1&sort=period`);
  assert.deepEqual(r.body.items.map((x) => x.period), [periodFromNow(-2), ...(lastMonthLate ? [lastMonth] : [])]);
  // list filters are checked too
  r = await office.get('/api/v1/reports?state=pending');
  assert.equal(r.status, 422);
  r = await office.get('/api/v1/reports?state=late');
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['period']);
});

test('photos: type by content, 415, 413, thumbnails, scope', async () => {
  const p = await makeProject(office, { unit: jinshanUnit, year });
  let r = await jinshan.post(`/api/v1/projects/${p.id}/reports`, { period: lastMonth, investment: '10万' });
  const id = r.body.id;
  const png = makePng(800, 600);
  r = await jinshan.post(`/api/v1/reports/${id}/photos`, png, { 'Content-Type': 'image/png', 'X-File-Name': 'site.png' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.mime, 'image/png');
  assert.equal(r.body.width, 800);
  assert.equal(r.body.height, 600);
  const att = r.body;
  // the header lies: the content decides
  r = await jinshan.post(`/api/v1/reports/${id}/photos`, png, { 'Content-Type': 'image/jpeg' });
  assert.equal(r.status, 201);
  assert.equal(r.body.mime, 'image/png');
  r = await jinshan.post(`/api/v1/reports/${id}/photos`, Buffer.from('this is not an image at all'), { 'Content-Type': 'image/jpeg' });
  assert.equal(r.status, 415);
  assert.match(r.body.title, /不支持.*\/ Unsupported/);
  r = await jinshan.post(`/api/v1/reports/${id}/photos`, Buffer.from('%PDF-1.4 fake'), { 'Content-Type': 'application/pdf' });
  assert.equal(r.status, 415);
  // a PNG signature with garbage after it cannot be decoded
  r = await jinshan.post(`/api/v1/reports/${id}/photos`, Buffer.concat([png.subarray(0, 8), Buffer.alloc(100, 7)]),
    { 'Content-Type': 'image/png' });
  assert.equal(r.status, 422);
  const big = Buffer.alloc(8 * 1024 * 1024 + 1, 0);
  big[0] = 0xff; big[1] = 0xd8; big[2] = 0xff;
  r = await jinshan.post(`/api/v1/reports/${id}/photos`, big, { 'Content-Type': 'image/jpeg' });
  assert.equal(r.status, 413);

  r = await office.get(att.url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.ok(Buffer.compare(r.body, png) === 0);
  r = await office.get(att.thumb_url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/jpeg');
  assert.equal(r.body[0], 0xff);
  assert.equal(r.body[1], 0xd8);
  assert.ok(r.body.length < png.length);
  // out of scope: another unit and the bank see nothing
  r = await guihua.get(att.url);
  assert.equal(r.status, 404);
  r = await bank.get(att.thumb_url);
  assert.equal(r.status, 404);
  // the report lists its photos
  r = await office.get(`/api/v1/reports/${id}`);
  assert.equal(r.body.photos.length, 2);
  assert.equal(r.body.photo_count, 2);
  // photos can be removed while not approved, not after
  r = await jinshan.del(`/api/v1/attachments/${r.body.photos[1].id}`);
  assert.equal(r.status, 204);
  await office.post(`/api/v1/reports/${id}/review`, { decision: 'approve' });
  r = await jinshan.del(att.url);
  assert.equal(r.status, 403);
  r = await jinshan.post(`/api/v1/reports/${id}/photos`, png, { 'Content-Type': 'image/png' });
  assert.equal(r.status, 409);
});

test('who has not reported, and projects by derived state', async () => {
  const p = await makeProject(office, { unit: guihuaUnit, year });
  let r = await office.get(`/api/v1/reports/missing?period=${lastMonth}`);
  assert.equal(r.status, 200);
  assert.ok(['due', 'late'].includes(r.body.state));
  let unit = r.body.items.find((u) => u.unit_id === guihuaUnit);
  assert.ok(unit.projects.some((x) => x.id === p.id));
  const missingBefore = unit.missing;
  r = await office.get(`/api/v1/reports?period=${lastMonth}&state=${r.body.state}&unit=${guihuaUnit}&per_page=500`);
  assert.ok(r.body.items.some((x) => x.project_id === p.id));
  // a unit sees only its own units in the list
  r = await jinshan.get(`/api/v1/reports/missing?period=${lastMonth}`);
  assert.ok(r.body.items.every((u) => u.unit_id !== guihuaUnit));

  await guihua.post(`/api/v1/projects/${p.id}/reports`, { period: lastMonth, investment: 1 });
  r = await office.get(`/api/v1/reports/missing?period=${lastMonth}`);
  unit = r.body.items.find((u) => u.unit_id === guihuaUnit);
  assert.equal(unit.missing, missingBefore - 1);
  assert.ok(!unit.projects.some((x) => x.id === p.id));
  // this month's reports are not due yet — until the month's last day, when they fall due
  const monthEnds = periodFromNow(0) !== monthOf(0, addDays(TODAY, 1));
  r = await office.get(`/api/v1/reports?period=${periodFromNow(0)}&state=${monthEnds ? 'due' : 'not_due'}&per_page=1`);
  assert.equal(r.status, 200);
  assert.ok(r.body.total > 0);
  r = await office.get(`/api/v1/reports?period=${periodFromNow(0)}&state=${monthEnds ? 'not_due' : 'due'}&per_page=1`);
  assert.equal(r.body.total, 0);
  r = await office.get(`/api/v1/reports?period=${periodFromNow(0)}&state=late&per_page=1`);
  assert.equal(r.body.total, 0);
  // XLSX of the per-unit list
  r = await office.get(`/api/v1/reports/missing?period=${lastMonth}&format=xlsx&columns=unit_name:单位,missing:未报,missing_names:未报项目`);
  assert.equal(r.status, 200);
  assert.equal(r.body.subarray(0, 2).toString(), 'PK');
});

test('deadline day and targets', async () => {
  let r = await office.get('/api/v1/reports/settings');
  assert.equal(r.body.deadline_day, 25);
  r = await office.put('/api/v1/reports/settings', { deadline_day: 29 });
  assert.equal(r.status, 422);
  r = await jinshan.put('/api/v1/reports/settings', { deadline_day: 20 });
  assert.equal(r.status, 403);
  r = await office.put('/api/v1/reports/settings', { deadline_day: 20 });
  assert.equal(r.status, 200);
  r = await office.get('/api/v1/reports/settings');
  assert.equal(r.body.deadline_day, 20);
  await office.put('/api/v1/reports/settings', { deadline_day: 25 });

  r = await office.get(`/api/v1/targets/${year}`); // the demo's year: that of the month being reported
  assert.equal(r.status, 200);
  assert.equal(r.body.start_target, 25);
  assert.equal(r.body.complete_target, 30);
  assert.equal(r.body.project_count, 131);
  assert.equal(r.body.investment_target, '12300000000.00');
  r = await office.put('/api/v1/targets/2031', { start_target: 10, complete_target: 12, project_count: 80, investment_target: '80亿' });
  assert.equal(r.status, 200);
  assert.equal(r.body.investment_target, '8000000000.00');
  assert.equal(r.body.version, 1);
  r = await office.put('/api/v1/targets/2031', { start_target: 11, complete_target: 12, project_count: 80, investment_target: '80亿', version: 7 });
  assert.equal(r.status, 409);
  r = await office.put('/api/v1/targets/2031', { start_target: -1, complete_target: 12, project_count: 80, investment_target: '80亿' });
  assert.equal(r.status, 422);
  assert.deepEqual(fields(r), ['start_target']);
  r = await office.put('/api/v1/targets/abc', { start_target: 1, complete_target: 1, project_count: 1, investment_target: 1 });
  assert.equal(r.status, 422);
  r = await leader.put('/api/v1/targets/2031', { start_target: 1, complete_target: 1, project_count: 1, investment_target: 1 });
  assert.equal(r.status, 403);
});

test('monthly summary: JSON totals and an XLSX that is well-formed', async () => {
  let r = await office.get(`/api/v1/reports/summary?period=${lastMonth}`);
  assert.equal(r.status, 200);
  const { items, totals } = r.body;
  assert.ok(items.length > 0);
  const sum = (k) => items.reduce((s, x) => s + BigInt(x[k].replace('.', '')), 0n);
  assert.equal(sum('ytd').toString(), totals.ytd.replace('.', '').replace(/^0+(?=\d)/, ''));
  assert.equal(sum('annual_plan').toString(), totals.annual_plan.replace('.', '').replace(/^0+(?=\d)/, ''));
  r = await office.get(`/api/v1/reports/summary?period=${lastMonth}&format=xlsx`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /attachment/);
  const dir = mkdtempSync(join(tmpdir(), 'guatu-xlsx-'));
  try {
    const f = join(dir, 's.xlsx');
    writeFileSync(f, r.body);
    const list = spawnSync('unzip', ['-Z1', f], { encoding: 'utf8' });
    assert.equal(list.status, 0);
    for (const part of list.stdout.split('\n').filter((x) => x.endsWith('.xml') || x.endsWith('.rels'))) {
      const x = spawnSync('unzip', ['-p', f, part.replace(/[[\]]/g, '\\$&')], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const lint = spawnSync('xmllint', ['--noout', '-'], { input: x.stdout, encoding: 'utf8' });
      assert.equal(lint.status, 0, `${part}: ${lint.stderr}`);
    }
    const strings = spawnSync('unzip', ['-p', f, 'xl/sharedStrings.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    for (const h of ['项目名称', '年度计划投资（万元）', '本月完成投资（万元）', '年度累计完成投资（万元）', '年度投资完成率（%）', '形象进度', '合计'])
      assert.ok(strings.includes(h), h);
    // LibreOffice (installed by scripts/install-deps.sh test) must open it and give back the totals row.
    {
      const lo = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`,
        '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, f], { encoding: 'utf8', timeout: 120000 });
      assert.equal(lo.status, 0, lo.stderr);
      assert.doesNotMatch(lo.stderr.replace(/Warning: failed to launch javaldx[^\n]*\n?/g, ''), /error|warning/i);
      const csv = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n');
      assert.match(csv[0], /^重点项目\d{4}年\d{1,2}月投资完成情况表/);
      assert.equal(csv.length, items.length + 3);
      assert.match(csv[csv.length - 1], new RegExp(`^合计,.*,${totals.rate},`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  r = await office.get('/api/v1/reports/summary?period=2026-1');
  assert.equal(r.status, 422);
});

test('the late flag at the deadline: the day before and the deadline day are on time, the day after is late', async () => {
  // One database; the server restarted with today pinned to each day in turn.
  const db = newDatabase();
  try {
    assert.equal(guatu(['demo', '--db', db.url], { env: { ...process.env, GUATU_TODAY: '2026-11-20' } }).status, 0);
    for (const [day, late, derived] of [['2026-11-24', false, 'due'], ['2026-11-25', false, 'due'], ['2026-11-26', true, 'late']]) {
      const s = await startServer({ db, env: { GUATU_TODAY: day } });
      try {
        const [o, g] = [await s.login('office'), await s.login('guihua')];
        const unit = await unitId(o, '桂花街道');
        const waiting = await makeProject(o, { unit, year: 2026 });
        // a project without its October report: due until the 25th, late after
        let r = await o.get(`/api/v1/reports?period=2026-10&state=${derived}&project=${waiting.id}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.total, 1, `${day}: ${derived}`);
        const p = await makeProject(o, { unit, year: 2026 });
        r = await g.post(`/api/v1/projects/${p.id}/reports`, { period: '2026-10', investment: '10万' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.late, late, `October report submitted on ${day}`);
        r = await o.get(`/api/v1/reports?project=${p.id}&late=1`);
        assert.equal(r.body.total, late ? 1 : 0, day);
      } finally {
        await s.stop({ keep: true });
      }
    }
  } finally {
    db.cleanup();
  }
});

test('review checks: a month far from the project\'s usual month, or above the annual plan, is flagged for the reviewer', async () => {
  const periods = [-4, -3, -2, -1].map((d) => periodFromNow(d));
  const years = [...new Set(periods.map((p) => p.slice(0, 4)))];
  const code = `CHK${process.pid}-${Date.now() % 100000}`;
  let r = await office.post('/api/v1/projects', {
    code, name: `核对项目${code}`, level: 'district', category: '产业项目', chain: '新材料', stage: 'construction',
    unit_id: jinshanUnit, total_investment: '5亿', annual_plan: Object.fromEntries(years.map((y) => [y, '1200万'])),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const pid = r.body.id;
  // three usual months of 100万 each, approved
  for (const period of periods.slice(0, 3)) {
    r = await jinshan.post(`/api/v1/projects/${pid}/reports`, { period, investment: '100万' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await office.post(`/api/v1/reports/${r.body.id}/review`, { decision: 'approve' });
    assert.equal(r.status, 200);
  }
  // "1250.5" with no unit is 1,250.50 元: ten thousand times too small
  r = await jinshan.post(`/api/v1/projects/${pid}/reports`, { period: periods[3], investment: '1250.5' });
  assert.equal(r.status, 201);
  const small = await office.get(`/api/v1/reports/${r.body.id}`);
  assert.equal(small.body.checks.usual_month, '1000000.00');
  assert.equal(small.body.checks.usual_samples, 3);
  assert.equal(small.body.checks.year_plan, '12000000.00');
  const sameYear = periods.slice(0, 3).filter((p) => p.slice(0, 4) === periods[3].slice(0, 4)).length;
  assert.equal(small.body.checks.year_approved, `${sameYear * 1000000}.00`);
  assert.deepEqual(small.body.checks.warnings.map((w) => w.code), ['far_from_usual']);
  assert.match(small.body.checks.warnings[0].message, /万元.* \/ .*far below/);

  // corrected to 1,250.5 万元: far above the usual month, and the year passes its plan of 1,200 万元
  r = await jinshan.patch(`/api/v1/reports/${small.body.id}`, { investment: '1250.5万', version: small.body.version });
  assert.equal(r.status, 200);
  const big = await office.get(`/api/v1/reports/${r.body.id}`);
  assert.deepEqual(big.body.checks.warnings.map((w) => w.code), ['far_from_usual', 'exceeds_plan']);
  assert.match(big.body.checks.warnings[0].message, /far above/);

  // an ordinary month raises nothing
  r = await jinshan.patch(`/api/v1/reports/${big.body.id}`, { investment: '120万', version: big.body.version });
  const ok = await office.get(`/api/v1/reports/${r.body.id}`);
  assert.deepEqual(ok.body.checks.warnings, []);

  // with fewer than three approved months there is no usual month to compare with
  const fresh = await makeProject(office, { unit: jinshanUnit, year: Number(periods[3].slice(0, 4)) });
  r = await jinshan.post(`/api/v1/projects/${fresh.id}/reports`, { period: periods[3], investment: '1' });
  const none = await office.get(`/api/v1/reports/${r.body.id}`);
  assert.equal(none.body.checks.usual_month, null);
  assert.deepEqual(none.body.checks.warnings, []);
});
