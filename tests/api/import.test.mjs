// The Excel round trip of the project library: export → import changes
// nothing (XLSX and CSV), a hand-made workbook (shared and inline strings,
// numbers, written with a tiny zip writer here) creates and updates
// projects, every kind of bad row is reported with row, column and reason
// while nothing is written, and the same through the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zip, esc, colName } from './zip.mjs';
import { startServerAs, newDatabase, guatu, TODAY, assertRollups } from './lib.mjs';

const XLSX = { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
const CSV = { 'Content-Type': 'text/csv' };
const HEAD = ['项目编号', '项目名称', '项目级别', '项目类别', '产业链', '项目阶段', '总投资', '年度计划投资', '占地面积(亩)',
  '建设地点', '责任单位', '联系领导', '指挥部', '业主单位', '标签'];
const year = Number(TODAY.slice(0, 4));
let server, office, jinshan, dir;

// ---- a minimal XLSX writer: the four XML parts zipped (zip.mjs) ----
// rows: arrays of strings (shared strings) or numbers; every third string cell inline, to cover both
function xlsx(rows) {
  const shared = [];
  let k = 0;
  const sheetRows = rows.map((row, r) => `<row r="${r + 1}">${row.map((v, c) => {
    const ref = `${colName(c)}${r + 1}`;
    if (v === '' || v == null) return '';
    if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
    if (k++ % 3 === 2) return `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
    shared.push(v);
    return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`;
  }).join('')}</row>`).join('');
  return zip({
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="项目" sheetId="1" r:id="rId7"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/></Relationships>',
    'xl/sharedStrings.xml': `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${shared.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`,
    'xl/worksheets/data.xml': `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`,
  });
}
const csv = (rows) => rows.map((r) => r.map((v) => `"${String(v ?? '').replace(/"/g, '""')}"`).join(',')).join('\r\n');
const row = (o) => HEAD.map((h) => o[h] ?? '');

async function snapshot() {
  const r = await office.get('/api/v1/projects?per_page=500&sort=code');
  return r.body.items.map((p) => ({ ...p, light: undefined, light_reasons: undefined }));
}

before(async () => {
  [server, office, jinshan] = await startServerAs('office', 'jinshan');
  dir = mkdtempSync(join(tmpdir(), 'guatu-import-'));
});
after(async () => { await server?.stop(); rmSync(dir, { recursive: true, force: true }); });

test('export → import changes nothing (XLSX and CSV)', async () => {
  const before = await snapshot();
  for (const format of ['xlsx', 'csv']) {
    const ex = await office.get(`/api/v1/projects/export?format=${format}`);
    assert.equal(ex.status, 200);
    if (format === 'csv') assert.match(ex.body.toString(), /^\uFEFF"项目编号","项目名称","项目级别"/);
    const type = format === 'xlsx' ? XLSX : CSV;
    let r = await office.post('/api/v1/projects/import?dry_run=1', ex.body, type);
    assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 500));
    assert.equal(r.body.total, before.length);
    assert.equal(r.body.create, 0);
    assert.equal(r.body.update, 0);
    assert.equal(r.body.unchanged, before.length);
    assert.deepEqual(r.body.errors, []);
    assert.equal(r.body.rows.length, Math.min(200, before.length));
    r = await office.post('/api/v1/projects/import', ex.body, type);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { created: 0, updated: 0, unchanged: before.length });
  }
  assert.deepEqual(await snapshot(), before);
  const r = await jinshan.post('/api/v1/projects/import', Buffer.from('x'), CSV);
  assert.equal(r.status, 403);
});

