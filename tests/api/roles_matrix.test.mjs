// Issue 13, finding 4: the role matrix as tested fact.  This file reads the
// table under "角色与权限 / Roles and permissions" in README.md and, for every
// role × resource × read/create/update/delete, makes the request that the
// cell is about as a user of that role against the real server: a letter in
// the cell must answer 2xx, no letter 403 or 404.  For `unit` and
// `enterprise` a letter holds within their scope: each such letter is tried
// once more on a project outside it (another town's, owned by nobody), which
// must answer 403 or 404.  The README and the server cannot drift apart.
// The rows of the new modules (leads, enterprises, requests, policies, board,
// questions, published, needs, loans, subsidies, funds) are tried the same
// way, out of scope on another town's, enterprise's, department's or bank's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, TODAY, addDays, monthOf } from './lib.mjs';
import { unitId } from './reports_helpers.mjs';
import { idNumber } from './land_helpers.mjs';

const ROLES = ['admin', 'office', 'leader', 'unit', 'enterprise', 'bank', 'public'];
const OPS = { R: 'read', C: 'create', U: 'update', D: 'delete' };

// The README's table: { resource: { role: 'RCU…' } }.
export function readMatrix() {
  const md = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const at = md.indexOf('## 角色与权限 / Roles and permissions');
  assert.ok(at >= 0, 'README.md has the section "角色与权限 / Roles and permissions"');
  const section = md.slice(at).split(/\n## /)[0];
  const rows = section.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  const [head, , ...body] = rows;
  assert.deepEqual(head.slice(2), ROLES, 'the columns are the seven roles');
  const m = {};
  for (const cells of body) {
    const name = cells[0].split(' ')[0];
    m[name] = {};
    ROLES.forEach((role, i) => {
      const cell = cells[i + 2];
      assert.match(cell, /^(—|R?C?U?D?)$/, `${name}/${role}: "${cell}" is letters from RCUD in that order, or —`);
      m[name][role] = cell === '—' ? '' : cell;
    });
  }
  return m;
}

let server, office, admin;
const as = {}; // role → client
const U = {}; // unit ids
let P; // the project in scope: unit 金山街道 (unit role), owned by 华巨 (enterprise role), published
let Q; // a project outside both scopes: another town's, no owner, not published
let seq = 0;
const uniq = () => `${process.pid}-${seq++}`;
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function ok(res, what) {
  const r = await res;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// ---- fixtures, made by the office (or the administrator) ----
const project = (unit, owner, extra = {}) => {
  const code = `RM-${uniq()}`;
  return ok(office.post('/api/v1/projects', {
    code, name: `矩阵${code}`, level: 'district', category: '产业项目', chain: '新材料', stage: 'construction',
    unit_id: unit, ...(owner ? { owner_unit_id: owner } : {}), total_investment: '5亿', ...extra,
  }), 'project');
};
const target = (scope) => (scope === 'out' ? Q : P);
const node = (p) => ok(office.post(`/api/v1/projects/${p.id}/nodes`, { name: `节点${uniq()}`, kind: 'other', planned_date: addDays(TODAY, 30), unit_id: p.unit_id }), 'node');
const problem = (p) => ok(office.post('/api/v1/problems', { project_id: p.id, category: 'utilities', title: `问题${uniq()}`, description: '用电增容', unit_id: p.unit_id, deadline_days: 3 }), 'problem');
const attachment = async (p) => {
  const pr = await problem(p);
  await ok(office.post(`/api/v1/problems/${pr.id}/attachments`, png, { 'X-File-Name': 'site.png' }), 'attachment');
  return (await office.get(`/api/v1/problems/${pr.id}`)).body.attachments[0];
};
const report = async (scope) => {
  const p = await project(scope === 'out' ? U.xianyu : U.jinshan, scope === 'out' ? null : U.huaju);
  return ok(office.post(`/api/v1/projects/${p.id}/reports`, { period: monthOf(-1), investment: '100万' }), 'report');
};
const household = (p) => ok(office.post(`/api/v1/projects/${p.id}/households`, {
  village: '石塘村', group: '三组', head_name: `户主${seq++}`, id_number: idNumber('43020319800101123'), land_mu: { collective: '1.50' },
}), 'household');
let itemSeq = 0;
const approvalItem = async () => ok(office.post('/api/v1/approval-items', {
  code: `RM${process.pid}${itemSeq++}`, name: `矩阵审批事项${itemSeq}`, unit_id: U.zrzy, statutory_days: 10, promised_days: 5, sort_order: 900 + itemSeq,
}), 'approval item');
const approval = async (scope) => {
  const p = await project(scope === 'out' ? U.xianyu : U.jinshan, scope === 'out' ? null : U.huaju);
  return ok(office.post(`/api/v1/projects/${p.id}/approvals`, { item_id: (await approvalItem()).id }), 'approval');
};
const task = (scope) => ok(office.post('/api/v1/tasks', {
  unit_id: scope === 'out' ? U.xianyu : U.jinshan, month: monthOf(0), kind: 'land', title: `任务${uniq()}`, target: '10亩', weight: 1,
}), 'task');
const meeting = async (held) => {
  const m = await ok(office.post('/api/v1/dispatch/meetings', { date: TODAY, kind: 'special', title: `调度会${uniq()}` }), 'meeting');
  if (!held) return m;
  return ok(office.patch(`/api/v1/dispatch/meetings/${m.id}`, { state: 'held', version: m.version }), 'meeting held');
};
// The ISO week ("2026-W46") of a day.
const isoWeek = (day) => {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow + 3);
  const jan4 = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d - jan4) / 86400000 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};

