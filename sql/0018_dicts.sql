-- 字典 (issue 20): the code tables that are data, kept by the administrator
-- (labels in Chinese and English, order, enabled).  The fixed enums the
-- server checks (level, stage, light, states…) are served read-only by
-- src/dicts.c from its own constants; project and problem categories keep
-- their own tables.  Codes of the project chain (产业链) and tags (标签) are
-- the Chinese words stored on projects, so a label change never rewrites one.
CREATE TABLE dict_items (
  id {{ID}},
  dict TEXT NOT NULL,                 -- project_chain | project_tag
  code TEXT NOT NULL,
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL DEFAULT '',
  sort_order INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  UNIQUE (dict, code)
);
INSERT INTO dict_items (dict, code, label_zh, label_en, sort_order) VALUES
  ('project_chain', '新材料', '新材料', 'New materials', 10),
  ('project_chain', '信创', '信创', 'IT innovation', 20),
  ('project_chain', '硬质材料', '硬质材料', 'Hard materials', 30),
  ('project_chain', '现代物流', '现代物流', 'Modern logistics', 40),
  ('project_chain', '先进装备制造', '先进装备制造', 'Advanced equipment', 50),
  ('project_chain', '电子信息', '电子信息', 'Electronics', 60),
  ('project_chain', '能源', '能源', 'Energy', 70),
  ('project_chain', '商贸服务', '商贸服务', 'Trade and services', 80),
  ('project_tag', '省市重点', '省市重点', 'Province/city key', 10),
  ('project_tag', '集中开工', '集中开工', 'Joint groundbreaking', 20),
  ('project_tag', '领导联系', '领导联系', 'Leader-linked', 30),
  ('project_tag', '招商引资', '招商引资', 'Investment attraction', 40),
  ('project_tag', '重大民生', '重大民生', 'Major livelihood', 50);
