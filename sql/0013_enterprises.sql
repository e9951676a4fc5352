-- 0013 enterprises: enterprise services (企业服务).  The registry of
-- enterprises (统一社会信用代码, flags, yearly figures, the service
-- commissioner 服务专员), their requests 诉求 through the closed loop
-- (src/loop.h), the policy library (政策库) with machine-checkable
-- eligibility and the benefits granted (免申即享), and the supply–demand
-- board (供需对接).  Money in fen (BIGINT), dates TEXT YYYY-MM-DD, times
-- TEXT RFC 3339 UTC.

-- one row per enterprise; its unit (kind 'enterprise') is who logs in for it
CREATE TABLE enterprises (
  id {{ID}},
  unit_id BIGINT NOT NULL UNIQUE REFERENCES units(id),
  uscc TEXT NOT NULL,                          -- 统一社会信用代码, 18 characters, capitals
  name TEXT NOT NULL,
  legal_rep TEXT,                              -- 法定代表人
  contact_name TEXT,                           -- personal data: masked in answers
  contact_phone TEXT,                          -- personal data: masked in answers
  address TEXT,
  town_unit_id BIGINT REFERENCES units(id),    -- the town or street it lies in
  industry TEXT,
  chain TEXT,                                  -- the industry chain 产业链
  flags TEXT NOT NULL DEFAULT '',              -- comma-separated: above_scale,high_tech,…
  commissioner_id BIGINT REFERENCES users(id), -- 服务专员
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX enterprises_town ON enterprises(town_unit_id);
-- The API refuses a code already registered anywhere in the database; the
-- index holds it within a town only, so that districts merged into one
-- database (guatu copy) each keep their own record of an enterprise both
-- registered.
CREATE UNIQUE INDEX enterprises_town_uscc ON enterprises(town_unit_id, uscc);
CREATE INDEX enterprises_uscc ON enterprises(uscc);
CREATE INDEX enterprises_commissioner ON enterprises(commissioner_id);
CREATE INDEX enterprises_name ON enterprises(name);

-- figures per year
CREATE TABLE enterprise_figures (
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
  year INTEGER NOT NULL,
  revenue BIGINT,                              -- 营业收入, fen
  tax BIGINT,                                  -- 税收, fen
  employees INTEGER,
  rd BIGINT,                                   -- R&D spending, fen
  PRIMARY KEY (enterprise_id, year)
);

-- requests 诉求: states and actions of the closed loop (loop.h)
CREATE TABLE enterprise_requests (
  id {{ID}},
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
  category TEXT NOT NULL,                      -- labor|financing|land|approval|utilities|policy|other
  text TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES units(id),-- the department it is routed to
  state TEXT NOT NULL DEFAULT 'open',
  raised_on TEXT NOT NULL,
  started_on TEXT NOT NULL,                    -- the deadline counts from here: raised, or reopened
  deadline_days INTEGER NOT NULL,              -- working days
  due_date TEXT NOT NULL,                      -- started_on + deadline_days working days
  reply TEXT,                                  -- the latest reply
  replied_on TEXT,                             -- the reply since the last (re)start: on time when ≤ due_date
  closed_on TEXT,
  rating INTEGER,                              -- 1–5, given with the confirmation
  raised_by BIGINT REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX enterprise_requests_ent ON enterprise_requests(enterprise_id, id);
CREATE INDEX enterprise_requests_unit ON enterprise_requests(unit_id, state);
CREATE INDEX enterprise_requests_state_due ON enterprise_requests(state, due_date);

CREATE TABLE enterprise_request_events (
  id {{ID}},
  request_id BIGINT NOT NULL REFERENCES enterprise_requests(id) ON DELETE CASCADE,
  type TEXT NOT NULL,                          -- raise|accept|comment|reply|confirm|reopen
  text TEXT,
  rating INTEGER,
  user_id BIGINT REFERENCES users(id),
  on_date TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX enterprise_request_events_req ON enterprise_request_events(request_id, id);

-- the policy library; conditions: JSON array of {field, op, value}, all must hold
CREATE TABLE policies (
  id {{ID}},
  title TEXT NOT NULL,
  issuer TEXT,
  doc_no TEXT,                                 -- 文号
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  benefit TEXT,
  body TEXT,                                   -- the full text
  attachment_id BIGINT,                        -- an uploaded file (attachments), when any
  conditions TEXT NOT NULL DEFAULT '[]',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX policies_valid ON policies(valid_to, valid_from);

-- the office's confirmed list and the benefit granted to each enterprise
CREATE TABLE policy_grants (
  policy_id BIGINT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
  status TEXT NOT NULL,                        -- confirmed|granted
  amount BIGINT,                               -- fen, when granted
  granted_on TEXT,
  note TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (policy_id, enterprise_id)
);
CREATE INDEX policy_grants_ent ON policy_grants(enterprise_id);

-- the supply–demand board 供需对接: what an enterprise needs or offers,
-- the responses of other enterprises, and the office's match
CREATE TABLE board_posts (
  id {{ID}},
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
  kind TEXT NOT NULL,                          -- need|offer
  category TEXT NOT NULL,                      -- products|capacity|jobs|land|other
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open',          -- open|matched|closed
  matched_enterprise_id BIGINT REFERENCES enterprises(id),
  match_note TEXT,
  posted_by BIGINT REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX board_posts_state ON board_posts(state, id);
CREATE INDEX board_posts_ent ON board_posts(enterprise_id);

CREATE TABLE board_responses (
  id {{ID}},
  post_id BIGINT NOT NULL REFERENCES board_posts(id) ON DELETE CASCADE,
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
  text TEXT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX board_responses_post ON board_responses(post_id, id);
CREATE INDEX board_responses_ent ON board_responses(enterprise_id);
