-- 0025 (PostgreSQL): the data version is read per data domain from the audit
-- entries above the newest settled id (src/http.c, "the data version"),
-- through the primary key; the partial indexes of the two old kinds of
-- version (0022) are read by no query and only slowed every audited write.
DROP INDEX IF EXISTS audit_version_any;
DROP INDEX IF EXISTS audit_version_not_problems;
