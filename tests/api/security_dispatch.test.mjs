// Issue 13, finding 6: what the dispatch machinery circulates.  An agenda
// before its meeting (every red project and problem of the district) is for
// the project office and the leaders; a town sees a held meeting, and then
// only the items about its own projects.  A week's dispatch report is
// issued to every unit once the week is over; the running week's is a draft.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServerAs, TODAY, addDays } from './lib.mjs';

let server, office, leader, jinshan;
before(async () => { [server, office, leader, jinshan] = await startServerAs('office', 'leader', 'jinshan'); });
after(async () => { await server?.stop(); });

// ISO week 'YYYY-Www' of a date.
function isoWeek(day) {
  const d = new Date(`${day}T00:00:00Z`);
  const wd = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - wd + 3);
  const y = d.getUTCFullYear();
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const w = 1 + Math.round(((d - jan4) / 86400000 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
  return `${y}-W${String(w).padStart(2, '0')}`;
}

test('a planned meeting\'s agenda is not circulated to towns; a held one shows a town only its own projects', async () => {
  let r = await office.post('/api/v1/dispatch/meetings', { date: TODAY, title: '本周调度会' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const m = r.body;
  const all = m.agenda.filter((i) => i.project_id);
  assert.ok(all.length > 0, 'the demo district has red projects on the agenda');
  // before the meeting: not listed, not readable by a town; leaders read it
  assert.ok(!(await jinshan.get('/api/v1/dispatch/meetings?per_page=500')).body.items.some((x) => x.id === m.id));
  assert.equal((await jinshan.get(`/api/v1/dispatch/meetings/${m.id}`)).status, 404);
  assert.equal((await jinshan.get(`/api/v1/dispatch/meetings/${m.id}/agenda`)).status, 404);
  assert.equal((await leader.get(`/api/v1/dispatch/meetings/${m.id}`)).status, 200);
  // held: the town sees its own projects' items only
  r = await office.patch(`/api/v1/dispatch/meetings/${m.id}`, { state: 'held', version: m.version });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await jinshan.get(`/api/v1/dispatch/meetings/${m.id}`);
  assert.equal(r.status, 200);
  const mine = r.body.agenda;
  assert.ok(mine.length < all.length, `${mine.length} of ${all.length}`);
  for (const it of mine) assert.equal((await jinshan.get(`/api/v1/projects/${it.project_id}`)).status, 200, `item ${it.id}`);
  const items = (await jinshan.get(`/api/v1/dispatch/meetings/${m.id}/agenda`)).body.items;
  assert.deepEqual(items.map((i) => i.id), mine.filter((i) => !i.removed).map((i) => i.id));
  assert.ok((await jinshan.get('/api/v1/dispatch/meetings?per_page=500')).body.items.some((x) => x.id === m.id));
});

test('the running week\'s dispatch report is a draft for the office and leaders; an ended week\'s goes to every unit', async () => {
  const week = isoWeek(TODAY), last = isoWeek(addDays(TODAY, -7));
  for (const path of ['/api/v1/dispatch/weekly', '/api/v1/reports/weekly']) {
    assert.equal((await jinshan.get(path)).status, 403);
    assert.equal((await jinshan.get(`${path}?week=${week}`)).status, 403);
    assert.equal((await leader.get(`${path}?week=${week}`)).status, 200);
    assert.equal((await office.get(`${path}?week=${week}&format=xlsx`)).status, 200);
    assert.equal((await jinshan.get(`${path}?week=${last}`)).status, 200);
  }
});
