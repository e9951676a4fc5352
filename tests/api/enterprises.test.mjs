// enterprises.test.mjs — enterprise services (企业服务, issue #17): the registry with its
// 统一社会信用代码 check (GB 32100-2015: valid and altered codes, lowercase normalised,
// the letters I O Z S V refused), flags and yearly figures with money in any written form,
// the contact masked and each reveal audited; the policy library whose conditions find the
// enterprises that qualify (免申即享) — every operator on constructed enterprises, the list
// changing when figures change, "needs application" when the registry cannot decide — the
// office confirming a list and recording a benefit; requests 诉求 through the closed loop
// (reply, confirm with a rating, reopen) with their deadlines in working days, overdue ones
// on the dispatch agenda, statistics per department; and scope: an enterprise sees and
// changes only its own record and requests, other units' and enterprises' rows stay invisible.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fields, TODAY, addDays, newDatabase, guatu } from './lib.mjs';
import { xlsx } from './land_helpers.mjs';

let server, office, admin, leader, huaju, jinshan, guihua, bank;
let towns = {}, huajuUnit, seq = 0;
const run = `${process.pid}${Date.now() % 100000}`;

// The check character of 17 characters (GB 32100-2015), to make valid codes.
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(n) {
  let body = '91430202';
  let x = n * 7919 + Number(run.slice(-5));
  for (let i = 0; i < 9; i++) { body += CHARS[x % 31]; x = Math.floor(x / 31) + i * 13 + 5; }
  const s = [...body].reduce((a, c, i) => a + CHARS.indexOf(c) * W[i], 0);
  const c = 31 - (s % 31);
  return body + CHARS[c === 31 ? 0 : c];
}

before(async () => {
  server = await startServer();
  [office, admin, leader, huaju, jinshan, guihua, bank] = await Promise.all(
    ['office', 'admin', 'leader', 'enterprise', 'jinshan', 'guihua', 'bank'].map((w) => server.login(w)));
  for (const name of ['金山街道', '桂花街道', '明照街道']) {
    const r = await office.get(`/api/v1/units?q=${encodeURIComponent(name)}`);
    towns[name] = r.body.items.find((u) => u.name === name).id;
  }
  huajuUnit = (await huaju.get('/api/v1/me')).body.user.unit_id;
});
after(async () => { await server?.stop(); });

