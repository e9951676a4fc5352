// The weekly dispatch report over a generated district (`guatu gen --scale
// district`: 28 lead units with problems, 500 problems, 108 of them overdue):
// the spreadsheet keeps every row, the PDF names the busiest 20 units and
// the 100 longest overdue problems and sums the rest in one row, and the
// figures on paper add up to the spreadsheet's (issue 21).  The dataset's
// "today" is fixed by `guatu gen` at 2026-11-15 (its reports run to
// 2026-10), so the report is made on that day for its week, 2026-W46,
// whatever the suite's pinned date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guatu, newDatabase } from './lib.mjs';

const GEN_DAY = '2026-11-15';
const WEEK = '2026-W46';
const env = { ...process.env, GUATU_TODAY: GEN_DAY };
let db, tmp, pdf, sheets;

/** The rows of sheet n of an XLSX file, as arrays of cell values (shared strings resolved). */
function sheetRows(file, n) {
  const unzip = (m) => spawnSync('unzip', ['-p', file, m], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
  const sst = [...unzip('xl/sharedStrings.xml').matchAll(/<si><t[^>]*>([^<]*)<\/t><\/si>/g)].map((m) => m[1]);
  return [...unzip(`xl/worksheets/sheet${n}.xml`).matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((m) => [...m[1].matchAll(/<c ([^>]*?)(?:\/>|>(?:<v>([^<]*)<\/v>)?<\/c>)/g)]
    .map((c) => (/ t="s"/.test(` ${c[1]}`) ? sst[Number(c[2])] : c[2])));
}
/** A table's data rows: those after its header row (first cell `head`). */
const dataRows = (rows, head) => rows.slice(rows.findIndex((r) => r[0] === head) + 1);

before(() => {
  db = newDatabase();
  tmp = mkdtempSync(join(tmpdir(), 'guatu-weekly-scale-'));
  let r = guatu(['gen', '--scale', 'district', '--db', db.url], { env });
  assert.equal(r.status, 0, r.stderr);
  for (const format of ['pdf', 'xlsx']) {
    r = guatu(['report', 'weekly', '--week', WEEK, '--format', format, '--out', join(tmp, `w.${format}`), '--db', db.url], { env });
    assert.equal(r.status, 0, r.stderr);
  }
  const t = spawnSync('pdftotext', ['-layout', join(tmp, 'w.pdf'), '-'], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  pdf = t.stdout;
  // 2 主要指标, 3 红黄灯项目, 4 逾期节点, 5 问题按状态, 6 问题按单位, 7 超期问题
  sheets = Object.fromEntries([2, 3, 4, 5, 6, 7].map((n) => [n, sheetRows(join(tmp, 'w.xlsx'), n)]));
});
after(() => {
  db?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const kpi = (label) => Number(sheets[2].find((r) => r[0] === label)?.[1]);

test('weekly report at scale: the spreadsheet lists every lead unit, and their problems add up to the KPI total', () => {
  const units = dataRows(sheets[6], '牵头单位');
  assert.ok(units.length > 20, `the generated district has more than 20 lead units (${units.length})`);
  assert.equal(units.reduce((s, r) => s + Number(r[1]), 0), kpi('累计交办问题（个）'));
  assert.equal(units.reduce((s, r) => s + Number(r[2]), 0), kpi('在办问题（个）'));
  assert.equal(units.reduce((s, r) => s + Number(r[3]), 0), kpi('超期问题（个）'));
  assert.equal(units.reduce((s, r) => s + Number(r[5]), 0), kpi('累计办结问题（个）'));
  // busiest first, ties by name
  for (let i = 1; i < units.length; i++) assert.ok(Number(units[i - 1][1]) >= Number(units[i][1]), `row ${i} sorted`);
  // the state table sums to the same total
  const states = dataRows(sheets[5], '状态').filter((r) => r[0] !== '合计');
  assert.equal(states.reduce((s, r) => s + Number(r[1]), 0), kpi('累计交办问题（个）'));
});

test('weekly report at scale: the PDF names the 20 busiest units and sums the others in one row, then the total', () => {
  const units = dataRows(sheets[6], '牵头单位');
  assert.match(pdf, /五、问题办理情况（按牵头单位）（前20位）/);
  const flat = pdf.replace(/[ \t]+/g, ' ');
  // the 20 named, in the spreadsheet's order
  let at = flat.indexOf('五、问题办理情况');
  for (const u of units.slice(0, 20)) {
    const i = flat.indexOf(`${u[0]} ${u[1]} ${u[2]} ${u[3]}`, at);
    assert.ok(i > at, `${u[0]} listed with its figures, in order`);
    at = i;
  }
  // the 21st is not
  assert.ok(!flat.slice(flat.indexOf('五、问题办理情况'), flat.indexOf('六、超期问题清单')).includes(`${units[20][0]} ${units[20][1]}`));
  const rest = units.slice(20);
  const sum = (rows, c) => rows.reduce((s, r) => s + Number(r[c]), 0);
  const m = new RegExp(`其余 ${rest.length} 个单位 (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)`).exec(flat);
  assert.ok(m, 'a row for the other units');
  assert.deepEqual(m.slice(1).map(Number), [1, 2, 3, 4, 5].map((c) => sum(rest, c)));
  const total = new RegExp(`其余 ${rest.length} 个单位[^\\n]*\\n+ ?合计 (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)`).exec(flat);
  assert.ok(total, 'the total after it');
  assert.deepEqual(total.slice(1).map(Number), [1, 2, 3, 4, 5].map((c) => sum(units, c)));
  assert.equal(Number(total[1]), kpi('累计交办问题（个）'));
});

test('weekly report at scale: the PDF lists the 100 longest overdue problems and counts the rest; the spreadsheet has each one', () => {
  const overdue = kpi('超期问题（个）');
  assert.ok(overdue > 100, `the generated district has more than 100 overdue problems (${overdue})`);
  const rows = dataRows(sheets[7], '序号');
  assert.equal(rows.length, Math.min(300, overdue));
  assert.match(pdf, /六、超期问题清单（超期最久的100个）/);
  const flat = pdf.replace(/\s+/g, '');
  assert.ok(flat.includes(`其余${overdue - 100}个超期问题`), 'the row for the rest');
  // numbered 1…100 on paper: the 100th row is there, the 101st is not
  const section = pdf.slice(pdf.indexOf('六、超期问题清单'), pdf.indexOf('七、上次调度会决定落实情况'));
  const numbers = [...section.matchAll(/^ *(\d+) {2,}/gm)].map((x) => Number(x[1]));
  assert.equal(Math.max(...numbers), 100);
  // lists of 100 or fewer are printed whole, with no row for the rest
  const nodes = kpi('逾期未完成节点（个）');
  assert.ok(nodes <= 100);
  assert.match(pdf, /三、逾期未完成节点\s*\n/);
  assert.ok(!flat.includes('个逾期节点，'), 'no row for other overdue nodes');
  assert.equal(dataRows(sheets[4], '序号').length, nodes);
});

test('weekly report at scale: --timings names each step with its wall and CPU time on stderr, and writes the same document', () => {
  const out = join(tmp, 'timed.pdf');
  const r = guatu(['report', 'weekly', '--week', WEEK, '--format', 'pdf', '--out', out, '--db', db.url, '--timings'], { env });
  assert.equal(r.status, 0, r.stderr);
  const steps = [...r.stderr.matchAll(/^(.+?) +wall +(\d+\.\d{3}) s +cpu +(\d+\.\d{3}) s$/gm)].map((m) => m[1]);
  for (const step of ['open and migrate', 'projects and lights', 'problems', 'overdue nodes', 'overdue problems', 'PDF layout and output', 'file written'])
    assert.ok(steps.includes(step), `${step} timed (${steps.join(', ')})`);
  const t = spawnSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
  assert.equal(t.stdout, pdf);
  // without the flag, nothing on stderr
  const quiet = guatu(['report', 'weekly', '--week', WEEK, '--format', 'xlsx', '--out', join(tmp, 'q.xlsx'), '--db', db.url], { env });
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stderr, '');
});
