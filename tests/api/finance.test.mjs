// finance.test.mjs — financing (银企对接 · 担保费补贴 · 贷款贴息 · 争资引项): enterprises' needs,
// banks' credit and loans, exact sums to the fen over many odd amounts, the subsidy rule with its
// rounding (half up to the fen) and cap per enterprise per year, the review flow (approve, return
// with reason, resubmit, pay), funds seeking with its statistics, scope (a bank never sees another
// bank's credit or loans, an enterprise only its own needs), masking and audited reveals, and the
// demo's seed figures. Every date is derived from TODAY.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fields, TODAY, addDays } from './lib.mjs';

const YEAR = Number(TODAY.slice(0, 4));
// fen ⇄ money strings, exactly (BigInt)
const fen = (s) => { const [y, f = ''] = String(s).split('.'); return BigInt(y) * 100n + BigInt((f + '00').slice(0, 2)); };
const money = (f) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;

let server, office, admin, leader, bank, icbc, huaju, entA, entB, jinshan;
let entAUnit, entBUnit, bankUnit, icbcUnit;
const PW = 'Finance-Test-2026!';
before(async () => {
  server = await startServer();
  [office, admin, leader, bank, huaju, jinshan] = await Promise.all(
    ['office', 'admin', 'leader', 'bank', 'enterprise', 'jinshan'].map((w) => server.login(w)));
  icbc = await server.login(['icbc', 'bank1234']);
  bankUnit = (await bank.get('/api/v1/me')).body.user.unit_id;
  icbcUnit = (await icbc.get('/api/v1/me')).body.user.unit_id;
  const district = (await office.get(`/api/v1/units?q=${encodeURIComponent('荷塘区')}&per_page=100`)).body.items.find((u) => u.name === '荷塘区');
  // two enterprises of the test's own, with a login each
  const mk = async (name, login) => {
    const u = await admin.post('/api/v1/units', { name, kind: 'enterprise', parent_id: district.id });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    const r = await admin.post('/api/v1/users', { login, password: PW, name: `${name}财务`, unit_id: u.body.id, roles: ['enterprise'] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return [u.body.id, await server.login([login, PW])];
  };
  [entAUnit, entA] = await mk('测试融资企业甲有限公司', 'fin_ent_a');
  [entBUnit, entB] = await mk('测试融资企业乙有限公司', 'fin_ent_b');
});
after(async () => { await server?.stop(); });

async function need(c, body = {}) {
  const r = await c.post('/api/v1/financing-needs', { amount: '300万', term_months: 12, purpose: '购置设备', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function loan(c, n, body = {}) {
  const r = await c.post(`/api/v1/financing-needs/${n.id}/loans`, { amount: '100万', disbursed_on: TODAY, term_months: 12, ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const stats = async (c, year = YEAR) => (await c.get(`/api/v1/financing/stats?year=${year}`)).body;

test('needs: an enterprise posts its own need; the contact phone is masked in answers and lists', async () => {
  const n = await need(entA, { amount: '1234567.89', purpose: '技术改造', collateral: '厂房抵押', rate_max: '4.35',
    contact_name: '甲会计', contact_phone: '13912345678' });
  assert.equal(n.enterprise_id, entAUnit);
  assert.equal(n.enterprise_name, '测试融资企业甲有限公司');
  assert.equal(n.amount, '1234567.89');
  assert.equal(n.rate_max, '4.35');
  assert.equal(n.state, 'open');
  assert.equal(n.contact_phone, '139****5678');
  const list = await office.get('/api/v1/financing-needs?q=' + encodeURIComponent('测试融资企业甲'));
  assert.ok(list.body.items.some((x) => x.id === n.id && x.contact_phone === '139****5678'));
  const xlsx = await office.get('/api/v1/financing-needs?format=xlsx');
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
});

test('needs: bad input is refused with bilingual field errors naming each field', async () => {
  const bad = await entA.post('/api/v1/financing-needs', { amount: 0, term_months: 0, purpose: '', contact_phone: '12345', rate_max: '4.355' });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad).sort(), ['amount', 'contact_phone', 'purpose', 'rate_max', 'term_months']);
  for (const e of bad.body.errors) assert.match(e.message, /[\u4e00-\u9fff].* \/ [A-Za-z]/);
  // an enterprise posts only for itself; the office must name an enterprise unit
  const other = await entA.post('/api/v1/financing-needs', { enterprise_id: entBUnit, amount: 100, term_months: 6, purpose: '周转' });
  assert.deepEqual(fields(other), ['enterprise_id']);
  const notEnt = await office.post('/api/v1/financing-needs', { enterprise_id: bankUnit, amount: 100, term_months: 6, purpose: '周转' });
  assert.deepEqual(fields(notEnt), ['enterprise_id']);
  const unknown = await office.post('/api/v1/financing-needs', { enterprise_id: entAUnit, amount: 100, term_months: 6, purpose: 'x', extra: 1 });
  assert.equal(unknown.status, 400);
  const n = await need(office, { enterprise_id: entBUnit });
  assert.equal(n.enterprise_id, entBUnit);
});

test('scope: an enterprise sees and changes only its own needs', async () => {
  const a = await need(entA);
  const b = await need(entB);
  const listA = (await entA.get('/api/v1/financing-needs?per_page=500')).body.items;
  assert.ok(listA.length > 0 && listA.every((x) => x.enterprise_id === entAUnit));
  assert.equal((await entA.get(`/api/v1/financing-needs/${b.id}`)).status, 404);
  assert.equal((await entA.patch(`/api/v1/financing-needs/${b.id}`, { purpose: '篡改' })).status, 404);
  assert.equal((await entB.get(`/api/v1/financing-needs/${a.id}`)).status, 404);
  // its own need: changed with the version it read; a stale version is a conflict
  const got = await entA.get(`/api/v1/financing-needs/${a.id}`);
  assert.equal(got.headers.get('etag'), '"1"');
  const ok = await entA.patch(`/api/v1/financing-needs/${a.id}`, { purpose: '补充流动资金' }, { 'If-Match': '"1"' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.version, 2);
  const stale = await entA.patch(`/api/v1/financing-needs/${a.id}`, { purpose: '再改' }, { 'If-Match': '"1"' });
  assert.equal(stale.status, 409);
  // a unit of the district (not a reader of financing) and the enterprise writing credit: refused
  assert.equal((await jinshan.get('/api/v1/financing-needs')).status, 403);
  assert.equal((await entA.post(`/api/v1/financing-needs/${a.id}/credits`, { amount: 1, granted_on: TODAY, rate: 4 })).status, 403);
  assert.equal((await office.post(`/api/v1/financing-needs/${a.id}/loans`, { amount: 1, disbursed_on: TODAY, term_months: 1 })).status, 403);
});

test('scope: a bank sees every open need but never another bank\'s credit or loans', async () => {
  const n = await need(entB, { amount: '800万' });
  // both banks see the open need on the market
  assert.ok((await icbc.get('/api/v1/financing-needs?state=open&per_page=500')).body.items.some((x) => x.id === n.id));
  const c1 = await bank.post(`/api/v1/financing-needs/${n.id}/credits`, { amount: '500万', granted_on: TODAY, rate: 3.85 });
  assert.equal(c1.status, 201, JSON.stringify(c1.body));
  assert.equal(c1.body.rate, '3.85');
  await loan(bank, n, { amount: '300万' });
  const c2 = await icbc.post(`/api/v1/financing-needs/${n.id}/credits`, { amount: '200万', granted_on: TODAY, rate: '4.10' });
  assert.equal(c2.status, 201);
  // one need, two banks: each sees only its own records; the office and the enterprise see both
  const seenBy = async (c) => (await c.get(`/api/v1/financing-needs/${n.id}`)).body;
  const nb = await seenBy(bank), ni = await seenBy(icbc), no = await seenBy(office), ne = await seenBy(entB);
  assert.deepEqual(nb.credits.map((x) => x.bank_id), [bankUnit]);
  assert.equal(nb.loans.length, 1);
  assert.deepEqual(ni.credits.map((x) => x.bank_id), [icbcUnit]);
  assert.equal(ni.loans.length, 0);
  assert.equal(no.credits.length, 2);
  assert.equal(ne.credits.length, 2);
  assert.equal(no.banks_credit, 2);
  // the loans list and the statistics follow the same rule
  const li = (await icbc.get('/api/v1/financing-loans?per_page=500')).body.items;
  assert.ok(li.every((x) => x.bank_id === icbcUnit));
  const si = await stats(icbc);
  assert.deepEqual(si.by_bank.map((b) => b.unit_id), [icbcUnit]);
  // once the need is closed it leaves the market: a bank that did not serve it no longer sees it
  const m = await need(entB);
  assert.equal((await entB.patch(`/api/v1/financing-needs/${m.id}`, { state: 'closed' })).status, 200);
  assert.equal((await icbc.get(`/api/v1/financing-needs/${m.id}`)).status, 404);
  assert.equal((await icbc.post(`/api/v1/financing-needs/${m.id}/loans`, { amount: 1, disbursed_on: TODAY, term_months: 1 })).status, 404);
  await entB.patch(`/api/v1/financing-needs/${n.id}`, { state: 'closed' });
  assert.equal((await icbc.get(`/api/v1/financing-needs/${n.id}`)).status, 200, 'served needs stay visible to their banks');
});

test('credit and loans: validated — positive amount, date not after today, rate with two decimals', async () => {
  const n = await need(entA);
  const bad = await bank.post(`/api/v1/financing-needs/${n.id}/credits`, { amount: -5, granted_on: addDays(TODAY, 1), rate: 101 });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad).sort(), ['amount', 'granted_on', 'rate']);
  const bad2 = await bank.post(`/api/v1/financing-needs/${n.id}/loans`, { amount: '1.234', disbursed_on: '2026-02-30', term_months: 0 });
  assert.deepEqual(fields(bad2).sort(), ['amount', 'disbursed_on', 'term_months']);
});

test('contacts: a bank reveals the full phone, the reveal is audited; a leader may not reveal', async () => {
  const n = await need(entA, { contact_name: '甲出纳', contact_phone: '13700001111' });
  const r = await bank.get(`/api/v1/financing-needs/${n.id}?reveal=1`);
  assert.equal(r.status, 200);
  assert.equal(r.body.contact_phone, '13700001111');
  const audit = await admin.get(`/api/v1/audit?entity=fin_need&entity_id=${n.id}&action=read`);
  assert.equal(audit.body.items.length, 1);
  assert.equal((await leader.get(`/api/v1/financing-needs/${n.id}?reveal=1`)).status, 403);
  assert.equal((await leader.get(`/api/v1/financing-needs/${n.id}`)).body.contact_phone, '137****1111');
});

test('statistics: sums of many odd amounts are exact to the fen, per bank and in total', async () => {
  const before = await stats(office), bankBefore = await stats(bank);
  const amounts = [];
  let sum = 0n;
  for (let i = 0; i < 37; i++) amounts.push(money(123456789n + BigInt(i) * 1001n + 7n)); // ¥1,234,567.96 …
  const needs = [await need(entA), await need(entB)];
  for (let i = 0; i < amounts.length; i++) {
    await loan(bank, needs[i % 2], { amount: amounts[i] });
    sum += fen(amounts[i]);
  }
  const cr = await bank.post(`/api/v1/financing-needs/${needs[0].id}/credits`, { amount: '0.03', granted_on: TODAY, rate: 4 });
  assert.equal(cr.status, 201);
  const after = await stats(office), bankAfter = await stats(bank);
  assert.equal(fen(after.loans_amount) - fen(before.loans_amount), sum);
  assert.equal(fen(after.credit_amount) - fen(before.credit_amount), 3n);
  assert.equal(after.loans_count - before.loans_count, 37);
  const row = (s) => s.by_bank.find((b) => b.unit_id === bankUnit);
  assert.equal(fen(row(after).loans_amount) - fen(row(before).loans_amount), sum);
  assert.equal(fen(bankAfter.loans_amount) - fen(bankBefore.loans_amount), sum);
  const month = TODAY.slice(0, 7);
  const m = (s) => fen(s.by_month.find((x) => x.month === month).loans_amount);
  assert.equal(m(after) - m(before), sum);
  // the enterprise's own statistics: exactly its own loans
  const mine = await stats(entA);
  const mineSum = (await entA.get('/api/v1/financing-loans?per_page=500')).body.items.reduce((t, x) => t + fen(x.amount), 0n);
  assert.equal(fen(mine.loans_amount), mineSum);
  assert.equal(mine.enterprises_with_loans, 1);
  // a year without records
  const empty = await stats(office, YEAR - 5);
  assert.equal(empty.loans_amount, '0.00');
  assert.equal(empty.enterprises_with_loans, 0);
});

test('subsidy rule: set by the administrator only; the amount is share × fee rounded half up, cut to the yearly cap', async () => {
  assert.equal((await office.put('/api/v1/subsidy-rules/guarantee', { share: '33.33', cap: '1000' })).status, 403);
  const bad = await admin.put('/api/v1/subsidy-rules/guarantee', { share: '120', cap: -1 });
  assert.deepEqual(fields(bad).sort(), ['cap', 'share']);
  const set = await admin.put('/api/v1/subsidy-rules/guarantee', { share: '33.33', cap: '1000' });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.share, '33.33');
  assert.equal(set.body.cap, '1000.00');
  const n = await need(entA);
  const l1 = await loan(bank, n), l2 = await loan(icbc, n), l3 = await loan(bank, n);
  // 33.33 % of 1.50 = 0.49995 → 0.50 (half up)
  let r = await entA.post('/api/v1/subsidies', { kind: 'guarantee', loan_id: l1.id, base: '1.50' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.applied, '0.50');
  assert.equal(r.body.state, 'applied');
  // 33.33 % of 3000.03 = 999.9099… → 999.91, but only 999.50 is left of the 1000.00 cap
  r = await entA.post('/api/v1/subsidies', { kind: 'guarantee', loan_id: l2.id, base: '3000.03' });
  assert.equal(r.body.applied, '999.50');
  // the cap is used up: nothing more this year
  r = await entA.post('/api/v1/subsidies', { kind: 'guarantee', loan_id: l3.id, base: '100' });
  assert.equal(r.body.applied, '0.00');
  // one application per loan, kind and year; only one's own loans
  const dup = await entA.post('/api/v1/subsidies', { kind: 'guarantee', loan_id: l1.id, base: '1' });
  assert.deepEqual(fields(dup), ['loan_id']);
  const foreign = await entB.post('/api/v1/subsidies', { kind: 'guarantee', loan_id: l1.id, base: '1' });
  assert.deepEqual(fields(foreign), ['loan_id']);
  // the other enterprise has its own cap
  const m = await need(entB);
  const lb = await loan(bank, m);
  r = await entB.post('/api/v1/subsidies', { kind: 'guarantee', loan_id: lb.id, base: '3000.03' });
  assert.equal(r.body.applied, '999.91');
  const rules = (await entA.get('/api/v1/subsidy-rules')).body.items;
  assert.equal(rules.find((x) => x.kind === 'guarantee').share, '33.33');
});

test('subsidy review: return needs a reason, the enterprise resubmits, the office approves and pays with a record', async () => {
  const set = await admin.put('/api/v1/subsidy-rules/interest', { share: 50, cap: '100000' });
  assert.equal(set.status, 200);
  const n = await need(entB);
  const l = await loan(bank, n, { amount: '500万' });
  const app = (await entB.post('/api/v1/subsidies', { kind: 'interest', loan_id: l.id, base: '12345.67', batch: `${YEAR}年测试批` })).body;
  assert.equal(app.applied, '6172.84'); // 6172.835 → 6172.84
  const ev = (c, body, h) => c.post(`/api/v1/subsidies/${app.id}/events`, { date: TODAY, ...body }, h);
  // the enterprise cannot review its own application
  assert.equal((await ev(entB, { event: 'approve' })).status, 403);
  const noReason = await ev(office, { event: 'return' });
  assert.equal(noReason.status, 422);
  assert.deepEqual(fields(noReason), ['reason']);
  const future = await ev(office, { event: 'return', reason: '缺少付息凭证', date: addDays(TODAY, 1) });
  assert.deepEqual(fields(future), ['date']);
  const ret = await ev(office, { event: 'return', reason: '缺少付息凭证' });
  assert.equal(ret.status, 200, JSON.stringify(ret.body));
  assert.equal(ret.body.state, 'returned');
  assert.equal(ret.body.return_reason, '缺少付息凭证');
  assert.equal((await ev(office, { event: 'approve' })).status, 409);
  // resubmitted with the corrected interest: the amount is computed again
  const re = await ev(entB, { event: 'resubmit', base: '12000.01' });
  assert.equal(re.status, 200, JSON.stringify(re.body));
  assert.equal(re.body.applied, '6000.01'); // 6000.005 → 6000.01
  // approving more than the rule gives is refused; a stale version conflicts
  const over = await ev(office, { event: 'approve', amount: '6000.02' });
  assert.deepEqual(fields(over), ['amount']);
  assert.equal((await ev(office, { event: 'approve' }, { 'If-Match': '"1"' })).status, 409);
  const ok = await ev(office, { event: 'approve', amount: '6000.00' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.approved, '6000.00');
  const wrongPay = await ev(office, { event: 'pay', amount: '6000.01', voucher: 'CZ-1' });
  assert.deepEqual(fields(wrongPay), ['amount']);
  const noVoucher = await ev(office, { event: 'pay', amount: '6000.00' });
  assert.deepEqual(fields(noVoucher), ['voucher']);
  const paid = await ev(office, { event: 'pay', amount: '6000.00', voucher: 'CZ-1' });
  assert.equal(paid.status, 200);
  assert.equal(paid.body.state, 'paid');
  assert.equal(paid.body.paid, '6000.00');
  assert.deepEqual(paid.body.events.map((e) => e.type), ['apply', 'return', 'resubmit', 'approve', 'pay']);
  assert.equal((await ev(office, { event: 'pay', amount: '6000.00', voucher: 'CZ-2' })).status, 409);
  // the review queue and the statistics
  const queue = (await office.get(`/api/v1/subsidies?batch=${encodeURIComponent(`${YEAR}年测试批`)}`)).body.items;
  assert.deepEqual(queue.map((x) => x.id), [app.id]);
  const s = await stats(entB);
  assert.equal(s.subsidies.interest.paid, '6000.00');
  assert.equal(s.subsidies.interest.approved, '6000.00');
  // scope: another enterprise neither sees nor touches it
  assert.equal((await entA.get(`/api/v1/subsidies/${app.id}`)).status, 404);
  assert.ok((await entA.get('/api/v1/subsidies?per_page=500')).body.items.every((x) => x.enterprise_id === entAUnit));
  assert.equal((await bank.get('/api/v1/subsidies')).status, 403);
});

test('funds seeking: applied, approved and received per year and kind; approved ≤ applied, received ≤ approved', async () => {
  const project = (await office.get('/api/v1/projects?per_page=1')).body.items[0];
  const y = YEAR + 1; // a year of the test's own
  const before = (await office.get(`/api/v1/funds/stats?year=${y}`)).body;
  assert.equal(before.applied, '0.00');
  const bad = await office.post('/api/v1/fund-applications', { project_id: project.id, kind: 'bonds', year: 1999, applied: 'x' });
  assert.deepEqual(fields(bad).sort(), ['applied', 'kind', 'year']);
  const tooMuch = await office.post('/api/v1/fund-applications', { project_id: project.id, kind: 'special_bond', year: y, applied: 100, approved: 200 });
  assert.deepEqual(fields(tooMuch), ['approved']);
  const a = (await office.post('/api/v1/fund-applications', { project_id: project.id, kind: 'special_bond', year: y, applied: '1.5亿', batch: '第一批' })).body;
  const b = (await office.post('/api/v1/fund-applications', { project_id: project.id, kind: 'central_budget', year: y, applied: '3000.01万' })).body;
  assert.equal(a.applied, '150000000.00');
  const p = await office.patch(`/api/v1/fund-applications/${a.id}`, { approved: '1.2亿', received: '0.8亿' }, { 'If-Match': '"1"' });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  const over = await office.patch(`/api/v1/fund-applications/${a.id}`, { received: '1.3亿' });
  assert.deepEqual(fields(over), ['received']);
  assert.equal((await office.patch(`/api/v1/fund-applications/${a.id}`, { note: 'x' }, { 'If-Match': '"1"' })).status, 409);
  await office.patch(`/api/v1/fund-applications/${b.id}`, { approved: '2999.99万', received: '0.01' });
  const s = (await office.get(`/api/v1/funds/stats?year=${y}`)).body;
  assert.equal(s.applied, '180000100.00');
  assert.equal(s.approved, '149999900.00');
  assert.equal(s.received, '80000000.01');
  const k = Object.fromEntries(s.by_kind.map((x) => [x.kind, x]));
  assert.equal(k.special_bond.applied, '150000000.00');
  assert.equal(k.central_budget.received, '0.01');
  assert.equal(k.other.applied, '0.00');
  // targets and progress
  const team = (await office.get(`/api/v1/units?q=${encodeURIComponent('荷塘区财政局')}`)).body.items[0];
  assert.equal((await office.put('/api/v1/fund-targets', { unit_id: team.id, year: y, target: '1亿' })).status, 200);
  await office.patch(`/api/v1/fund-applications/${a.id}`, { team_unit_id: team.id });
  const t = (await office.get(`/api/v1/funds/stats?year=${y}`)).body.by_team.find((x) => x.unit_id === team.id);
  assert.equal(t.target, '100000000.00');
  assert.equal(t.received, '80000000.00');
  assert.equal(t.progress, '80.00');
  // banks and enterprises do not read funds seeking
  assert.equal((await bank.get('/api/v1/funds/stats')).status, 403);
  assert.equal((await entA.get('/api/v1/fund-applications')).status, 403);
});

test('demo: the seeds\' figures — ¥495 m credit, 38 enterprises with ¥124.53 m loans, subsidies and ¥6.3 bn sought', async () => {
  const s = await startServer();
  try {
    const o = await s.login('office');
    const f = (await o.get(`/api/v1/financing/stats?year=${YEAR}`)).body;
    assert.equal(f.credit_amount, '495000000.00');
    assert.equal(f.loans_amount, '124530000.00');
    assert.equal(f.enterprises_with_loans, 38);
    assert.equal(f.summary, `${YEAR}年授信49500.00万元，38家企业获得贷款12453.00万元`);
    assert.equal(f.subsidies.guarantee.count, 18);
    assert.equal(f.subsidies.guarantee.applied, '396250.00');
    assert.equal(f.subsidies.interest.enterprises, 6);
    assert.equal(f.subsidies.interest.paid, '488800.00');
    assert.ok(f.by_bank.length >= 7);
    assert.equal(f.by_bank.reduce((t, b) => t + fen(b.loans_amount), 0n), fen(f.loans_amount));
    const funds = (await o.get(`/api/v1/funds/stats?year=${YEAR}`)).body;
    assert.equal(funds.applied, '6300000000.00');
    assert.equal(funds.by_kind.reduce((t, k) => t + fen(k.applied), 0n), 630000000000n);
    const queue = (await o.get('/api/v1/subsidies?state=applied')).body;
    assert.equal(queue.total, 8);
  } finally { await s.stop(); }
});

test('white list: the office recommends enterprises per year; banks read it, an enterprise sees only itself; needs show it', async () => {
  const bad = await office.post('/api/v1/financing-whitelist', { enterprise_id: bankUnit });
  assert.deepEqual(fields(bad), ['enterprise_id']);
  assert.equal((await bank.post('/api/v1/financing-whitelist', { enterprise_id: entAUnit })).status, 403);
  const w = await office.post('/api/v1/financing-whitelist', { enterprise_id: entAUnit, note: '专精特新' });
  assert.equal(w.status, 201, JSON.stringify(w.body));
  assert.equal(w.body.year, YEAR);
  assert.deepEqual(fields(await office.post('/api/v1/financing-whitelist', { enterprise_id: entAUnit })), ['enterprise_id']);
  const seen = (await bank.get(`/api/v1/financing-whitelist?year=${YEAR}&per_page=500`)).body.items;
  assert.ok(seen.some((x) => x.enterprise_id === entAUnit));
  const own = (await entB.get('/api/v1/financing-whitelist?per_page=500')).body.items;
  assert.deepEqual(own, []);
  const n = await need(entA);
  assert.equal(n.recommended, true);
  const rec = (await bank.get('/api/v1/financing-needs?recommended=1&per_page=500')).body.items;
  assert.ok(rec.some((x) => x.id === n.id) && rec.every((x) => x.recommended));
  assert.equal((await office.del(`/api/v1/financing-whitelist/${w.body.id}`)).status, 204);
  assert.equal((await bank.get(`/api/v1/financing-needs/${n.id}`)).body.recommended, false);
});

test('contacts: a bank records its contact with the enterprise; only it sees the record, and the need stays visible to it', async () => {
  const n = await need(entB);
  const bad = await icbc.post(`/api/v1/financing-needs/${n.id}/contacts`, { contacted_on: addDays(TODAY, 1), note: '' });
  assert.deepEqual(fields(bad).sort(), ['contacted_on', 'note']);
  const c = await icbc.post(`/api/v1/financing-needs/${n.id}/contacts`, { contacted_on: TODAY, note: '上门走访' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal((await bank.get(`/api/v1/financing-needs/${n.id}`)).body.contacts.length, 0);
  assert.equal((await office.get(`/api/v1/financing-needs/${n.id}`)).body.contacts.length, 1);
  await entB.patch(`/api/v1/financing-needs/${n.id}`, { state: 'closed' });
  assert.deepEqual((await icbc.get(`/api/v1/financing-needs/${n.id}`)).body.contacts.map((x) => x.note), ['上门走访']);
  assert.equal((await bank.get(`/api/v1/financing-needs/${n.id}`)).status, 404);
});