// ---- the new modules' fixtures (investment, enterprises, Q&A, financing) ----
// 'in': the unit's town (金山街道) and the enterprise's own (华巨) records, the
// bank's own loans; 'out': another town's (仙庾镇), another enterprise's,
// another bank's (icbc).
const E = {}; // enterprise records: mine (华巨's own), jin (in 金山街道, served by its user), out (in 仙庾镇)
const F = {}; // enterprise units for financing: mine (华巨), other
const QC = { in: 'rmin', out: 'rmout' }; // question categories answered by 金山街道 and by 仙庾镇
let anon, icbc, ipSeq = 0;
const teamOf = (scope) => (scope === 'out' ? U.xianyu : U.jinshan);
const entOf = (c, scope) => (scope === 'out' ? E.out : c === as.enterprise ? E.mine : E.jin);
const ip = () => ({ 'X-Real-IP': `10.77.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}` });
// A list answer read as one cell: 2xx when the record is listed, 404 when not.
const inList = (r, has) => (r.status >= 200 && r.status < 300 ? { status: r.body.items.some(has) ? 200 : 404, body: r.body.items.length } : r);
// A valid 统一社会信用代码 (GB 32100-2015) of this run.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
let usccSeq = 0;
const uscc = () => {
  let x = process.pid * 131 + usccSeq++ * 7919, body = '91430202';
  for (let i = 0; i < 9; i++) { body += USCC_CHARS[x % 31]; x = Math.floor(x / 31) + i * 13 + 5; }
  const c = 31 - ([...body].reduce((a, ch, i) => a + USCC_CHARS.indexOf(ch) * USCC_W[i], 0) % 31);
  return body + USCC_CHARS[c === 31 ? 0 : c];
};
const enterprise = (town, extra = {}) => ok(office.post('/api/v1/enterprises', { uscc: uscc(), name: `矩阵企业${uniq()}有限公司`, town_unit_id: town, ...extra }), 'enterprise');
const lead = (scope) => ok(office.post('/api/v1/leads', {
  investor: `矩阵投资有限公司${uniq()}`, amount: '1.5亿', chain: '新材料', channel: '以商招商', investor_class: 'none', team_unit_id: teamOf(scope),
}), 'lead');
const request = (scope) => ok(office.post('/api/v1/enterprise-requests', {
  enterprise_id: (scope === 'out' ? E.out : E.mine).id, category: 'utilities', text: `用电增容${uniq()}`, unit_id: teamOf(scope),
}), 'request');
const policy = () => ok(office.post('/api/v1/policies', { title: `矩阵政策${uniq()}`, valid_from: addDays(TODAY, -1), valid_to: addDays(TODAY, 60), conditions: [] }), 'policy');
const post = () => ok(office.post('/api/v1/board-posts', { kind: 'need', category: 'capacity', title: `矩阵供需${uniq()}`, text: '需要外协', enterprise_id: E.mine.id }), 'board post');
const question = async (scope, approved) => {
  const q = await ok(anon.post('/api/v1/questions', { category: QC[scope === 'out' ? 'out' : 'in'], title: `问政${uniq()}`, text: '道路积水严重，请相关部门处理。' }, ip()), 'question');
  if (approved) await ok(office.post(`/api/v1/questions/${q.id}/actions`, { action: 'approve' }), 'approve');
  return { ...q, title: q.title ?? (await office.get(`/api/v1/questions/${q.id}`)).body.title };
};
// 'in': 华巨's open need; 'out': another enterprise's need, closed, that no bank served
const need = async (scope) => {
  const n = await ok(office.post('/api/v1/financing-needs', { enterprise_id: scope === 'out' ? F.other : F.mine, amount: '300万', term_months: 12, purpose: '购置设备' }), 'need');
  if (scope === 'out') await ok(office.patch(`/api/v1/financing-needs/${n.id}`, { state: 'closed' }), 'close need');
  return n;
};
// 'in': the bank's loan on 华巨's need; 'out': another bank's loan on another enterprise's need
const loan = async (scope) => {
  const n = await ok(office.post('/api/v1/financing-needs', { enterprise_id: scope === 'out' ? F.other : F.mine, amount: '300万', term_months: 12, purpose: '流动资金' }), 'need');
  return ok((scope === 'out' ? icbc : as.bank).post(`/api/v1/financing-needs/${n.id}/loans`, { amount: '100万', disbursed_on: TODAY, term_months: 12 }), 'loan');
};
const subsidy = async (scope) => ok(office.post('/api/v1/subsidies', { kind: 'guarantee', loan_id: (await loan(scope)).id, base: '2000' }), 'subsidy');
const fund = (scope) => ok(office.post('/api/v1/fund-applications', { project_id: target(scope).id, kind: 'central_budget', year: Number(TODAY.slice(0, 4)), applied: '3000万' }), 'fund application');

