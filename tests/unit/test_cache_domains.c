/* test_cache_domains.c — the data domains of audit entries (http.c,
 * data_domains_of): each entity the modules audit belongs to its domain,
 * entries that change nothing to none, bulk loads and unknown entities to
 * every domain, and every cached route names only domains an answer can
 * show. */
#include "../../src/http.h"
#include "unit.h"

/* Every entity the modules audit today, with its domains. */
static const struct {
  const char *entity;
  unsigned want;
} known[] = {
    {"accountability", DOM_ACCOUNTABILITY}, {"accountability_flag", DOM_ACCOUNTABILITY},
    {"accountability_settings", DOM_ACCESS}, {"agenda_item", DOM_TASKS},
    {"approval", DOM_APPROVALS | DOM_NODES}, {"approval_agreement", DOM_APPROVALS},
    {"approval_item", DOM_APPROVALS}, {"attachment", DOM_ATTACHMENTS},
    {"attraction_target", DOM_ATTRACTION}, {"baseline", DOM_NODES | DOM_PROJECTS},
    {"board_post", DOM_ENTERPRISES}, {"board_response", DOM_ENTERPRISES},
    {"calendar", DOM_ACCESS}, {"calendar_day", DOM_ACCESS},
    {"decision", DOM_TASKS | DOM_NODES | DOM_PROBLEMS}, {"dict_item", DOM_ACCESS},
    {"enterprise", DOM_ENTERPRISES}, {"enterprise_request", DOM_REQUESTS},
    {"fin_contact", DOM_FINANCE}, {"fin_credit", DOM_FINANCE},
    {"fin_loan", DOM_FINANCE}, {"fin_need", DOM_FINANCE},
    {"fin_subsidy", DOM_FINANCE}, {"fin_subsidy_rule", DOM_FINANCE},
    {"fin_whitelist", DOM_FINANCE}, {"fund_application", DOM_FINANCE},
    {"fund_target", DOM_FINANCE}, {"land_disclosure", DOM_LAND},
    {"land_hard_case", DOM_LAND | DOM_NODES}, {"land_household", DOM_LAND | DOM_NODES},
    {"land_item", DOM_LAND}, {"land_payment", DOM_LAND},
    {"land_staff", DOM_LAND}, {"lead", DOM_ATTRACTION},
    {"lead_meeting", DOM_ATTRACTION}, {"meeting", DOM_TASKS},
    {"node", DOM_NODES | DOM_PROJECTS}, {"node_template", DOM_NODES},
    {"open311_key", DOM_UNSHOWN}, {"policy", DOM_ENTERPRISES},
    {"policy_grant", DOM_ENTERPRISES}, {"policy_grants", DOM_ENTERPRISES},
    {"problem", DOM_PROBLEMS}, {"problem_category", DOM_ACCESS},
    {"project", DOM_PROJECTS | DOM_NODES}, {"project_category", DOM_ACCESS},
    {"project_field", DOM_ACCESS}, {"project_rollups", DOM_UNSHOWN},
    {"projects", DOM_PROJECTS | DOM_NODES}, {"qa_category", DOM_ACCESS},
    {"question", DOM_QUESTIONS}, {"report", DOM_REPORTS},
    {"report_settings", DOM_ACCESS}, {"report_totals", DOM_REPORTS},
    {"session", DOM_UNSHOWN}, {"setting", DOM_ACCESS},
    {"settings", DOM_ACCESS}, {"task", DOM_TASKS},
    {"token", DOM_UNSHOWN}, {"unit", DOM_ACCESS},
    {"user", DOM_ACCESS}, {"webhook", DOM_UNSHOWN},
    {"year_targets", DOM_REPORTS},
};

static void test_each_entity_has_its_domains(void) {
  for (size_t i = 0; i < sizeof known / sizeof *known; i++)
    CHECK_ROW(data_domains_of("update", known[i].entity) == known[i].want, "%s", known[i].entity);
}

static void test_entries_that_change_nothing_count_nowhere(void) {
  const char *const actions[] = {"login", "logout", "login_failed", "lock", "read"};
  for (size_t i = 0; i < sizeof actions / sizeof *actions; i++) {
    CHECK_ROW(data_domains_of(actions[i], "user") == 0, "%s user", actions[i]);
    CHECK_ROW(data_domains_of(actions[i], "land_household") == 0, "%s land_household", actions[i]);
  }
  /* an escalation is a change of the problem */
  CHECK_EQ_INT(data_domains_of("escalate", "problem"), DOM_PROBLEMS);
}

static void test_bulk_loads_and_unknown_entities_renew_everything(void) {
  const char *const bulk[] = {"demo", "demo_projects", "demo_problems", "demo_finance", "demo_tasks", "database", "schema"};
  for (size_t i = 0; i < sizeof bulk / sizeof *bulk; i++) CHECK_ROW(data_domains_of("create", bulk[i]) == DOM_EVERY, "%s", bulk[i]);
  CHECK_EQ_INT(data_domains_of("create", "a_module_of_next_year"), DOM_EVERY);
  CHECK_EQ_INT(data_domains_of("create", ""), DOM_EVERY);
  CHECK_EQ_INT(data_domains_of("create", NULL), DOM_EVERY);
  CHECK_EQ_INT(data_domains_of(NULL, "report"), DOM_REPORTS);
  /* lookalikes are not their neighbours */
  CHECK_EQ_INT(data_domains_of("update", "reports"), DOM_EVERY);
  CHECK_EQ_INT(data_domains_of("update", "Project"), DOM_EVERY);
}

static void test_shorthands(void) {
  CHECK_EQ_INT(CACHE_ANY & DOM_UNSHOWN, 0);
  CHECK(CACHE_ANY & DOM_ACCESS);
  CHECK_EQ_INT(CACHE_NOT_PROBLEMS & (DOM_PROBLEMS | DOM_QUESTIONS | DOM_REQUESTS | DOM_UNSHOWN), 0);
  CHECK(CACHE_NOT_PROBLEMS & DOM_REPORTS);
  for (int b = 0; b < DOM_COUNT; b++) CHECK_ROW(data_domain_name(1u << b) != NULL, "bit %d", b);
  CHECK(data_domain_name(0) == NULL);
  CHECK(data_domain_name(DOM_LAND | DOM_NODES) == NULL);
  CHECK_EQ_STR(data_domain_name(DOM_LAND), "land");
}

/* Every cached route shows only domains an answer can show, and at least
 * one: an answer renewed by nothing but the access domain would be a
 * forgotten declaration. */
static void test_cached_routes_name_real_domains(void) {
  int cached = 0;
  for (int i = 0; i < module_count(); i++)
    for (const route *rt = module_at(i)->routes; rt && rt->method; rt++) {
      if (!rt->cacheable) continue;
      cached++;
      CHECK_ROW(strcmp(rt->method, "GET") == 0, "%s %s", rt->method, rt->pattern);
      CHECK_ROW((rt->cacheable & ~CACHE_ANY) == 0, "%s: %#x", rt->pattern, rt->cacheable);
      CHECK_ROW((rt->cacheable & ~DOM_ACCESS) != 0, "%s", rt->pattern);
    }
  CHECK(cached >= 25);
}

UNIT_MAIN(test_each_entity_has_its_domains, test_entries_that_change_nothing_count_nowhere,
          test_bulk_loads_and_unknown_entities_renew_everything, test_shorthands, test_cached_routes_name_real_domains)
