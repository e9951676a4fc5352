-- 0021 indexes for the province-scale figures (issue 21).
-- /approvals/stats reads the records issued in a period (by default this
-- year to date: 26,000 of a province's 432,000 issued records): by state
-- alone every issued record was read to test its date.
CREATE INDEX approvals_state_issued ON approvals(state, issued_on);
