-- 0022: the data version of cached answers (src/http.c, "the data version").
-- SQLite reads it from the audit entries above the newest id it has seen,
-- through the primary key: nothing to add here.  PostgreSQL reads the newest
-- entry that counts, which without an index of its own walked past every
-- entry that does not (escalations, logins, reads): sql/pg/0022 adds one
-- partial index per kind of version.
SELECT 1;
