// Helpers of the land acquisition tests (land.test.mjs): a minimal XLSX
// writer (a zip of the XML parts), reading the text of an XLSX back, and
// valid GB 11643 ID numbers.
import assert from 'node:assert/strict';
import { zip, esc, colName } from './zip.mjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';


// rows: arrays of strings or numbers → an XLSX (inline strings)
export function xlsx(rows) {
  const sheetRows = rows.map((row, r) => `<row r="${r + 1}">${row.map((v, c) => {
    const ref = `${colName(c)}${r + 1}`;
    if (v === '' || v == null) return '';
    if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
    return `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  }).join('')}</row>`).join('');
  return zip({
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`,
  });
}

// Every XML part of an XLSX as one text.
export function unzipText(buf) {
  const dir = mkdtempSync(join(tmpdir(), 'guatu-land-'));
  try {
    const file = join(dir, 'x.xlsx');
    writeFileSync(file, buf);
    const r = spawnSync('unzip', ['-p', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, 'a valid zip');
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The text of a PDF (pdftotext).
export function pdfText(buf) {
  const dir = mkdtempSync(join(tmpdir(), 'guatu-land-'));
  try {
    const file = join(dir, 'x.pdf');
    writeFileSync(file, buf);
    const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A valid 18-digit ID number (GB 11643 check digit) from 17 digits.
export function idNumber(seventeen) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...seventeen].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return seventeen + '10X98765432'[sum % 11];
}
