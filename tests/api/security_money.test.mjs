// Issue 13, finding 1: every money input is bounded to ¥10 trillion (1e13
// yuan, MONEY_MAX_FEN in src/money.h) in one place, so no stored amount can
// overflow a total; larger amounts are refused with 422 naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServerAs, fields, TODAY } from './lib.mjs';
import { unitId, makeProject, periodFromNow } from './reports_helpers.mjs';

let server, office, jinshan, admin, U;
const year = Number(TODAY.slice(0, 4));
let seq = 0;
const body = (extra = {}) => {
  const code = `MONEY-${process.pid}-${seq++}`;
  return { code, name: `金额上限${code}`, level: 'district', category: '产业项目', chain: '新材料', stage: 'construction',
    unit_id: U, total_investment: '1亿', ...extra };
};

before(async () => {
  [server, office, jinshan, admin] = await startServerAs('office', 'jinshan', 'admin');
  U = await unitId(office, '金山街道');
});
after(async () => { await server?.stop(); });

test('amounts above 10 trillion yuan are refused with 422 on the field, in every spelling', async () => {
  for (const v of ['92233720368547758', '184467440737095517', '10000000000000.01', '100001亿', 10000000000001, 1e14, 92233720368547758]) {
    const r = await office.post('/api/v1/projects', body({ total_investment: v }));
    assert.equal(r.status, 422, `${v}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(fields(r), ['total_investment'], String(v));
    assert.match(r.body.errors[0].message, /10 trillion/);
  }
  // the maximum itself is accepted and comes back exact
  for (const v of ['10000000000000', '100000亿', 10000000000000]) {
    const r = await office.post('/api/v1/projects', body({ total_investment: v }));
    assert.equal(r.status, 201, `${v}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.total_investment, '10000000000000.00');
  }
});

test('a progress report cannot carry an amount that would overflow the dashboard', async () => {
  const p = await makeProject(office, { unit: U, year });
  const period = periodFromNow(-1);
  let r = await jinshan.post(`/api/v1/projects/${p.id}/reports`, { period, investment: '92233720368547758' });
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.deepEqual(fields(r), ['investment']);
  r = await jinshan.post(`/api/v1/projects/${p.id}/reports`, { period, investment: '10000000000000' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await office.get(`/api/v1/dashboard?year=${year}`);
  assert.equal(r.status, 200);
  assert.ok(!r.body.ytd_investment.startsWith('-'), r.body.ytd_investment);
});

test('a town cannot store a wrapping annual plan (92233720368547758 garbage, 184467440737095517 as 0.84 yuan)', async () => {
  const p = await makeProject(office, { unit: U, year });
  for (const v of ['92233720368547758', 184467440737095517, 92233720368547758, '10000000000000.01']) {
    const r = await jinshan.patch(`/api/v1/projects/${p.id}`, { annual_plan: { [String(year)]: v }, version: p.version });
    assert.equal(r.status, 422, `${v}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(fields(r), [`annual_plan.${year}`]);
    assert.match(r.body.errors[0].message, /10 trillion/);
  }
  const r = await jinshan.patch(`/api/v1/projects/${p.id}`, { annual_plan: { [String(year)]: '100000亿' }, version: p.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.annual_plan[String(year)], '10000000000000.00');
  const d = await office.get(`/api/v1/dashboard?year=${year}`);
  assert.equal(d.status, 200);
  assert.ok(BigInt(d.body.annual_plan.replace('.', '')) >= 1000000000000000n, d.body.annual_plan);
});

test('a custom money field is bounded by the same reader', async () => {
  let r = await admin.post('/api/v1/project-fields', { key: 'signed_big', label: '签约金额', type: 'money' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  for (const v of [184467440737095517, '92233720368547758', 1e14]) {
    r = await office.post('/api/v1/projects', body({ custom: { signed_big: v } }));
    assert.equal(r.status, 422, `${v}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(fields(r), ['custom.signed_big']);
    assert.match(r.body.errors[0].message, /10 trillion/);
  }
  r = await office.post('/api/v1/projects', body({ custom: { signed_big: 10000000000000 } }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.custom.signed_big, '10000000000000.00');
});
