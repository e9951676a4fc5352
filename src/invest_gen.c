/*
 * invest_gen.c — the attraction pipeline of a generated dataset (`guatu
 * gen`, src/gen.c): derived in SQL from the projects already generated, so
 * it is the same on SQLite and PostgreSQL and costs a few statements at
 * province scale.  A third of the industrial projects under way came
 * through attraction: a signed (or registered) lead each, with the promised
 * investment from the project, the promised start on its planned 开工 node
 * (whether it was kept follows the node's actual date) and the team its
 * responsible unit; the reserve projects are leads still in the pipeline,
 * one in five of them lost with a reason.  Each lead gets its first history
 * entry.  Called inside gen's transaction after the indexes are built;
 * teams are units of kind department, hq or town.
 */
#include "db.h"
#include "invest.h"

#define TEAM_JOIN "JOIN units u ON u.id = p.unit_id AND u.kind IN ('department', 'hq', 'town') "
#define CHANNEL_SQL                                                                                                    \
  "CASE p.id % 6 WHEN 0 THEN '以商招商' WHEN 1 THEN '异地商会' WHEN 2 THEN '推介会' WHEN 3 THEN '迎老乡回故乡建家乡' " \
  "WHEN 4 THEN '驻点招商' ELSE '中介招商' END"
/* each project's planned 开工, in one pass over the nodes (no index needed) */
#define START_JOIN                                                                                             \
  "JOIN (SELECT project_id, MIN(COALESCE(baseline_date, planned_date)) AS s FROM nodes WHERE kind = 'start' " \
  "GROUP BY project_id) ns ON ns.project_id = p.id "

int invest_gen(db *d, const char *at) {
  int rc = db_exec(d,
                   "INSERT INTO leads (investor, project_name, amount, chain, channel, investor_class, team_unit_id, contact_name, "
                   "contact_phone, stage, signed_on, promised_start, promised_investment, promised_tax, land_area, project_id, "
                   "created_on, created_at, updated_at) "
                   "SELECT COALESCE(o.name, p.name), p.name, p.total_investment, COALESCE(p.chain, '新材料'), " CHANNEL_SQL ", "
                   "CASE WHEN p.flag_top500 = 1 THEN (CASE p.id % 3 WHEN 0 THEN 'fortune500' WHEN 1 THEN 'china500' "
                   "ELSE 'private500' END) ELSE 'none' END, p.unit_id, ?, '139' || CAST(70000000 + p.id AS TEXT), "
                   "CASE WHEN p.id % 4 = 0 THEN 'registered' ELSE 'signed' END, substr(p.created_at, 1, 10), ns.s, "
                   "p.total_investment, p.total_investment / 50, p.land_area, p.id, substr(p.created_at, 1, 10), ?, ? "
                   "FROM projects p " TEAM_JOIN START_JOIN "LEFT JOIN units o ON o.id = p.owner_unit_id "
                   "WHERE p.category = ? AND p.stage <> 'reserve' AND p.id % 3 = 0 AND ns.s >= substr(p.created_at, 1, 10)",
                   DBT("投资方联系人"), DBT(at), DBT(at), DBT("产业项目"));
  if (rc == DB_OK)
    rc = db_exec(d,
                 "INSERT INTO leads (investor, project_name, amount, chain, channel, investor_class, team_unit_id, contact_name, "
                 "contact_phone, stage, lost_reason, created_on, created_at, updated_at) "
                 "SELECT p.name || ?, p.name, p.total_investment, COALESCE(p.chain, '商贸服务'), " CHANNEL_SQL ", 'none', p.unit_id, ?, "
                 "'139' || CAST(70000000 + p.id AS TEXT), "
                 "CASE WHEN p.id % 5 = 0 THEN 'lost' WHEN p.id % 4 = 0 THEN 'lead' WHEN p.id % 4 = 1 THEN 'negotiation' "
                 "WHEN p.id % 4 = 2 THEN 'prereview' ELSE 'decision' END, CASE WHEN p.id % 5 = 0 THEN ? END, "
                 "substr(p.created_at, 1, 10), ?, ? FROM projects p " TEAM_JOIN "WHERE p.stage = 'reserve'",
                 DBT("意向投资方"), DBT("投资方联系人"), DBT("投资方落户邻市"), DBT(at), DBT(at));
  if (rc == DB_OK)
    rc = db_exec(d, "INSERT INTO lead_events (lead_id, from_stage, to_stage, reason, at) SELECT id, NULL, stage, lost_reason, created_at "
                    "FROM leads");
  return rc == DB_OK ? 0 : -1;
}