test('a hand-made workbook creates and updates projects; money in written forms', async () => {
  const code = `IMP-${process.pid}`;
  const book = xlsx([HEAD, row({ 项目编号: code, 项目名称: '导入新建项目', 项目级别: '市重点', 项目类别: '产业项目', 产业链: '硬质材料',
    项目阶段: '前期', 总投资: '5亿', 年度计划投资: '12453万元', '占地面积(亩)': 40.5, 建设地点: '明照街道', 责任单位: '金山街道',
    联系领导: '王区长', 指挥部: '金山新城指挥部', 业主单位: '湖南华巨新材料有限公司', 标签: '省市重点、集中开工' })]);
  let r = await office.post('/api/v1/projects/import?dry_run=1', book, XLSX);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.create, 1);
  assert.equal(r.body.rows[0].action, 'create');
  assert.equal((await office.get(`/api/v1/projects?q=${code}`)).body.total, 0); // a dry run writes nothing
  r = await office.post('/api/v1/projects/import', book, XLSX);
  assert.deepEqual(r.body, { created: 1, updated: 0, unchanged: 0 });
  assertRollups(server); // the unit's dashboard figures are rebuilt once, at the end of the import
  let p = (await office.get(`/api/v1/projects?q=${code}`)).body.items[0];
  assert.equal(p.name, '导入新建项目');
  assert.equal(p.level, 'city');
  assert.equal(p.stage, 'preparation');
  assert.equal(p.total_investment, '500000000.00');
  assert.equal(p.annual_plan[String(year)], '124530000.00');
  assert.equal(p.land_area_mu, '40.50');
  assert.equal(p.unit_name, '金山街道');
  assert.equal(p.leader_name, '王区长');
  assert.equal(p.hq_name, '金山新城指挥部');
  assert.equal(p.owner_name, '湖南华巨新材料有限公司');
  assert.deepEqual(p.tags.sort(), ['省市重点', '集中开工'].sort());
  const hist = await office.get(`/api/v1/projects/${p.id}/history`);
  assert.equal(hist.body.items[0].action, 'create');
  // the same code again updates
  r = await office.post('/api/v1/projects/import', xlsx([HEAD, row({ 项目编号: code, 项目名称: '导入后改名', 项目级别: '区重点',
    项目类别: '产业项目', 项目阶段: '在建', 总投资: '3.66亿元', 责任单位: '金山街道' })]), XLSX);
  assert.deepEqual(r.body, { created: 0, updated: 1, unchanged: 0 });
  p = (await office.get(`/api/v1/projects/${p.id}`)).body;
  assert.equal(p.name, '导入后改名');
  assert.equal(p.total_investment, '366000000.00');
  assert.equal(p.version, 2);
  assertRollups(server);
});

test('bad rows are listed with row, column and reason, and nothing is written', async () => {
  const before = await snapshot();
  const ok = { 项目名称: '正常', 项目级别: '区重点', 项目类别: '产业项目', 项目阶段: '储备', 总投资: '1亿', 责任单位: '金山街道' };
  const rows = [HEAD,
    row({ ...ok, 项目编号: 'BAD-1', 总投资: '五亿元' }), // wrong money form (row 2)
    row({ ...ok, 项目编号: 'BAD-2', 责任单位: '不存在街道' }), // unknown unit (row 3)
    row({ ...ok, 项目编号: 'BAD-3' }),
    row({ ...ok, 项目编号: 'BAD-3' }), // duplicate code (row 5)
    row({ ...ok, 项目编号: 'BAD-4', 项目级别: '县重点', 项目阶段: '施工' }), // bad level and stage (row 6)
    row({ ...ok, 项目编号: before[0].code, 项目名称: '不应写入' }), // a valid update that must not be written
    row({ ...ok, 项目编号: 'BAD-5', 总投资: '-3亿' }), // negative total investment (row 8)
    row({ ...ok, 项目编号: 'BAD-6', 年度计划投资: '-500万' }), // negative annual plan (row 9)
  ];
  for (const [body, type] of [[xlsx(rows), XLSX], [Buffer.from(csv(rows)), CSV]]) {
    const r = await office.post('/api/v1/projects/import', body, type);
    assert.equal(r.status, 422, JSON.stringify(r.body));
    const errs = r.body.errors.map((e) => [e.row, e.column, e.field]);
    assert.deepEqual(errs, [[2, '总投资', 'total_investment'], [3, '责任单位', 'unit_id'], [5, '项目编号', 'code'],
      [6, '项目级别', 'level'], [6, '项目阶段', 'stage'], [8, '总投资', 'total_investment'], [9, '年度计划投资', 'annual_plan']]);
    assert.match(r.body.errors[5].message, /不能为负数：「-3亿」 \/ must not be negative/);
    assert.match(r.body.errors[6].message, /不能为负数：「-500万」 \/ must not be negative/);
    assert.match(r.body.errors[0].message, /金额格式无法识别.*\/ unrecognised amount/);
    assert.match(r.body.errors[1].message, /不存在街道/);
    assert.match(r.body.errors[2].message, /第4行/);
  }
  // missing required column
  const noUnit = [HEAD.filter((h) => h !== '责任单位'), ['BAD-9', '缺列', '区重点', '产业项目', '', '储备']];
  let r = await office.post('/api/v1/projects/import', Buffer.from(csv(noUnit)), CSV);
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors[0], { row: 1, column: '责任单位', field: 'unit_id', message: r.body.errors[0].message });
  assert.match(r.body.errors[0].message, /缺少必需的列「责任单位」/);
  // not a spreadsheet at all
  r = await office.post('/api/v1/projects/import', Buffer.from('PK\x03\x04garbage'), XLSX);
  assert.equal(r.status, 400);
  assert.deepEqual(await snapshot(), before);
});

