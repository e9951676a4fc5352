-- 0011 land and approvals at province scale (1,000,000 households).
-- The progress figures (GET /land-progress, a project's progress) sum every
-- household of a project: an index holding the summed columns answers them
-- without reading the table rows.
CREATE INDEX land_households_progress ON land_households(project_id, state, collective_mu, state_mu, due, paid, houses,
                                                         surveyed_on);