// A new enterprise of this run (its own chain, so that policies can be confined to the test's).
async function newEnt(extra = {}, c = office) {
  seq++;
  const r = await c.post('/api/v1/enterprises', {
    uscc: uscc(seq), name: `测试企业${run}-${seq}有限公司`, town_unit_id: towns['金山街道'], flags: [], ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function newPolicy(conditions, extra = {}) {
  const r = await office.post('/api/v1/policies', {
    title: `测试政策${run}-${++seq}`, valid_from: addDays(TODAY, -30), valid_to: addDays(TODAY, 30), conditions, ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const eligible = async (p, c = office) => {
  const r = await c.get(`/api/v1/policies/${p.id}/eligible?per_page=500`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return Object.fromEntries(r.body.items.map((i) => [i.enterprise_id, i.status]));
};
// The enterprises a policy finds eligible (demo enterprises without a chain may need application
// for a chain condition: they are not the test's).
const eligibleIds = async (p) => Object.entries(await eligible(p)).filter(([, s]) => s === 'eligible').map(([id]) => Number(id)).sort();

test('USCC: real codes pass; a bad check character, a wrong length and the letters I O Z S V are refused on field uscc', async () => {
  for (const code of ['914403001922038217', '9144030071526726XH', '91440300192203821', '91440300192203821I', '91440300192203821O',
    '91440300192203821Z', '91440300192203821S', '91440300192203821V']) {
    const r = await office.post('/api/v1/enterprises', { uscc: code, name: `坏代码${run}${code}`, town_unit_id: towns['金山街道'] });
    assert.equal(r.status, 422, code);
    assert.deepEqual(fields(r), ['uscc'], code);
    assert.match(r.body.errors[0].message, /统一社会信用代码.* \/ .*code/, 'bilingual');
  }
});

test('USCC: lowercase input is stored in capitals, and a code registered twice is refused', async () => {
  const code = uscc(9000);
  const e = await newEnt({ uscc: code.toLowerCase() });
  assert.equal(e.uscc, code);
  const again = await office.post('/api/v1/enterprises', { uscc: code, name: `重复${run}`, town_unit_id: towns['金山街道'] });
  assert.equal(again.status, 422);
  assert.deepEqual(fields(again), ['uscc']);
});

test('registering creates the enterprise unit under the town\'s district, with flags and figures in any written money form', async () => {
  const e = await newEnt({
    flags: ['high_tech', 'above_scale'], chain: '测试链', legal_rep: '赵法人', contact_name: '钱联系', contact_phone: '13912345678',
    figures: { 2024: { revenue: '2000万', tax: 1000000, employees: 120 }, 2025: { revenue: '0.3亿', tax: '150万元', employees: 150, rd: '90万' } },
  });
  assert.deepEqual(e.flags, ['above_scale', 'high_tech']);
  assert.deepEqual(e.flags_zh, ['规上', '高新技术企业']);
  assert.equal(e.latest_year, 2025);
  assert.equal(e.revenue, '30000000.00');
  assert.equal(e.figures['2024'].revenue, '20000000.00');
  assert.equal(e.figures['2025'].rd, '900000.00');
  assert.equal(e.town, '金山街道');
  const unit = (await admin.get(`/api/v1/units?q=${encodeURIComponent(e.name)}`)).body.items[0];
  assert.equal(unit.id, e.unit_id);
  assert.equal(unit.kind, 'enterprise');
  const district = (await admin.get(`/api/v1/units?q=${encodeURIComponent('荷塘区')}&per_page=100`)).body.items.find((u) => u.name === '荷塘区');
  assert.equal(unit.parent_id, district.id);
  // bad input: each field named, in both languages
  const bad = await office.post('/api/v1/enterprises', {
    uscc: uscc(9100), name: '', town_unit_id: huajuUnit, flags: ['unicorn'], contact_phone: '123',
    figures: { 1800: {}, 2025: { revenue: 'lots', employees: -1, profit: 1 } },
  });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad).sort(), ['contact_phone', 'figures.1800', 'figures.2025.employees', 'figures.2025.profit',
    'figures.2025.revenue', 'flags', 'name', 'town_unit_id']);
  for (const er of bad.body.errors) assert.match(er.message, / \/ /);
});

test('the contact is masked in every answer and export; the office reveals it and the reveal is audited', async () => {
  const e = await newEnt({ contact_name: '孙小红', contact_phone: '13712345678' });
  assert.equal(e.contact_phone, '137****5678');
  assert.equal(e.contact_name, '孙**');
  const got = await office.get(`/api/v1/enterprises/${e.id}`);
  assert.equal(got.body.contact_phone, '137****5678');
  assert.equal(got.headers.get('etag'), `"${got.body.version}"`);
  const xlsx = await office.get(`/api/v1/enterprises?q=${encodeURIComponent(e.name)}&format=csv&columns=name:企业,contact_phone:电话`);
  assert.equal(xlsx.status, 200);
  assert.ok(xlsx.body.toString().includes('137****5678') && !xlsx.body.toString().includes('13712345678'));
  const shown = await office.get(`/api/v1/enterprises/${e.id}?reveal=1`);
  assert.equal(shown.status, 200);
  assert.equal(shown.body.contact_phone, '13712345678');
  assert.equal(shown.body.contact_name, '孙小红');
  const audit = await admin.get(`/api/v1/audit?entity=enterprise&entity_id=${e.id}&action=read`);
  assert.equal(audit.body.items.length, 1);
  assert.deepEqual(audit.body.items[0].after, { revealed: ['contact_name', 'contact_phone'] });
  // a leader reads everything but may not reveal
  assert.equal((await leader.get(`/api/v1/enterprises/${e.id}?reveal=1`)).status, 403);
});

test('changes are versioned: a stale If-Match is a conflict, and a change is audited with the contact masked', async () => {
  const e = await newEnt({ contact_phone: '13612345678' });
  const r = await office.patch(`/api/v1/enterprises/${e.id}`, { flags: ['gazelle'], figures: { 2025: { revenue: '5000万' } } }, { 'If-Match': `"${e.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.flags, ['gazelle']);
  assert.equal(r.body.version, e.version + 1);
  const stale = await office.patch(`/api/v1/enterprises/${e.id}`, { industry: '制造' }, { 'If-Match': `"${e.version}"` });
  assert.equal(stale.status, 409);
  const audit = await admin.get(`/api/v1/audit?entity=enterprise&entity_id=${e.id}&action=update`);
  assert.equal(audit.body.items.length, 1);
  assert.ok(!JSON.stringify(audit.body.items[0]).includes('13612345678'));
});

test('eligibility: has, >=, <=, = and in, each on constructed enterprises', async () => {
  const chain = `链${run}a`;
  const a = await newEnt({ chain, flags: ['high_tech', 'above_scale'], figures: { 2025: { revenue: '3000万', tax: '200万', employees: 200 } } });
  const b = await newEnt({ chain, flags: ['tech_sme'], figures: { 2025: { revenue: '800万', tax: '20万', employees: 40 } }, town_unit_id: towns['桂花街道'] });
  const only = { field: 'chain', op: '=', value: chain };
  const cases = [
    [[{ field: 'flags', op: 'has', value: 'high_tech' }], [a]],
    [[{ field: 'flags', op: 'has', value: ['high_tech', 'tech_sme'] }], []],
    [[{ field: 'flags', op: 'in', value: ['tech_sme', 'gazelle'] }], [b]],
    [[{ field: 'revenue', op: '>=', value: '3000万元' }], [a]],
    [[{ field: 'revenue', op: '<=', value: 8000000 }], [b]],
    [[{ field: 'tax', op: '=', value: '0.02亿' }], [a]],
    [[{ field: 'employees', op: '>=', value: 40 }], [a, b]],
    [[{ field: 'employees', op: 'in', value: [39, 41] }], []],
    [[{ field: 'town_unit_id', op: '=', value: towns['桂花街道'] }], [b]],
    [[{ field: 'town_unit_id', op: 'in', value: [towns['金山街道'], towns['明照街道']] }], [a]],
    [[{ field: 'chain', op: 'in', value: [chain, '航空'] }], [a, b]],
  ];
  for (const [conds, want] of cases) {
    const p = await newPolicy([only, ...conds]);
    assert.deepEqual(await eligibleIds(p), want.map((e) => e.id).sort(), JSON.stringify(conds));
  }
  // conditions come back canonical: money in yuan
  const p = await newPolicy([{ field: 'revenue', op: '>=', value: '2000万' }]);
  assert.deepEqual(p.conditions, [{ field: 'revenue', op: '>=', value: '20000000.00' }]);
});

test('eligibility changes when figures change, and the enterprise\'s own list follows', async () => {
  const chain = `链${run}b`;
  const e = await newEnt({ chain, figures: { 2024: { revenue: '5000万' }, 2025: { revenue: '1500万' } } });
  const p = await newPolicy([{ field: 'chain', op: '=', value: chain }, { field: 'revenue', op: '>=', value: '2000万' }]);
  assert.deepEqual(await eligibleIds(p), [], 'the latest year (2025) counts, not the best');
  const mine0 = (await office.get(`/api/v1/enterprises/${e.id}/policies`)).body.items.map((i) => i.policy_id);
  assert.ok(!mine0.includes(p.id));
  const r = await office.patch(`/api/v1/enterprises/${e.id}`, { figures: { 2025: { revenue: '2100万' } } });
  assert.equal(r.status, 200);
  assert.deepEqual(await eligibleIds(p), [e.id]);
  const mine = (await office.get(`/api/v1/enterprises/${e.id}/policies`)).body.items.find((i) => i.policy_id === p.id);
  assert.equal(mine.status, 'eligible');
  // a newer year with less revenue takes it out again
  await office.patch(`/api/v1/enterprises/${e.id}`, { figures: { 2026: { revenue: '1000万' } } });
  assert.deepEqual(await eligibleIds(p), []);
  assert.equal((await eligible(p))[e.id], undefined, 'a decided no is not listed at all');
});

test('needs application: a condition the registry cannot decide is marked, never guessed; a decided failure still excludes', async () => {
  const chain = `链${run}c`;
  const none = await newEnt({ chain, flags: ['high_tech'] }); // no figures at all
  const noEmp = await newEnt({ chain, flags: ['high_tech'], figures: { 2025: { revenue: '1亿' } } });
  const noChain = await newEnt({ flags: ['high_tech'], figures: { 2025: { revenue: '1亿', employees: 10 } } });
  const p = await newPolicy([{ field: 'chain', op: 'in', value: [chain] }, { field: 'employees', op: '>=', value: 5 }]);
  const got = await eligible(p);
  assert.equal(got[none.id], 'needs_application');
  assert.equal(got[noEmp.id], 'needs_application');
  assert.equal(got[noChain.id], 'needs_application', 'no chain recorded');
  const q = await newPolicy([{ field: 'chain', op: 'in', value: [chain] }, { field: 'flags', op: 'has', value: 'gazelle' }]);
  const gq = await eligible(q);
  for (const e of [none, noEmp, noChain]) assert.equal(gq[e.id], undefined, 'flags are known: not a gazelle is a decided no');
  const only = await office.get(`/api/v1/policies/${p.id}/eligible?status=needs_application&per_page=500`);
  assert.ok(only.body.items.every((i) => i.status === 'needs_application'));
  assert.ok(only.body.needs_application >= 3);
});

test('policies: bad conditions are refused naming the condition; validity; the live preview; expired policies are not an enterprise\'s', async () => {
  const bad = await office.post('/api/v1/policies', {
    title: 'x', valid_from: TODAY, valid_to: addDays(TODAY, -1),
    conditions: [{ field: 'revenue', op: '>=', value: 1 }, { field: 'profit', op: '>=', value: 1 }],
  });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad).sort(), ['conditions[1].field', 'valid_to']);
  for (const [c, f] of [[{ field: 'revenue', op: 'has', value: 1 }, 'conditions[0].op'], [{ field: 'tax', op: '>=', value: '很多' }, 'conditions[0].value'],
    [{ field: 'flags', op: 'has', value: 'unicorn' }, 'conditions[0].value'], [{ field: 'town_unit_id', op: '=', value: huajuUnit }, 'conditions[0].value']]) {
    const r = await office.post('/api/v1/policies', { title: 'x', valid_from: TODAY, valid_to: TODAY, conditions: [c] });
    assert.equal(r.status, 422, JSON.stringify(c));
    assert.deepEqual(fields(r), [f]);
  }
  const chain = `链${run}d`;
  const e = await newEnt({ chain });
  const pre = await office.post('/api/v1/policies/preview', { conditions: [{ field: 'chain', op: '=', value: chain }] });
  assert.equal(pre.status, 200);
  assert.deepEqual(pre.body.items.filter((i) => i.status === 'eligible').map((i) => i.enterprise_id), [e.id]);
  const expired = await newPolicy([{ field: 'chain', op: '=', value: chain }], { valid_from: addDays(TODAY, -60), valid_to: addDays(TODAY, -1) });
  assert.equal(expired.in_force, false);
  const mine = (await office.get(`/api/v1/enterprises/${e.id}/policies`)).body.items.map((i) => i.policy_id);
  assert.ok(!mine.includes(expired.id));
  assert.equal((await huaju.post('/api/v1/policies', { title: 'x', valid_from: TODAY, valid_to: TODAY, conditions: [] })).status, 403);
});

test('the office confirms a list and records the benefit granted to each enterprise', async () => {
  const chain = `链${run}e`;
  const a = await newEnt({ chain, figures: { 2025: { employees: 50 } } });
  const b = await newEnt({ chain }); // needs application: not confirmed
  const p = await newPolicy([{ field: 'chain', op: '=', value: chain }, { field: 'employees', op: '>=', value: 10 }]);
  const conf = await office.post(`/api/v1/policies/${p.id}/confirm`, {});
  assert.equal(conf.status, 200);
  assert.deepEqual(conf.body.enterprise_ids, [a.id]);
  let list = (await office.get(`/api/v1/policies/${p.id}/eligible`)).body.items;
  assert.equal(list.find((i) => i.enterprise_id === a.id).grant_status, 'confirmed');
  assert.equal(list.find((i) => i.enterprise_id === b.id).grant_status, null);
  const missing = await office.put(`/api/v1/policies/${p.id}/grants/${a.id}`, { status: 'granted' });
  assert.equal(missing.status, 422);
  assert.deepEqual(fields(missing).sort(), ['amount', 'granted_on']);
  const g = await office.put(`/api/v1/policies/${p.id}/grants/${a.id}`, { status: 'granted', amount: '20万', granted_on: TODAY });
  assert.equal(g.status, 200, JSON.stringify(g.body));
  assert.equal(g.body.amount, '200000.00');
  list = (await office.get(`/api/v1/policies/${p.id}/eligible`)).body.items;
  assert.equal(list.find((i) => i.enterprise_id === a.id).granted_amount, '200000.00');
  assert.equal((await office.get(`/api/v1/policies/${p.id}`)).body.granted_amount, '200000.00');
  const audit = await admin.get(`/api/v1/audit?entity=policy_grant&entity_id=${p.id}`);
  assert.equal(audit.body.items.length, 1);
});

test('scope: an enterprise sees and changes only its own record; other enterprises are invisible and not writable', async () => {
  const own = await huaju.get('/api/v1/enterprises?per_page=500');
  assert.equal(own.status, 200);
  assert.equal(own.body.total, 1);
  const me = own.body.items[0];
  assert.equal(me.unit_id, huajuUnit);
  const other = await newEnt({ chain: `链${run}f` });
  assert.equal((await huaju.get(`/api/v1/enterprises/${other.id}`)).status, 404);
  assert.equal((await huaju.patch(`/api/v1/enterprises/${other.id}`, { address: 'x' })).status, 404);
  assert.equal((await huaju.get(`/api/v1/enterprises/${other.id}/policies`)).status, 404);
  // its own contact and figures it may change; its flags it may not
  const ok = await huaju.patch(`/api/v1/enterprises/${me.id}`, { address: '株洲市荷塘区明照街道新材料路1号' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal((await huaju.patch(`/api/v1/enterprises/${me.id}`, { flags: ['little_giant'] })).status, 403);
  const revealed = await huaju.get(`/api/v1/enterprises/${me.id}?reveal=1`);
  assert.equal(revealed.status, 200);
  // a policy's list shows it only itself
  const p = await newPolicy([]);
  const list = await huaju.get(`/api/v1/policies/${p.id}/eligible?per_page=500`);
  assert.deepEqual(list.body.items.map((i) => i.enterprise_id), [me.id]);
  // banks and other towns' staff see none of the test's enterprises
  assert.equal((await bank.get('/api/v1/enterprises')).status, 403);
  const g = await guihua.get(`/api/v1/enterprises/${other.id}`);
  assert.equal(g.status, 404, 'an enterprise of 金山街道 is not 桂花街道\'s');
  assert.equal((await jinshan.get(`/api/v1/enterprises/${other.id}`)).status, 200, 'its own town sees it');
  assert.equal((await jinshan.patch(`/api/v1/enterprises/${other.id}`, { address: 'x' })).status, 403, 'but may not change it');
  assert.equal((await huaju.post('/api/v1/enterprises', { uscc: uscc(9200), name: 'x', town_unit_id: towns['金山街道'] })).status, 403);
});

test('import from XLSX: row errors name the row and column and leave nothing behind; a clean file creates every row with its figures', async () => {
  const TYPE = { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  const HEAD = ['统一社会信用代码', '企业名称', '所在街道', '产业链', '企业标志', '联系电话', '年度', '营业收入', '从业人数'];
  const [c1, c2, c3] = [uscc(7001), uscc(7002), uscc(7003)];
  const name = (k) => `导入企业${run}-${k}有限公司`;
  const bad = xlsx([HEAD,
    [c1, name(1), '金山街道', '导入链', '规上、高新技术企业', '13912345678', '2025', '3000万', 120],
    [c1.slice(0, 17) + (c1[17] === '0' ? '1' : '0'), name(2), '火星街道', '', '独角兽', '123', '2025', '很多', 'x'],
    [c1, name(1), '桂花街道', '', '', '', '', '', ''],
  ]);
  let r = await office.post('/api/v1/enterprises/import', bad, TYPE);
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.deepEqual(r.body.errors.map((e) => `${e.row}:${e.column}`).sort(),
    ['3:统一社会信用代码', '3:所在街道', '3:企业标志', '3:联系电话', '3:营业收入', '3:从业人数', '4:统一社会信用代码', '4:企业名称'].sort());
  assert.ok(r.body.errors.every((e) => / \/ /.test(e.message)));
  assert.equal((await office.get(`/api/v1/enterprises?q=${encodeURIComponent(`导入企业${run}`)}`)).body.total, 0);
  const good = xlsx([HEAD,
    [c1, name(1), '金山街道', '导入链', '规上、high_tech', '13912345678', '2025', '3000万', 120],
    [c2, name(2), '桂花街道', '导入链', '', '', '', '', ''],
    [c3.toLowerCase(), name(3), '明照街道', '', '专精特新', '', '2024', '0.5亿', '30'],
  ]);
  r = await office.post('/api/v1/enterprises/import', good, TYPE);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.created, 3);
  const list = (await office.get(`/api/v1/enterprises?q=${encodeURIComponent(`导入企业${run}`)}&sort=name`)).body.items;
  assert.deepEqual(list.map((e) => [e.uscc, e.town, e.flags, e.revenue, e.employees]), [
    [c1, '金山街道', ['above_scale', 'high_tech'], '30000000.00', 120],
    [c2, '桂花街道', [], null, null],
    [c3, '明照街道', ['specialized'], '50000000.00', 30],
  ]);
  assert.equal((await huaju.post('/api/v1/enterprises/import', good, TYPE)).status, 403);
});

test('lists page, filter by flag, town and chain, sort, and export to Excel', async () => {
  const chain = `链${run}g`;
  for (let i = 0; i < 3; i++) await newEnt({ chain, flags: i ? ['gazelle'] : [], figures: { 2025: { revenue: `${(i + 1) * 100}万` } } });
  let r = await office.get(`/api/v1/enterprises?chain=${encodeURIComponent(chain)}&flag=gazelle&sort=-revenue`);
  assert.equal(r.body.total, 2);
  assert.deepEqual(r.body.items.map((e) => e.revenue), ['3000000.00', '2000000.00']);
  r = await office.get(`/api/v1/enterprises?chain=${encodeURIComponent(chain)}&per_page=1&page=2&sort=revenue`);
  assert.equal(r.body.items[0].revenue, '2000000.00');
  assert.equal((await office.get('/api/v1/enterprises?flag=unicorn')).status, 422);
  const x = await office.get(`/api/v1/enterprises?chain=${encodeURIComponent(chain)}&format=xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.body.subarray(0, 2).toString(), 'PK');
});

test('the demo district: the seeds\' enterprises with valid codes, a dozen policies, 华巨 qualifies for 高新技术企业认定奖励', async () => {
  const r = await office.get(`/api/v1/enterprises?q=${encodeURIComponent('华巨')}`);
  const hj = r.body.items.find((e) => e.name === '湖南华巨新材料有限公司');
  assert.ok(hj && hj.flags.includes('high_tech'));
  for (const n of ['格斯特', '东裕美耐皿', '柳鑫']) assert.equal((await office.get(`/api/v1/enterprises?q=${encodeURIComponent(n)}`)).body.total, 1, n);
  const all = await office.get('/api/v1/enterprises?per_page=500');
  assert.ok(all.body.total >= 100);
  const ps = await office.get(`/api/v1/policies?q=${encodeURIComponent('高新技术企业认定奖励')}`);
  const p = ps.body.items[0];
  assert.ok((await eligible(p))[hj.id] === 'eligible');
  assert.ok((await office.get('/api/v1/policies?per_page=100')).body.total >= 12);
});

// ---- requests 诉求 ----

const unitNamed = async (name) => (await office.get(`/api/v1/units?q=${encodeURIComponent(name)}`)).body.items.find((u) => u.name === name).id;
const act = (c, q, type, extra = {}) => c.post(`/api/v1/enterprise-requests/${q.id}/events`, { type, ...extra });
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

test('requests: the closed loop — raised by the enterprise, replied by the department, confirmed with a rating; reopened with a fresh deadline', async () => {
  const zrzy = await server.login(['zrzy', 'unit123']);
  const dept = await unitNamed('荷塘区自然资源分局');
  const mine = (await huaju.get('/api/v1/enterprises')).body.items[0];
  const q = await ok(huaju.post('/api/v1/enterprise-requests', { category: 'land', text: '扩建用地指标请协调', unit_id: dept }), 201);
  assert.equal(q.enterprise_id, mine.id, 'an enterprise raises for itself');
  assert.equal(q.state, 'open');
  assert.equal(q.category_name, '用地');
  assert.equal(q.raised_on, TODAY);
  assert.equal(q.deadline_days, 15, 'land: 15 working days by default');
  const due = (await office.get(`/api/v1/calendar/add-working-days?from=${TODAY}&days=15`)).body.date;
  assert.equal(q.due_date, due);
  assert.equal(q.overdue, false);
  // the enterprise cannot answer itself; the department cannot confirm
  assert.equal((await act(huaju, q, 'reply', { text: '自己答复' })).status, 403);
  assert.equal((await act(zrzy, q, 'confirm', { rating: 5 })).status, 403);
  // confirming before a reply is out of order
  assert.equal((await act(huaju, q, 'confirm', { rating: 5 })).status, 409);
  const acc = await ok(act(zrzy, q, 'accept'));
  assert.equal(acc.state, 'accepted');
  const noText = await act(zrzy, q, 'reply');
  assert.equal(noText.status, 422);
  assert.deepEqual(fields(noText), ['text']);
  const rep = await ok(act(zrzy, q, 'reply', { text: '已纳入年度用地计划，下月挂牌。' }));
  assert.equal(rep.state, 'replied');
  assert.equal(rep.replied_on, TODAY);
  // confirm needs a rating from 1 to 5
  for (const bad of [{}, { rating: 0 }, { rating: 6 }, { rating: 'good' }]) {
    const r = await act(huaju, q, 'confirm', bad);
    assert.equal(r.status, 422, JSON.stringify(bad));
    assert.deepEqual(fields(r), ['rating']);
  }
  const done = await ok(act(huaju, q, 'confirm', { rating: 4 }));
  assert.equal(done.state, 'closed');
  assert.equal(done.rating, 4);
  assert.equal(done.closed_on, TODAY);
  assert.deepEqual(done.events.map((e) => e.type), ['raise', 'accept', 'reply', 'confirm']);
  // reopened: back to the department with a fresh deadline from today, the rating withdrawn
  const noReason = await act(huaju, q, 'reopen');
  assert.deepEqual(fields(noReason), ['text']);
  const again = await ok(act(huaju, q, 'reopen', { text: '指标仍未落实' }));
  assert.equal(again.state, 'reopened');
  assert.equal(again.rating, null);
  assert.equal(again.replied_on, null);
  assert.equal(again.due_date, due);
  const rep2 = await ok(act(zrzy, q, 'reply', { text: '已落实' }));
  assert.equal(rep2.state, 'replied');
  // a stale version is a conflict
  const stale = await act(huaju, q, 'confirm', { rating: 5, version: q.version });
  assert.equal(stale.status, 409);
  const audit = await admin.get(`/api/v1/audit?entity=enterprise_request&entity_id=${q.id}`);
  assert.equal(audit.body.items.length, 6, 'the raise and every step taken audited (not the refused ones)');
});

test('requests: the commissioner raises on the enterprise\'s behalf; bad input is refused field by field', async () => {
  const e = await newEnt({ commissioner_id: (await office.get('/api/v1/me')).body.user.id });
  const dept = await unitNamed('荷塘区人力资源和社会保障局');
  const q = await ok(office.post('/api/v1/enterprise-requests', { enterprise_id: e.id, category: 'labor', text: '招工', unit_id: dept, deadline_days: 2 }), 201);
  assert.equal(q.due_date, (await office.get(`/api/v1/calendar/add-working-days?from=${TODAY}&days=2`)).body.date);
  const bad = await office.post('/api/v1/enterprise-requests', { enterprise_id: e.id, category: 'fun', text: '', unit_id: huajuUnit, deadline_days: 0 });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad).sort(), ['category', 'deadline_days', 'text', 'unit_id']);
  // jinshan sees the enterprise (its town) but is neither the enterprise nor its commissioner
  assert.equal((await jinshan.post('/api/v1/enterprise-requests', { enterprise_id: e.id, category: 'labor', text: 'x', unit_id: dept })).status, 403);
});

test('requests: scope — an enterprise sees only its own; a department only what is routed to it; another enterprise\'s request is invisible and not actionable', async () => {
  const dept = await unitNamed('荷塘区财政局');
  const other = await newEnt({});
  const theirs = await ok(office.post('/api/v1/enterprise-requests', { enterprise_id: other.id, category: 'financing', text: '贷款', unit_id: dept }), 201);
  const mineList = await huaju.get('/api/v1/enterprise-requests?per_page=500');
  const me = (await huaju.get('/api/v1/enterprises')).body.items[0];
  assert.ok(mineList.body.items.length > 0);
  assert.ok(mineList.body.items.every((q) => q.enterprise_id === me.id));
  assert.equal((await huaju.get(`/api/v1/enterprise-requests/${theirs.id}`)).status, 404);
  assert.equal((await act(huaju, theirs, 'reopen', { text: 'x' })).status, 404);
  assert.equal((await huaju.post('/api/v1/enterprise-requests', { enterprise_id: other.id, category: 'other', text: 'x', unit_id: dept })).status, 422,
    'another enterprise is not even named');
  const j = await jinshan.get('/api/v1/enterprise-requests?per_page=500');
  assert.ok(!j.body.items.some((q) => q.id === theirs.id), 'a town does not see a department\'s request of an enterprise that is not its');
  assert.equal((await act(jinshan, theirs, 'reply', { text: 'x' })).status, 404);
  assert.equal((await bank.get('/api/v1/enterprise-requests')).status, 403);
});

test('requests: statistics per department — count, on-time rate, mean satisfaction', async () => {
  const dept = await unitNamed('荷塘区水利局');
  const sl = await server.login(['zrzy', 'unit123']); // not the department: cannot reply
  const e = await newEnt({});
  const raise = () => ok(office.post('/api/v1/enterprise-requests', { enterprise_id: e.id, category: 'utilities', text: '供水', unit_id: dept }), 201);
  const [a, b, c] = [await raise(), await raise(), await raise()];
  assert.equal((await act(sl, a, 'reply', { text: 'x' })).status, 404);
  // the office replies for the department? no: replies belong to the handling unit
  assert.equal((await act(office, a, 'reply', { text: 'x' })).status, 403);
  const water = await server.login(await (async () => {
    const login = `water${run}`;
    const r = await admin.post('/api/v1/users', { login, password: 'Water-2026-x', name: '水利测试', phone: '13912340000', unit_id: dept, roles: ['unit'] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return [login, 'Water-2026-x'];
  })());
  await ok(act(water, a, 'reply', { text: '已通水' }));
  await ok(act(water, b, 'reply', { text: '已通水' }));
  const ec = await server.login(await (async () => {
    const login = `ent${run}`;
    const r = await admin.post('/api/v1/users', { login, password: 'Ent-2026-xyz', name: '企业测试', phone: '13912340001', unit_id: e.unit_id, roles: ['enterprise'] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return [login, 'Ent-2026-xyz'];
  })());
  await ok(act(ec, a, 'confirm', { rating: 5 }));
  await ok(act(ec, b, 'confirm', { rating: 2 }));
  const s = await office.get(`/api/v1/enterprise-requests/stats?from=${TODAY}&to=${TODAY}`);
  const row = s.body.items.find((i) => i.unit_id === dept);
  assert.equal(row.count, 3);
  assert.equal(row.replied, 2);
  assert.equal(row.on_time, 2);
  assert.equal(row.on_time_rate, '100.00');
  assert.equal(row.mean_rating, '3.50');
  assert.equal(row.open, 1);
  assert.ok(c.id);
  // the enterprise's own user sees exactly its three
  const own = await ec.get('/api/v1/enterprise-requests');
  assert.deepEqual(own.body.items.map((q) => q.id).sort(), [a.id, b.id, c.id].sort());
});

test('requests: overdue ones escalate like problems and show on the dispatch agenda', async () => {
  // raised 25 days ago on a server whose today is then, looked at today
  const past = addDays(TODAY, -25);
  const s1 = await startServer({ env: { GUATU_TODAY: past } });
  let q, dept;
  try {
    const o = await s1.login('office');
    dept = (await o.get(`/api/v1/units?q=${encodeURIComponent('荷塘区财政局')}`)).body.items[0].id;
    const e = (await o.get(`/api/v1/enterprises?q=${encodeURIComponent('格斯特')}`)).body.items[0];
    q = await ok(o.post('/api/v1/enterprise-requests', { enterprise_id: e.id, category: 'financing', text: '逾期测试诉求', unit_id: dept, deadline_days: 5 }), 201);
    assert.equal(q.raised_on, past);
  } finally { await s1.stop({ keep: true }); }
  const s2 = await startServer({ db: s1.db });
  try {
    const o = await s2.login('office');
    const now = await ok(o.get(`/api/v1/enterprise-requests/${q.id}`));
    assert.equal(now.overdue, true);
    assert.equal(now.escalation, 2, 'past twice its deadline: level 2');
    const wd = (await o.get(`/api/v1/calendar/working-days-between?from=${now.due_date}&to=${TODAY}`)).body.days;
    assert.equal(now.days_overdue, wd);
    const od = await o.get('/api/v1/enterprise-requests?overdue=1&per_page=500');
    assert.ok(od.body.items.some((x) => x.id === q.id));
    assert.ok(od.body.items.every((x) => x.overdue));
    const m = await ok(o.post('/api/v1/dispatch/meetings', { date: TODAY }), 201);
    const item = m.agenda.find((i) => i.kind === 'enterprise_request' && i.detail.startsWith(`诉求#${q.id}；`));
    assert.ok(item, 'the overdue request is on the agenda');
    assert.equal(item.title, '超期企业诉求：株洲格斯特动力机械有限公司 — 融资');
    assert.match(item.detail, /承办单位：荷塘区财政局；办理时限：/);
  } finally { await s2.stop(); s1.db.cleanup(); }
});

test('the demo has requests in every state of the loop', async () => {
  const all = await office.get('/api/v1/enterprise-requests?per_page=500');
  const states = new Set(all.body.items.map((q) => q.state));
  for (const s of ['open', 'accepted', 'in_progress', 'replied', 'closed', 'reopened']) assert.ok(states.has(s), s);
  const x = await office.get('/api/v1/enterprise-requests?format=xlsx');
  assert.equal(x.status, 200);
});

test('guatu gen fills the registry from the enterprise units: valid codes, figures, requests in every state, policies that find them', async () => {
  const db = newDatabase();
  const g = guatu(['gen', '--scale', 'district', '--db', db.url]);
  assert.equal(g.status, 0, g.stderr);
  const s = await startServer({ db, env: { GUATU_TODAY: '2026-11-15' } });
  try {
    const o = await s.login(['office', 'bench1234']);
    const list = await o.get('/api/v1/enterprises?per_page=500');
    assert.ok(list.body.total >= 10);
    const units = (await o.get('/api/v1/units?per_page=500')).body.items.filter((u) => u.kind === 'enterprise');
    assert.equal(list.body.total, units.length, 'one record per enterprise unit');
    const valid = (c) => {
      const v = [...c.slice(0, 17)].reduce((a, x, i) => a + CHARS.indexOf(x) * W[i], 0);
      const k = 31 - (v % 31);
      return CHARS[k === 31 ? 0 : k] === c[17];
    };
    assert.ok(list.body.items.every((e) => valid(e.uscc)));
    const states = new Set((await o.get('/api/v1/enterprise-requests?per_page=500')).body.items.map((q) => q.state));
    for (const st of ['open', 'replied', 'closed']) assert.ok(states.has(st), st);
    const ps = (await o.get('/api/v1/policies')).body.items;
    assert.equal(ps.length, 12);
    const el = await o.get(`/api/v1/policies/${ps.find((p) => p.title === '稳岗就业补贴').id}/eligible`);
    assert.ok(el.body.eligible > 0);
  } finally { await s.stop(); db.cleanup(); }
});

test('the supply–demand board: an enterprise posts, others respond (each sees only its own response), the office matches, the poster closes', async () => {
  const me = (await huaju.get('/api/v1/enterprises')).body.items[0];
  const bad = await huaju.post('/api/v1/board-posts', { kind: 'sell', category: 'gold', title: '', text: 'x' });
  assert.equal(bad.status, 422);
  assert.deepEqual(fields(bad).sort(), ['category', 'kind', 'title']);
  const p = await ok(huaju.post('/api/v1/board-posts', { kind: 'need', category: 'capacity', title: `外协加工${run}`, text: '需要热处理外协产能' }), 201);
  assert.equal(p.enterprise_id, me.id);
  assert.equal(p.state, 'open');
  // two other enterprises respond through their own users
  const mk = async (k) => {
    const e = await newEnt({});
    const login = `b${k}${run}`;
    const u = await admin.post('/api/v1/users', { login, password: 'Board-2026-xy', name: '供需测试', phone: '13912340002', unit_id: e.unit_id, roles: ['enterprise'] });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    return [e, await server.login([login, 'Board-2026-xy'])];
  };
  const [[ea, ca], [eb, cb]] = [await mk('a'), await mk('b')];
  assert.equal((await huaju.post(`/api/v1/board-posts/${p.id}/responses`, { text: '自己响应' })).status, 422, 'not to its own post');
  await ok(ca.post(`/api/v1/board-posts/${p.id}/responses`, { text: 'A可承接' }), 201);
  await ok(cb.post(`/api/v1/board-posts/${p.id}/responses`, { text: 'B可承接' }), 201);
  const seenByA = await ok(ca.get(`/api/v1/board-posts/${p.id}`));
  assert.deepEqual(seenByA.response_list.map((x) => x.enterprise_id), [ea.id], 'a competitor\'s response is not shown');
  const seenByPoster = await ok(huaju.get(`/api/v1/board-posts/${p.id}`));
  assert.deepEqual(seenByPoster.response_list.map((x) => x.enterprise_id).sort(), [ea.id, eb.id].sort());
  assert.equal(seenByPoster.responses, 2);
  // only the office matches; then nobody can respond
  assert.equal((await huaju.post(`/api/v1/board-posts/${p.id}/match`, { enterprise_id: ea.id })).status, 403);
  const m = await ok(office.post(`/api/v1/board-posts/${p.id}/match`, { enterprise_id: ea.id, note: '已牵线' }));
  assert.equal(m.state, 'matched');
  assert.equal(m.matched_enterprise_id, ea.id);
  assert.equal((await cb.post(`/api/v1/board-posts/${p.id}/responses`, { text: '再响应' })).status, 409);
  // another enterprise may not close it; the poster may
  assert.equal((await ca.patch(`/api/v1/board-posts/${p.id}`, { state: 'closed' })).status, 403);
  const closed = await ok(huaju.patch(`/api/v1/board-posts/${p.id}`, { state: 'closed' }, { 'If-Match': `"${m.version}"` }));
  assert.equal(closed.state, 'closed');
  const list = await ca.get(`/api/v1/board-posts?q=${encodeURIComponent(`外协加工${run}`)}`);
  assert.equal(list.body.total, 1, 'the board is open to every enterprise');
  assert.equal((await bank.get('/api/v1/board-posts')).status, 403);
  const demo = await office.get('/api/v1/board-posts?kind=offer');
  assert.ok(demo.body.items.some((x) => x.title === '富余机加工产能对外协作' && x.state === 'matched'));
});
