// Helpers shared by the progress-report and dashboard API tests: a project
// made through the API, periods relative to the pinned TODAY, and small
// real images built in memory.
import zlib from 'node:zlib';
import { monthOf } from './lib.mjs';

/** "YYYY-MM" of today in China, shifted by `delta` months. */
export function periodFromNow(delta = 0) {
  return monthOf(delta);
}

export async function unitId(client, name) {
  const r = await client.get(`/api/v1/units?q=${encodeURIComponent(name)}&per_page=50`);
  const u = r.body.items.find((x) => x.name === name);
  if (!u) throw new Error(`no unit ${name}`);
  return u.id;
}

let seq = 0;
/** A construction-stage project with a plan for the period's year (office creates it). */
export async function makeProject(office, { unit, owner, plan = '1.2亿', year, chain = '新材料', name } = {}) {
  const code = `T${process.pid}-${Date.now() % 100000}-${seq++}`;
  const body = {
    code, name: name || `测试项目${code}`, level: 'district', category: '产业项目', chain, stage: 'construction',
    unit_id: unit, total_investment: '5亿', annual_plan: { [String(year)]: plan },
  };
  if (owner) body.owner_unit_id = owner;
  const r = await office.post('/api/v1/projects', body);
  if (r.status !== 201) throw new Error(`project create ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A real w×h RGB PNG (a colour gradient). */
export function makePng(w = 640, h = 480) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 255) / w; raw[o + 1] = (y * 255) / h; raw[o + 2] = 128;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Yuan string → fen as BigInt, for exact sums. */
export const fen = (s) => BigInt(String(s).replace('.', ''));
