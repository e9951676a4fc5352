-- 0012 investment attraction (招商引资): the pipeline of leads from the
-- first contact to production, their meetings (洽谈, 预审会, 决策会), the
-- stage history, the contract terms at signing, and the targets per year
-- and attraction team.  Money BIGINT fen, land BIGINT hundredths of 亩,
-- dates TEXT YYYY-MM-DD, times TEXT RFC 3339 UTC.

CREATE TABLE leads (
  id {{ID}},
  investor TEXT NOT NULL,                       -- the investor (company or person)
  project_name TEXT,                            -- the project as the investor proposes it
  amount BIGINT NOT NULL DEFAULT 0,             -- the intended investment, fen
  chain TEXT NOT NULL,                          -- 产业链
  channel TEXT NOT NULL,                        -- 以商招商, 异地商会, 推介会, 迎老乡回故乡建家乡…
  investor_class TEXT NOT NULL DEFAULT 'none',  -- fortune500|china500|private500|none (三类500强)
  team_unit_id BIGINT NOT NULL REFERENCES units(id), -- the attraction team (department, hq or town)
  lead_person TEXT,                             -- the team's person in charge of the lead
  contact_name TEXT,                            -- the investor's contact: personal data, masked
  contact_phone TEXT,
  notes TEXT,
  stage TEXT NOT NULL DEFAULT 'lead',           -- lead|negotiation|prereview|decision|signed|registered|started|production|lost
  lost_reason TEXT,
  -- the contract terms, set at signing
  signed_on TEXT,
  promised_start TEXT,
  promised_investment BIGINT,
  promised_tax BIGINT,                          -- annual tax after full production, fen
  land_area BIGINT,                             -- 亩 hundredths
  project_id BIGINT REFERENCES projects(id) ON DELETE SET NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_on TEXT NOT NULL,                     -- the day the lead was recorded
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX leads_team_stage ON leads(team_unit_id, stage);
CREATE INDEX leads_signed ON leads(signed_on);
CREATE INDEX leads_stage ON leads(stage, id);
CREATE UNIQUE INDEX leads_project ON leads(project_id);

-- the stage history: every move with its reason
CREATE TABLE lead_events (
  id {{ID}},
  lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  from_stage TEXT,
  to_stage TEXT NOT NULL,
  reason TEXT,
  user_id BIGINT REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX lead_events_lead ON lead_events(lead_id, id);

-- meetings: negotiation 洽谈, prereview 预审会, decision 决策会
CREATE TABLE lead_meetings (
  id {{ID}},
  lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  held_on TEXT NOT NULL,
  participants TEXT,
  record TEXT,
  user_id BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX lead_meetings_lead ON lead_meetings(lead_id, held_on);

-- targets per year and team (目标): signings, amount, ≥ ¥100 m, 三类500强
CREATE TABLE attraction_targets (
  year INTEGER NOT NULL,
  team_unit_id BIGINT NOT NULL REFERENCES units(id),
  signed INTEGER NOT NULL DEFAULT 0,
  signed_amount BIGINT NOT NULL DEFAULT 0,
  over_100m INTEGER NOT NULL DEFAULT 0,
  top500 INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (year, team_unit_id)
);
