// Requests running at the same time must not disturb each other.  Run
// under the sanitizer build (GUATU_BIN=build/asan/guatu) a use-after-free
// shows as an AddressSanitizer report in the server log, which fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServerAs, addDays } from './lib.mjs';

let server, admin, office;

before(async () => {
  [server, admin, office] = await startServerAs('admin', 'office');
});
after(async () => { await server?.stop(); });

test('the working-day calendar stays valid for the readers while an administrator edits it many times', async () => {
  // Readers step through 2020–2034 working day by working day, or count
  // the slip of every node of the battle map in working days (the edits
  // lie beyond, in 2040, so they keep every answer the same but make the
  // server load a new calendar for the next request after each one).
  const asks = [(i) => '/api/v1/calendar/add-working-days?from=2020-01-01&days=3660',
    (i) => '/api/v1/calendar/add-working-days?from=2034-12-31&days=-3660',
    (i) => '/api/v1/calendar/working-days-between?from=2020-01-01&to=2034-12-31',
    (i) => '/api/v1/calendar?year=2026',
    // another limit (beyond the 150 projects) is another URL: no cached answer
    (i) => `/api/v1/battlemap?limit=${1000 + i}`];
  const want = [];
  for (const path of asks) {
    const r = await office.get(path(0));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    want.push(JSON.stringify(r.body));
  }
  // Far more edits than the 64 replaced calendars the server used to keep;
  // the editor's own read after each one makes the server load the new
  // calendar, while the other readers may still be using the old one.
  const edits = 150;
  // The readers log in first: logged in while the edits ran, on a loaded
  // machine they could start after the last edit and read nothing.
  const clients = [];
  for (let k = 0; k < 4; k++) clients.push(await server.login('office'));
  let editing = true;
  const edit = (async () => {
    try {
      for (let i = 0, day = '2040-01-02'; i < edits; day = addDays(day, 1)) {
        if ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) continue; // a holiday falls on a weekday
        const r = await admin.put(`/api/v1/calendar/days/${day}`, { kind: 'holiday', name: `测试${i++}` });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const again = await admin.get(asks[0](0));
        assert.equal(JSON.stringify(again.body), want[0]);
      }
    } finally {
      editing = false;
    }
  })();
  const readers = [];
  let reads = 0;
  for (const [k, c] of clients.entries()) {
    readers.push((async () => {
      for (let i = k; editing; i++) {
        const j = i % asks.length;
        const r = await c.get(asks[j](i));
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(JSON.stringify(r.body), want[j], asks[j](i));
        reads++;
      }
    })());
  }
  await Promise.all([edit, ...readers]);
  assert.ok(reads > 0);
  const r = await office.get('/api/v1/calendar?year=2040');
  assert.equal(r.body.items.length, edits);
});
