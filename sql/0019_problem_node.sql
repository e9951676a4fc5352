-- 0019 a problem raised from one of its project's nodes (一项目一档, issue 20):
-- the node it is about, NULL for a problem about the project as a whole.
-- The API checks that the node belongs to the problem's project; a node
-- deleted later leaves the problem on the project.
ALTER TABLE problems ADD COLUMN node_id BIGINT REFERENCES nodes(id) ON DELETE SET NULL;
CREATE INDEX problems_node ON problems(node_id);
