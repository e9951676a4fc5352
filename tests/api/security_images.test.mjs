// Issue 13, finding 9 (the image half): an uploaded picture is judged by its
// header before a pixel is decoded.  More than 50 megapixels, or a picture
// that would decode to over a thousand times its file size (a decompression
// bomb such as 7000×7000 blank pixels in 140 KB), is refused with 422 and a
// message that says which; decodes run at most one per core at a time, so
// several uploads at once all get their answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { startServerAs } from './lib.mjs';
import { unitId } from './reports_helpers.mjs';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
// An RGB PNG of w×h; rows from row(y) (3w bytes each), or all black.
function png(w, h, row = null) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8 bits, RGB
  const black = Buffer.alloc(1 + 3 * w);
  const rows = [];
  for (let y = 0; y < h; y++) rows.push(row ? Buffer.concat([Buffer.from([0]), row(y)]) : black);
  const idat = zlib.deflateSync(Buffer.concat(rows), { level: 9 });
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

let server, office, problem;
before(async () => {
  [server, office] = await startServerAs('office');
  const unit = await unitId(office, '金山街道');
  const p = (await office.get('/api/v1/projects?per_page=500')).body.items.find((x) => x.unit_id === unit);
  const r = await office.post('/api/v1/problems', { project_id: p.id, category: 'utilities', title: '图片上传', description: '现场照片', unit_id: unit, deadline_days: 3 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  problem = r.body;
});
after(async () => { await server?.stop(); });

const upload = (bytes, name = 'site.png') => office.post(`/api/v1/problems/${problem.id}/attachments`, bytes, { 'X-File-Name': name });

test('a 7000×7000 blank PNG (a decompression bomb of about 140 KB) is refused with 422 before it is decoded', async () => {
  const bomb = png(7000, 7000);
  assert.ok(bomb.length < 300000, `the bomb is ${bomb.length} bytes`);
  const r = await upload(bomb, 'bomb.png');
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.match(r.body.detail, /解压炸弹/);
  assert.match(r.body.detail, /decompression bomb/);
  const list = (await office.get(`/api/v1/problems/${problem.id}`)).body.attachments;
  assert.ok(!list.some((a) => a.name === 'bomb.png'));
});

test('a picture whose header claims more than 50 megapixels is refused with 422 naming the limit', async () => {
  // a 10000×6000 header with one row of data: refused from the header alone
  const ihdr = png(1, 1);
  ihdr.writeUInt32BE(10000, 16);
  ihdr.writeUInt32BE(6000, 20);
  ihdr.writeUInt32BE(crc32(ihdr.subarray(12, 29)), 29);
  const r = await upload(ihdr, 'huge.png');
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.match(r.body.detail, /5000万像素/);
  assert.match(r.body.detail, /50 megapixels/);
});

test('a damaged picture is refused as damaged, not as too large', async () => {
  const broken = png(64, 64, () => randomBytes(192)).subarray(0, 60);
  const r = await upload(broken, 'broken.png');
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.match(r.body.detail, /damaged/);
});

test('a picture full of detail (noise) is accepted with its thumbnail', async () => {
  const photo = png(1200, 900, () => randomBytes(3600));
  const r = await upload(photo, 'photo.png');
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.width, 1200);
  const thumb = await office.get(r.body.thumb_url.replace(/^.*\/api\/v1/, '/api/v1'));
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
});

test('eight uploads at once, bombs among them, all get their answers: the photos 201, the bombs 422', async () => {
  const photo = png(800, 600, () => randomBytes(2400));
  const bomb = png(7000, 7000);
  const sends = [];
  for (let i = 0; i < 8; i++) sends.push(upload(i % 4 === 3 ? bomb : photo, `burst${i}.png`));
  const answers = await Promise.all(sends);
  assert.deepEqual(answers.map((r) => r.status), [201, 201, 201, 422, 201, 201, 201, 422]);
  const names = (await office.get(`/api/v1/problems/${problem.id}`)).body.attachments.map((a) => a.name);
  for (const i of [0, 1, 2, 4, 5, 6]) assert.ok(names.includes(`burst${i}.png`), `burst${i}`);
});