test('command line: guatu import / export projects', async () => {
  const db = newDatabase();
  try {
    assert.equal(guatu(['demo', '--db', db.url]).status, 0);
    const out = join(dir, 'p.xlsx');
    let r = guatu(['export', 'projects', '--format', 'xlsx', '--out', out, '--db', db.url]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /exported \d+ projects/);
    r = guatu(['import', 'projects', out, '--db', db.url]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /created 0, updated 0, unchanged \d+/);
    const outCsv = join(dir, 'p.csv');
    assert.equal(guatu(['export', 'projects', '--format', 'csv', '--out', outCsv, '--db', db.url]).status, 0);
    const text = readFileSync(outCsv, 'utf8');
    const lines = text.split('\r\n');
    // break row 3's total investment: exit 1, the row named, nothing written
    lines[2] = lines[2].replace(/^("[^"]*","[^"]*","[^"]*","[^"]*","[^"]*","[^"]*",)"[^"]*"/, '$1"12亿万"');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, lines.join('\r\n'));
    r = guatu(['import', 'projects', bad, '--db', db.url]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /第3行 row 3, 总投资: 金额格式无法识别/);
    assert.match(r.stderr, /nothing was written/);
    assert.equal(guatu(['export', 'projects', '--format', 'csv', '--out', join(dir, 'again.csv'), '--db', db.url]).status, 0);
    assert.equal(readFileSync(join(dir, 'again.csv'), 'utf8'), text);
    r = guatu(['export', 'projects', '--format', 'pdf', '--out', out, '--db', db.url]);
    assert.equal(r.status, 2);
  } finally {
    db.cleanup();
  }
});

test('command line: options go before, between or after the positional arguments', async () => {
  const db = newDatabase();
  try {
    assert.equal(guatu(['demo', '--db', db.url]).status, 0);
    const file = join(dir, 'order.csv');
    let r = guatu(['export', '--db', db.url, 'projects', '--out', file, '--format', 'csv']);
    assert.equal(r.status, 0, r.stderr);
    for (const args of [
      ['import', 'projects', '--db', db.url, file],
      ['import', 'projects', file, '--db', db.url],
      ['import', '--db', db.url, 'projects', file],
      ['import', `--db=${db.url}`, 'projects', file],
    ]) {
      r = guatu(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /created 0, updated 0, unchanged \d+/, args.join(' '));
    }
    // A flag takes no value: the file after --dry-run stays the file.
    r = guatu(['import', 'projects', '--dry-run', file, '--db', db.url]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^dry run: /);
    // Values that look like options stay values; the positional still missing is still a usage error.
    r = guatu(['calendar', '--db', db.url, 'add', '--days', '-1', '--from', '2022-10-08']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '2022-09-30');
    r = guatu(['import', 'projects', '--db', db.url]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /usage: guatu import projects FILE/);
  } finally {
    db.cleanup();
  }
});
