-- 0008 land: land acquisition and demolition (征拆) — the ledger of
-- households/parcels per project, their compensation items and payments,
-- the state history, hard cases for the leading group, the public
-- disclosure per village, and who may read ID numbers and phones.
-- Money BIGINT fen; areas BIGINT hundredths of 亩 (house area hundredths of
-- m²); dates TEXT YYYY-MM-DD; times TEXT RFC 3339 UTC.

-- the planned acquisition of a project (PATCH /projects/{id} land_plan_mu)
ALTER TABLE projects ADD COLUMN land_plan_mu BIGINT NOT NULL DEFAULT 0;

CREATE TABLE land_households (
  id {{ID}},
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  village TEXT NOT NULL,                -- 村
  grp TEXT NOT NULL DEFAULT '',         -- 组 ("group" is an SQL keyword)
  head_name TEXT NOT NULL,              -- 户主
  id_number TEXT,                       -- personal data: masked in every answer
  phone TEXT,                           -- personal data: masked in every answer
  collective_mu BIGINT NOT NULL DEFAULT 0,  -- 集体土地
  state_mu BIGINT NOT NULL DEFAULT 0,       -- 国有土地
  houses INTEGER NOT NULL DEFAULT 0,        -- 栋
  house_area BIGINT NOT NULL DEFAULT 0,     -- hundredths of m²
  notes TEXT,
  geojson TEXT,                         -- optional parcel outline (Polygon/MultiPolygon)
  outline_m2 DOUBLE PRECISION,          -- area of the outline, computed on write
  state TEXT NOT NULL DEFAULT 'surveyed',   -- surveyed|valued|signed|demolished|handed_over
  surveyed_on TEXT NOT NULL,
  valued_on TEXT,
  signed_on TEXT,
  demolished_on TEXT,
  handed_over_on TEXT,
  due BIGINT NOT NULL DEFAULT 0,        -- Σ item amounts, kept with the items in one transaction
  paid BIGINT NOT NULL DEFAULT 0,       -- Σ payments
  unvalued INTEGER NOT NULL DEFAULT 0,  -- items without an amount
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX land_households_project ON land_households(project_id, village, state);
CREATE INDEX land_households_state ON land_households(state);

CREATE TABLE land_items (
  id {{ID}},
  household_id BIGINT NOT NULL REFERENCES land_households(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,                   -- land|crops|facilities|graves|lines|resettlement|other
  amount BIGINT,                        -- NULL: not valued yet
  paid BIGINT NOT NULL DEFAULT 0,
  note TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX land_items_household ON land_items(household_id);

CREATE TABLE land_payments (
  id {{ID}},
  household_id BIGINT NOT NULL REFERENCES land_households(id) ON DELETE CASCADE,
  item_id BIGINT NOT NULL REFERENCES land_items(id) ON DELETE CASCADE,
  amount BIGINT NOT NULL,
  paid_on TEXT NOT NULL,
  payer TEXT,
  voucher_id BIGINT,                    -- an attachment (entity 'land_payment')
  user_id BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX land_payments_household ON land_payments(household_id);
CREATE INDEX land_payments_paid_on ON land_payments(paid_on);

-- the history of a household: creation, each transition
CREATE TABLE land_events (
  id {{ID}},
  household_id BIGINT NOT NULL REFERENCES land_households(id) ON DELETE CASCADE,
  from_state TEXT,
  to_state TEXT NOT NULL,
  on_date TEXT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX land_events_household ON land_events(household_id);

-- 疑难个案: raised on a household, decided by the leading group at a meeting
CREATE TABLE land_hard_cases (
  id {{ID}},
  household_id BIGINT NOT NULL REFERENCES land_households(id) ON DELETE CASCADE,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'open',   -- open|decided
  raised_by BIGINT REFERENCES users(id),
  raised_on TEXT NOT NULL,
  meeting_on TEXT,
  members TEXT,                         -- the leading group members present
  decision TEXT,
  decided_by BIGINT REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX land_hard_cases_project ON land_hard_cases(project_id, state);

-- 公示: a village's list, published by the project office
CREATE TABLE land_disclosures (
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  village TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by BIGINT REFERENCES users(id),
  PRIMARY KEY (project_id, village)
);

-- land staff (征拆工作人员): the users who may read full ID numbers and
-- phones (each read audited), granted by an administrator
CREATE TABLE land_staff (
  user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  granted_by BIGINT REFERENCES users(id),
  granted_at TEXT NOT NULL
);