// ---- one request per cell: probes[resource][op](client, scope) ----
// scope 'in': a target inside the unit's and the enterprise's scope (and,
// for projects, published); 'out': one outside both.  A probe that has no
// 'out' form (the target is district-wide) ignores it.
const probes = {
  projects: {
    R: (c, s) => c.get(`/api/v1/projects/${target(s).id}`),
    C: (c, s) => c.post('/api/v1/projects', {
      code: `RC-${uniq()}`, name: `矩阵新建${seq}`, level: 'district', category: '产业项目', chain: '新材料', stage: 'reserve',
      unit_id: s === 'out' ? U.xianyu : U.jinshan,
    }),
    U: async (c, s) => {
      const p = (await office.get(`/api/v1/projects/${target(s).id}`)).body;
      return c.patch(`/api/v1/projects/${p.id}`, { lng: 113.1 + (seq++ % 100) / 1000, lat: 27.8, version: p.version });
    },
    D: async (c, s) => c.del(`/api/v1/projects/${(await project(s === 'out' ? U.xianyu : U.jinshan, s === 'out' ? null : U.huaju)).id}`),
  },
  nodes: {
    R: (c, s) => c.get(`/api/v1/projects/${target(s).id}/nodes`),
    C: (c, s) => c.post(`/api/v1/projects/${target(s).id}/nodes`, { name: `新节点${uniq()}`, kind: 'other', planned_date: addDays(TODAY, 40), unit_id: target(s).unit_id }),
    U: async (c, s) => {
      const n = await node(target(s));
      return c.patch(`/api/v1/nodes/${n.id}`, { person: `张${seq++}`, version: n.version });
    },
    D: async (c, s) => c.del(`/api/v1/nodes/${(await node(target(s))).id}`),
  },
  reports: {
    R: (c, s) => c.get(`/api/v1/projects/${target(s).id}/reports`),
    C: async (c, s) => {
      const p = await project(s === 'out' ? U.xianyu : U.jinshan, s === 'out' ? null : U.huaju);
      return c.post(`/api/v1/projects/${p.id}/reports`, { period: monthOf(-1), investment: '120万' });
    },
    U: async (c, s) => {
      const rep = await report(s);
      return c.patch(`/api/v1/reports/${rep.id}`, { investment: '130万', version: rep.version });
    },
  },
  problems: {
    R: async (c, s) => c.get(`/api/v1/problems/${(await problem(target(s))).id}`),
    C: (c, s) => c.post('/api/v1/problems', { project_id: target(s).id, category: 'utilities', title: `新问题${uniq()}`, description: '供水', unit_id: target(s).unit_id, deadline_days: 3 }),
    U: async (c, s) => c.post(`/api/v1/problems/${(await problem(target(s))).id}/events`, { type: 'comment', text: '请加快办理' }),
  },
  attachments: {
    R: async (c, s) => c.get(`/api/v1/attachments/${(await attachment(target(s))).id}`),
    C: async (c, s) => c.post(`/api/v1/problems/${(await problem(target(s))).id}/attachments`, png, { 'X-File-Name': 'x.png' }),
    D: async (c, s) => c.del(`/api/v1/attachments/${(await attachment(target(s))).id}`),
  },
  meetings: {
    R: async (c) => c.get(`/api/v1/dispatch/meetings/${(await meeting(true)).id}`),
    C: (c) => c.post('/api/v1/dispatch/meetings', { date: addDays(TODAY, 1), kind: 'special', title: `专题会${uniq()}` }),
    U: async (c) => {
      const m = await meeting(false);
      return c.patch(`/api/v1/dispatch/meetings/${m.id}`, { notes: '会议纪要', version: m.version });
    },
  },
  weekly: {
    R: (c) => c.get(`/api/v1/dispatch/weekly?week=${isoWeek(addDays(TODAY, -7))}`),
  },
  tasks: {
    R: async (c, s) => c.get(`/api/v1/tasks/${(await task(s)).id}`),
    C: (c, s) => c.post('/api/v1/tasks', { unit_id: s === 'out' ? U.xianyu : U.jinshan, month: monthOf(0), kind: 'land', title: `新任务${uniq()}`, target: '8亩', weight: 1 }),
    U: async (c, s) => {
      const t = await task(s);
      return c.patch(`/api/v1/tasks/${t.id}`, { actual: '3亩', version: t.version });
    },
    D: async (c, s) => c.del(`/api/v1/tasks/${(await task(s)).id}`),
  },
  rankings: {
    R: (c) => c.get(`/api/v1/rankings?month=${monthOf(-1)}`),
    U: (c) => c.post(`/api/v1/accountability/${monthOf(-1)}/publish`, { note: '经指挥长签发' }),
  },
  flags: {
    R: (c) => c.get(`/api/v1/accountability?month=${monthOf(-1)}`),
    C: (c) => c.post(`/api/v1/accountability/${monthOf(-1)}/flags`, { unit_id: U.xianyu, reason: '征拆工作失职，导致项目交地延误' }),
    D: async (c) => {
      const f = await ok(office.post(`/api/v1/accountability/${monthOf(-1)}/flags`, { unit_id: U.xianyu, reason: '懒政怠政影响攻坚推进' }), 'flag');
      return c.del(`/api/v1/accountability/${monthOf(-1)}/flags/${f.id}`);
    },
  },
  households: {
    R: async (c, s) => c.get(`/api/v1/households/${(await household(target(s))).id}`),
    C: (c, s) => c.post(`/api/v1/projects/${target(s).id}/households`, { village: '石塘村', head_name: `新户${seq++}`, id_number: idNumber('43020319800101123') }),
    U: async (c, s) => {
      const h = await household(target(s));
      return c.patch(`/api/v1/households/${h.id}`, { notes: '户主外出务工', version: h.version });
    },
  },
  approvals: {
    R: async (c, s) => c.get(`/api/v1/approvals/${(await approval(s)).id}`),
    C: async (c, s) => {
      const p = await project(s === 'out' ? U.xianyu : U.jinshan, s === 'out' ? null : U.huaju);
      return c.post(`/api/v1/projects/${p.id}/approvals`, { item_id: (await approvalItem()).id });
    },
    U: async (c, s) => c.post(`/api/v1/approvals/${(await approval(s)).id}/events`, { type: 'submit', date: TODAY }),
  },
  users: {
    R: (c) => c.get(`/api/v1/users/${as.unit.me.id}`),
    C: (c) => c.post('/api/v1/users', { login: `rm${uniq()}`, password: 'Matrix test passphrase 9', name: '矩阵', unit_id: U.jinshan, roles: ['unit'] }),
    U: (c) => c.patch(`/api/v1/users/${as.unit.me.id}`, { name: '钱金山' }),
  },
  units: {
    R: (c) => c.get('/api/v1/units?per_page=5'),
    C: (c) => c.post('/api/v1/units', { name: `矩阵单位${uniq()}`, kind: 'department', parent_id: 1 }),
    U: async (c) => {
      const u = await ok(admin.post('/api/v1/units', { name: `改名单位${uniq()}`, kind: 'department', parent_id: 1 }), 'unit');
      return c.patch(`/api/v1/units/${u.id}`, { name: `${u.name}改`, version: u.version });
    },
    D: async (c) => {
      const u = await ok(admin.post('/api/v1/units', { name: `删除单位${uniq()}`, kind: 'department', parent_id: 1 }), 'unit');
      return c.del(`/api/v1/units/${u.id}`);
    },
  },
  settings: {
    R: (c) => c.get('/api/v1/settings/lights'),
    U: async (c) => {
      const { yellow_days, red_lag, yellow_lag } = (await admin.get('/api/v1/settings/lights')).body;
      return c.put('/api/v1/settings/lights', { yellow_days, red_lag, yellow_lag });
    },
  },
  audit: {
    R: (c) => c.get('/api/v1/audit?per_page=5'),
  },
  webhooks: {
    R: (c) => c.get('/api/v1/webhooks'),
    C: (c) => c.post('/api/v1/webhooks', { unit_id: U.jinshan, kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix', name: `群${uniq()}` }),
    U: async (c) => {
      const h = await ok(admin.post('/api/v1/webhooks', { unit_id: U.jinshan, kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=m1', name: `群${uniq()}` }), 'webhook');
      return c.patch(`/api/v1/webhooks/${h.id}`, { name: `${h.name}改`, version: h.version });
    },
    D: async (c) => {
      const h = await ok(admin.post('/api/v1/webhooks', { unit_id: U.jinshan, kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=m2', name: `群${uniq()}` }), 'webhook');
      return c.del(`/api/v1/webhooks/${h.id}`);
    },
  },
  leads: {
    R: async (c, s) => c.get(`/api/v1/leads/${(await lead(s)).id}`),
    C: (c, s) => c.post('/api/v1/leads', { investor: `新线索投资有限公司${uniq()}`, amount: '2亿', chain: '新材料', channel: '以商招商', investor_class: 'none', team_unit_id: teamOf(s) }),
    U: async (c, s) => {
      const l = await lead(s);
      return c.patch(`/api/v1/leads/${l.id}`, { notes: `已电话回访${seq++}`, version: l.version });
    },
  },
  enterprises: {
    R: (c, s) => c.get(`/api/v1/enterprises/${entOf(c, s).id}`),
    C: (c, s) => c.post('/api/v1/enterprises', { uscc: uscc(), name: `矩阵新企业${uniq()}有限公司`, town_unit_id: teamOf(s) }),
    U: async (c, s) => c.patch(`/api/v1/enterprises/${entOf(c, s).id}`, { address: `株洲市荷塘区新材料路${seq++}号` }),
  },
  requests: {
    R: async (c, s) => c.get(`/api/v1/enterprise-requests/${(await request(s)).id}`),
    C: (c, s) => c.post('/api/v1/enterprise-requests', { enterprise_id: (s === 'out' ? E.out : E.mine).id, category: 'utilities', text: `供水增容${uniq()}`, unit_id: teamOf(s) }),
    U: async (c, s) => c.post(`/api/v1/enterprise-requests/${(await request(s)).id}/events`, { type: 'comment', text: '请尽快协调' }),
  },
  policies: {
    R: async (c) => c.get(`/api/v1/policies/${(await policy()).id}`),
    C: (c) => c.post('/api/v1/policies', { title: `矩阵政策${uniq()}`, valid_from: addDays(TODAY, -1), valid_to: addDays(TODAY, 60), conditions: [] }),
    U: async (c) => {
      const p = await policy();
      return c.patch(`/api/v1/policies/${p.id}`, { benefit: `一次性奖励${seq++}万元`, version: p.version });
    },
  },
  board: {
    R: async (c) => c.get(`/api/v1/board-posts/${(await post()).id}`),
    // the office and a town post on behalf of an enterprise of theirs; an enterprise for itself
    C: (c) => c.post('/api/v1/board-posts', { kind: 'need', category: 'capacity', title: `外协加工${uniq()}`, text: '需要热处理外协产能', enterprise_id: entOf(c, 'in').id }),
    U: async (c) => {
      // one's own post: each role edits what it posted (the office posts it when the role cannot)
      const mine = await c.post('/api/v1/board-posts', { kind: 'offer', category: 'capacity', title: `闲置产能${uniq()}`, text: '冲压产能可对外', enterprise_id: entOf(c, 'in').id });
      const p = mine.status === 201 ? mine.body : await post();
      return c.patch(`/api/v1/board-posts/${p.id}`, { text: `冲压产能可对外，联系${seq++}`, version: p.version });
    },
  },
  questions: {
    R: async (c, s) => c.get(`/api/v1/questions/${(await question(s, true)).id}`),
    C: (c) => c.post('/api/v1/questions', { category: QC.in, title: `路灯不亮${uniq()}`, text: '小区门口的路灯坏了一个月了，请尽快修复。' }, ip()),
    U: async (c, s) => c.post(`/api/v1/questions/${(await question(s, true)).id}/actions`, { action: 'comment', note: '已联系街道核实。' }),
  },
  published: {
    R: async (c, s) => {
      const q = await question(s, s !== 'out');
      return inList(await c.get(`/api/v1/public/questions?q=${encodeURIComponent(q.title)}&per_page=50`), (x) => x.tracking_code === q.tracking_code);
    },
  },
  needs: {
    R: async (c, s) => c.get(`/api/v1/financing-needs/${(await need(s)).id}`),
    C: (c) => c.post('/api/v1/financing-needs', { enterprise_id: F.mine, amount: '200万', term_months: 12, purpose: '流动资金' }),
    U: async (c, s) => c.patch(`/api/v1/financing-needs/${(await need(s)).id}`, { purpose: `购置设备${seq++}` }),
  },
  loans: {
    R: async (c, s) => {
      const l = await loan(s);
      return inList(await c.get('/api/v1/financing-loans?per_page=500'), (x) => x.id === l.id);
    },
    C: async (c, s) => c.post(`/api/v1/financing-needs/${(await need(s)).id}/loans`, { amount: '50万', disbursed_on: TODAY, term_months: 12 }),
  },
  subsidies: {
    R: async (c, s) => c.get(`/api/v1/subsidies/${(await subsidy(s)).id}`),
    C: async (c) => c.post('/api/v1/subsidies', { kind: 'guarantee', loan_id: (await loan('in')).id, base: '1000' }),
    U: async (c, s) => {
      const sub = await subsidy(s);
      await ok(office.post(`/api/v1/subsidies/${sub.id}/events`, { event: 'return', date: TODAY, reason: '缺担保合同' }), 'return');
      return c.post(`/api/v1/subsidies/${sub.id}/events`, { event: 'resubmit', date: TODAY });
    },
  },
  funds: {
    R: async (c, s) => c.get(`/api/v1/fund-applications/${(await fund(s)).id}`),
    C: (c, s) => c.post('/api/v1/fund-applications', { project_id: target(s).id, kind: 'special_bond', year: Number(TODAY.slice(0, 4)), applied: '1亿' }),
    U: async (c, s) => {
      const f = await fund(s);
      return c.patch(`/api/v1/fund-applications/${f.id}`, { batch: `第${seq++}批`, version: f.version });
    },
  },
  tokens: {
    R: (c) => c.get('/api/v1/tokens'),
    C: (c) => c.post('/api/v1/tokens', { name: `令牌${uniq()}` }),
    D: async (c) => c.del(`/api/v1/tokens/${(await ok(c.post('/api/v1/tokens', { name: `待撤销${uniq()}` }), 'token')).id}`),
  },
};

const matrix = readMatrix();

before(async () => {
  server = await startServer();
  admin = await server.login('admin');
  office = await server.login('office');
  for (const [k, n] of [['jinshan', '金山街道'], ['xianyu', '仙庾镇'], ['huaju', '湖南华巨新材料有限公司'], ['zrzy', '荷塘区自然资源分局']]) U[k] = await unitId(office, n);
  const pub = `rmpublic${process.pid}`;
  await ok(admin.post('/api/v1/users', { login: pub, password: 'Public matrix passphrase 3', name: '市民', unit_id: 1, roles: ['public'] }), 'public user');
  const logins = { admin: 'admin', office: 'office', leader: 'leader', unit: 'jinshan', enterprise: 'enterprise', bank: 'bank', public: [pub, 'Public matrix passphrase 3'] };
  for (const role of ROLES) {
    as[role] = await server.login(logins[role]);
    as[role].me = (await as[role].get('/api/v1/me')).body.user;
  }
  P = await project(U.jinshan, U.huaju, { published: true });
  Q = await project(U.xianyu, null);
  anon = server.client();
  icbc = await server.login(['icbc', 'bank1234']);
  E.mine = (await as.enterprise.get('/api/v1/enterprises')).body.items[0];
  E.jin = await enterprise(U.jinshan, { commissioner_id: as.unit.me.id }); // 金山街道's user serves it (服务专员)
  E.out = await enterprise(U.xianyu);
  F.mine = as.enterprise.me.unit_id;
  F.other = (await ok(admin.post('/api/v1/units', { name: `矩阵他企${uniq()}有限公司`, kind: 'enterprise', parent_id: 1 }), 'enterprise unit')).id;
  await ok(office.post('/api/v1/qa-categories', { code: QC.in, name: '金山街道事务', unit_id: U.jinshan, deadline_days: 5, group: '矩阵' }), 'category');
  await ok(office.post('/api/v1/qa-categories', { code: QC.out, name: '仙庾镇事务', unit_id: U.xianyu, deadline_days: 5, group: '矩阵' }), 'category');
});
after(async () => { await server?.stop(); });

test('the README table names every resource this test probes and grants no operation a resource lacks', () => {
  assert.deepEqual(Object.keys(matrix).sort(), Object.keys(probes).sort());
  for (const [res, row] of Object.entries(matrix))
    for (const [role, letters] of Object.entries(row))
      for (const op of letters) assert.ok(probes[res][op], `${res}/${role}: ${OPS[op]} is not an operation of ${res}`);
});

const allowed = (s) => s >= 200 && s < 300;
const denied = (s) => s === 403 || s === 404;

for (const res of Object.keys(probes)) {
  for (const role of ROLES) {
    const letters = matrix[res]?.[role] ?? '';
    const ops = Object.keys(probes[res]);
    const says = ops.map((op) => `${letters.includes(op) ? 'may' : 'may not'} ${OPS[op]}`).join(', ');
    test(`${role} ${says} ${res}`, async () => {
      for (const op of ops) {
        const r = await probes[res][op](as[role], 'in');
        if (letters.includes(op)) assert.ok(allowed(r.status), `${role} ${OPS[op]} ${res}: ${r.status} ${JSON.stringify(r.body)}`);
        else assert.ok(denied(r.status), `${role} ${OPS[op]} ${res}: expected 403/404, got ${r.status} ${JSON.stringify(r.body)}`);
      }
    });
  }
}

// The scoped roles' letters hold inside their scope only (the public's:
// on published projects and questions only; a bank's: on open needs and its
// own loans).  The operations listed per resource are those that have an
// out-of-scope form (creating a request or a subsidy names the enterprise or
// loan it is for: another's is refused on that field, 422, see
// enterprises.test.mjs and finance.test.mjs).
const scoped = {
  projects: 'RCUD', nodes: 'RCUD', reports: 'RCU', problems: 'RCU', attachments: 'RCD', tasks: 'RCUD', households: 'RCU', approvals: 'RCU',
  leads: 'RCU', enterprises: 'RU', requests: 'RU', questions: 'RU', published: 'R', needs: 'RU', loans: 'RC', subsidies: 'RU', funds: 'RCU',
};
for (const role of ['unit', 'enterprise', 'bank', 'public']) {
  for (const [res, outOps] of Object.entries(scoped)) {
    const letters = (matrix[res]?.[role] ?? '').split('').filter((op) => outOps.includes(op));
    if (!letters.length) continue;
    test(`${role} may not ${letters.map((op) => OPS[op]).join(', ')} ${res} outside its scope`, async () => {
      for (const op of letters) {
        const r = await probes[res][op](as[role], 'out');
        assert.ok(denied(r.status), `${role} ${OPS[op]} ${res} out of scope: expected 403/404, got ${r.status} ${JSON.stringify(r.body)}`);
      }
    });
  }
}

// Permission first: a role the matrix refuses hears 403 however bad its input
// is, never a field error that would tell it how to shape a request it may not make.
test('a leader changing a lead hears 403 before any field error', async () => {
  const l = await lead('in');
  const r = await as.leader.patch(`/api/v1/leads/${l.id}`, { amount: 'lots', created_on: 'yesterday', version: l.version });
  assert.equal(r.status, 403, JSON.stringify(r.body));
});
test('an enterprise approving its own subsidy application hears 403 before any field error', async () => {
  const sub = await ok(as.enterprise.post('/api/v1/subsidies', { kind: 'guarantee', loan_id: (await loan('in')).id, base: '500' }), 'subsidy');
  const r = await as.enterprise.post(`/api/v1/subsidies/${sub.id}/events`, { event: 'approve', date: 'tomorrow', amount: 'all of it' });
  assert.equal(r.status, 403, JSON.stringify(r.body));
});
