-- 0014 qa: online questions from citizens (网络问政 · 马上就办) and the
-- Open311 GeoReport v2 API over them.  Categories are the Open311
-- services: each routes its questions to a department with a deadline in
-- working days.  A question is moderated (pending → open, or rejected)
-- before it is published, then answered by the department, rated and
-- closed or reopened by its asker.  Dates TEXT YYYY-MM-DD, times TEXT
-- RFC 3339 UTC.

CREATE TABLE qa_categories (
  id {{ID}},
  code TEXT NOT NULL,                          -- the Open311 service_code
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  grp TEXT NOT NULL DEFAULT '',                -- the Open311 group
  keywords TEXT NOT NULL DEFAULT '',           -- comma-separated
  unit_id BIGINT NOT NULL REFERENCES units(id),-- the department that answers
  deadline_days INTEGER NOT NULL,              -- working days to reply
  attributes TEXT,                             -- JSON: Open311 service definition attributes (metadata true)
  sort_order INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- unique within the answering department: districts merged into one database
-- (guatu copy) each keep their own categories, even under the same codes
CREATE UNIQUE INDEX qa_categories_unit_code ON qa_categories(unit_id, code);
CREATE INDEX qa_categories_code ON qa_categories(code);

-- the applications allowed to post through Open311; only the key's hash is kept
CREATE TABLE open311_keys (
  id {{ID}},
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  rate_per_hour INTEGER NOT NULL DEFAULT 100,
  revoked_at TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE questions (
  id {{ID}},
  tracking_code TEXT NOT NULL UNIQUE,          -- the asker's number, also the Open311 service_request_id
  category_id BIGINT NOT NULL REFERENCES qa_categories(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),-- the department routed to
  title TEXT NOT NULL,
  body TEXT NOT NULL,                          -- the text as asked (may hold personal data)
  public_body TEXT,                            -- the text as published (redacted by moderation)
  address TEXT,
  address_id TEXT,
  lat DOUBLE PRECISION,
  lng DOUBLE PRECISION,
  media_url TEXT,
  phone TEXT,                                  -- personal data: masked in every answer
  attributes TEXT,                             -- JSON: Open311 attribute values
  flags TEXT NOT NULL DEFAULT '',              -- moderation findings: id_number,phone,link,spam_words,repeated…
  state TEXT NOT NULL DEFAULT 'pending',       -- pending|rejected|open|accepted|replied|closed|reopened
  published INTEGER NOT NULL DEFAULT 0,
  moderation_note TEXT,
  source TEXT NOT NULL DEFAULT 'web',          -- web|open311
  api_key_id BIGINT REFERENCES open311_keys(id),
  ip TEXT,                                     -- for the per-address limit only, never shown
  asked_on TEXT NOT NULL,
  opened_on TEXT,                              -- passed moderation: the deadline counts from here
  opened_at TEXT,
  deadline_days INTEGER,                       -- working days given when routed
  due_date TEXT,
  reply TEXT,
  replied_on TEXT,
  replied_at TEXT,
  rating INTEGER,                              -- 1..5 from the asker
  rating_comment TEXT,
  reopens INTEGER NOT NULL DEFAULT 0,
  escalation INTEGER NOT NULL DEFAULT 0,       -- the level notified by the escalation tick (qa_escalate.c)
  closed_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX questions_state_due ON questions(state, due_date);
CREATE INDEX questions_unit ON questions(unit_id, state);
CREATE INDEX questions_published ON questions(published, created_at);
CREATE INDEX questions_created ON questions(created_at); -- the office's list, newest first, stops after a page
CREATE INDEX questions_ip ON questions(ip, created_at);
CREATE INDEX questions_key ON questions(api_key_id, created_at);
CREATE INDEX questions_category ON questions(category_id, created_at);

-- the timeline: ask|approve|reject|accept|comment|reply|close|rate|reopen|escalate
CREATE TABLE question_events (
  id {{ID}},
  question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  note TEXT,
  user_id BIGINT REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX question_events_question ON question_events(question_id, id);
