-- 0015 finance: financing matchmaking (银企对接), guarantee-fee and interest
-- subsidies (担保费补贴 · 贷款贴息) and funds seeking (争资引项).  Every
-- record of an enterprise is keyed to its unit (units.kind 'enterprise');
-- banks are units of kind 'bank'.  Money BIGINT fen, rates INTEGER in
-- hundredths of a percent (345 = 3.45 %), dates TEXT YYYY-MM-DD, times TEXT
-- RFC 3339 UTC.

-- an enterprise's financing need 融资需求
CREATE TABLE fin_needs (
  id {{ID}},
  enterprise_unit_id BIGINT NOT NULL REFERENCES units(id),
  amount BIGINT NOT NULL,                      -- fen
  term_months INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  collateral TEXT,                             -- 抵押担保方式
  rate_max_bp INTEGER,                         -- the highest acceptable rate
  contact_name TEXT,                           -- personal data: masked unless revealed
  contact_phone TEXT,
  state TEXT NOT NULL DEFAULT 'open',          -- open|closed
  version INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX fin_needs_enterprise ON fin_needs(enterprise_unit_id, id);
CREATE INDEX fin_needs_state ON fin_needs(state, id);

-- a bank's credit grant 授信 on a need
CREATE TABLE fin_credits (
  id {{ID}},
  need_id BIGINT NOT NULL REFERENCES fin_needs(id),
  bank_unit_id BIGINT NOT NULL REFERENCES units(id),
  enterprise_unit_id BIGINT NOT NULL REFERENCES units(id),
  amount BIGINT NOT NULL,
  granted_on TEXT NOT NULL,
  rate_bp INTEGER NOT NULL,
  user_id BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX fin_credits_need ON fin_credits(need_id);
CREATE INDEX fin_credits_bank ON fin_credits(bank_unit_id, granted_on);
CREATE INDEX fin_credits_granted ON fin_credits(granted_on);

-- a bank's loan 放贷 on a need
CREATE TABLE fin_loans (
  id {{ID}},
  need_id BIGINT NOT NULL REFERENCES fin_needs(id),
  bank_unit_id BIGINT NOT NULL REFERENCES units(id),
  enterprise_unit_id BIGINT NOT NULL REFERENCES units(id),
  amount BIGINT NOT NULL,
  disbursed_on TEXT NOT NULL,
  term_months INTEGER NOT NULL,
  rate_bp INTEGER,
  user_id BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX fin_loans_need ON fin_loans(need_id);
CREATE INDEX fin_loans_bank ON fin_loans(bank_unit_id, disbursed_on);
CREATE INDEX fin_loans_disbursed ON fin_loans(disbursed_on);
CREATE INDEX fin_loans_enterprise ON fin_loans(enterprise_unit_id);

-- a bank's contact with the enterprise about a need (对接记录)
CREATE TABLE fin_contacts (
  id {{ID}},
  need_id BIGINT NOT NULL REFERENCES fin_needs(id),
  bank_unit_id BIGINT NOT NULL REFERENCES units(id),
  enterprise_unit_id BIGINT NOT NULL REFERENCES units(id),
  contacted_on TEXT NOT NULL,
  note TEXT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX fin_contacts_need ON fin_contacts(need_id);
CREATE INDEX fin_contacts_bank ON fin_contacts(bank_unit_id, contacted_on);

-- the white list 推荐名单: enterprises the district recommends to banks, per year
CREATE TABLE fin_whitelist (
  id {{ID}},
  enterprise_unit_id BIGINT NOT NULL REFERENCES units(id),
  year INTEGER NOT NULL,
  note TEXT,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL,
  UNIQUE (enterprise_unit_id, year)
);
CREATE INDEX fin_whitelist_year ON fin_whitelist(year);

-- the administrator's subsidy rule per kind: share and cap per enterprise per year
CREATE TABLE fin_subsidy_rules (
  kind TEXT PRIMARY KEY,                       -- guarantee|interest
  share_bp INTEGER NOT NULL,                   -- 5000 = 50.00 % of the fee or interest
  cap BIGINT NOT NULL,                         -- fen per enterprise per year, 0: none
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);

-- a subsidy application tied to a loan
CREATE TABLE fin_subsidies (
  id {{ID}},
  kind TEXT NOT NULL,                          -- guarantee|interest
  loan_id BIGINT NOT NULL REFERENCES fin_loans(id),
  enterprise_unit_id BIGINT NOT NULL REFERENCES units(id),
  year INTEGER NOT NULL,
  batch TEXT,                                  -- 批次
  base BIGINT NOT NULL,                        -- the fee or interest paid, fen
  share_bp INTEGER NOT NULL,                   -- the rule when applied
  applied BIGINT NOT NULL,                     -- the amount the rule gives
  approved BIGINT,
  paid BIGINT,
  state TEXT NOT NULL DEFAULT 'applied',       -- applied|approved|returned|paid
  applied_on TEXT NOT NULL,
  last_on TEXT NOT NULL,                       -- the latest event's date
  return_reason TEXT,
  paid_on TEXT,
  voucher TEXT,                                -- the payment's record (凭证号)
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX fin_subsidies_enterprise ON fin_subsidies(enterprise_unit_id, year, kind);
CREATE INDEX fin_subsidies_state ON fin_subsidies(state, id);

CREATE TABLE fin_subsidy_events (
  id {{ID}},
  subsidy_id BIGINT NOT NULL REFERENCES fin_subsidies(id),
  type TEXT NOT NULL,                          -- apply|approve|return|resubmit|pay
  on_date TEXT NOT NULL,
  amount BIGINT,
  reason TEXT,
  user_id BIGINT REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX fin_subsidy_events_subsidy ON fin_subsidy_events(subsidy_id, id);

-- funds seeking 争资引项: a project packaged for upper-level money
CREATE TABLE fund_applications (
  id {{ID}},
  project_id BIGINT NOT NULL REFERENCES projects(id),
  kind TEXT NOT NULL,                          -- central_budget|special_bond|provincial_fund|other
  year INTEGER NOT NULL,
  batch TEXT,
  applied BIGINT NOT NULL,
  approved BIGINT NOT NULL DEFAULT 0,
  received BIGINT NOT NULL DEFAULT 0,
  team_unit_id BIGINT REFERENCES units(id),    -- the team that seeks it
  note TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX fund_applications_year ON fund_applications(year, kind);
CREATE INDEX fund_applications_project ON fund_applications(project_id);
CREATE INDEX fund_applications_team ON fund_applications(team_unit_id, year);

-- a team's annual target 争资目标
CREATE TABLE fund_targets (
  unit_id BIGINT NOT NULL REFERENCES units(id),
  year INTEGER NOT NULL,
  target BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (unit_id, year)
);
