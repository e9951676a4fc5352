-- 0022 (PostgreSQL): the newest audit entry of each kind of data version
-- (src/http.c: DV_ANY, DV_NOT_PROBLEMS — the WHERE clauses must stay the
-- same text for the planner to use these) is one step down an index that
-- holds only the entries that count.
CREATE INDEX audit_version_any ON audit_log(id) WHERE action NOT IN ('login', 'logout', 'login_failed', 'lock', 'read');
CREATE INDEX audit_version_not_problems ON audit_log(id)
  WHERE action NOT IN ('login', 'logout', 'login_failed', 'lock', 'read')
  AND entity NOT IN ('problem', 'question', 'enterprise_request', 'project_rollups');
