-- 0025: the data version per data domain (src/http.c, "the data version").
-- Both stores now read only the audit entries above the newest settled id,
-- through the primary key, and classify them in C: nothing to add here.
-- sql/pg/0025 drops PostgreSQL's partial indexes of the two old kinds of
-- version (sql/pg/0022), which no query reads any more.
SELECT 1;
