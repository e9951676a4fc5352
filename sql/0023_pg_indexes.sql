-- 0023 indexes for the escalation tick's scans (issue 21, PostgreSQL at
-- province scale).  Every server runs the tick every few seconds; each of
-- its scans asks for the first 100 overdue items "ORDER BY id LIMIT 100"
-- (or by due date).  PostgreSQL's planner expects thousands of matches and
-- walks the primary key, filtering every row, until it has 100 — on a
-- settled database there are none, so every tick read all 200,000 problems
-- (~110 ms) and all 436,940 approval records (~390 ms) on the province
-- dataset: a steady third of a core taken from the requests.  Each index
-- below holds only the rows its scan can return (partial, in the scan's
-- order), so a tick reads the few that are still open and not yet told.
-- Portable (SQLite has partial indexes); IF NOT EXISTS so that a branch that
-- adds the same index under the same name merges cleanly.

-- problems.c escalate_due(): state <> 'closed' AND ((escalation < 1 AND
-- due_date < ?) OR (escalation < 2 AND escalate2_date < ?)) ORDER BY id;
-- both arms imply escalation < 2.  The dates are in the index, so the scan
-- reads no table row that it does not return.
CREATE INDEX IF NOT EXISTS problems_escalation_open ON problems(id, escalation, due_date, escalate2_date)
  WHERE state <> 'closed' AND escalation < 2;

-- approval_stats.c: the records waiting for a decision that have no
-- problem raised yet, past their due date, ORDER BY id.
CREATE INDEX IF NOT EXISTS approvals_escalation_open ON approvals(id, due_date)
  WHERE state IN ('submitted', 'accepted') AND problem_id IS NULL;

-- ent_escalate.c: waiting requests not yet at level 2, in the order the
-- tick takes them.  (qa_escalate.c's scan of questions already uses
-- questions_state_due: no index for it here.)
CREATE INDEX IF NOT EXISTS enterprise_requests_escalation_open ON enterprise_requests(escalation, due_date, id)
  WHERE state IN ('open', 'accepted', 'in_progress', 'reopened') AND escalation < 2;
