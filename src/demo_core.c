/*
 * demo_core.c — the demo district's unit tree and logins (荷塘区, from the
 * seeds: its streets and town, its departments, the command HQs with their
 * working groups, owner enterprises and banks).  Module demos that follow
 * look units up by these names.
 */
#include <sodium.h>
#include <string.h>

#include "arena.h"
#include "auth.h"
#include "demo.h"
#include "http.h"
#include "identity.h"

typedef struct demo_unit {
  const char *name, *kind, *parent;
} demo_unit;

static const demo_unit units[] = {
    {"荷塘区", "district", NULL},
    {"三一指挥部", "hq", "荷塘区"},
    {"三一指挥部征拆组", "group", "三一指挥部"},
    {"三一指挥部项目建设组", "group", "三一指挥部"},
    {"金山新城指挥部", "hq", "荷塘区"},
    {"金山新城指挥部征拆组", "group", "金山新城指挥部"},
    {"现代物流园指挥部", "hq", "荷塘区"},
    {"硬质材料产业园指挥部", "hq", "荷塘区"},
    {"月塘街道", "town", "荷塘区"},
    {"宋家桥街道", "town", "荷塘区"},
    {"茨菇塘街道", "town", "荷塘区"},
    {"金山街道", "town", "荷塘区"},
    {"桂花街道", "town", "荷塘区"},
    {"明照街道", "town", "荷塘区"},
    {"仙庾镇", "town", "荷塘区"},
    {"荷塘区发展和改革局", "department", "荷塘区"},
    {"荷塘区财政局", "department", "荷塘区"},
    {"荷塘区自然资源分局", "department", "荷塘区"},
    {"荷塘区住房和城乡建设局", "department", "荷塘区"},
    {"荷塘区招商局", "department", "荷塘区"},
    {"荷塘区工业和信息化局", "department", "荷塘区"},
    {"荷塘区行政审批服务局", "department", "荷塘区"},
    {"荷塘区城市管理和综合执法局", "department", "荷塘区"},
    {"荷塘区生态环境分局", "department", "荷塘区"},
    {"荷塘区交通运输局", "department", "荷塘区"},
    {"荷塘区人力资源和社会保障局", "department", "荷塘区"},
    {"荷塘区科技局", "department", "荷塘区"},
    {"荷塘区应急管理局", "department", "荷塘区"},
    {"荷塘区市场监督管理局", "department", "荷塘区"},
    {"荷塘区水利局", "department", "荷塘区"},
    {"荷塘区政务服务中心", "department", "荷塘区行政审批服务局"},
    {"三一集团有限公司", "enterprise", "荷塘区"},
    {"湖南华巨新材料有限公司", "enterprise", "荷塘区"},
    {"汉德车桥（株洲）齿轮有限公司", "enterprise", "荷塘区"},
    {"杭萧钢构（湖南）有限公司", "enterprise", "荷塘区"},
    {"湖南韵达物流有限公司", "enterprise", "荷塘区"},
    {"株洲格斯特动力机械有限公司", "enterprise", "荷塘区"},
    {"湖南东裕美耐皿有限公司", "enterprise", "荷塘区"},
    {"株洲金城华亿实业有限公司", "enterprise", "荷塘区"},
    {"大唐华银株洲发电有限公司", "enterprise", "荷塘区"},
    {"湖南柳鑫电子新材料有限公司", "enterprise", "荷塘区"},
    {"居然之家茶陵商业管理有限公司", "enterprise", "荷塘区"},
    {"湖南先进硬质材料产业园投资有限公司", "enterprise", "荷塘区"},
    {"株洲农商银行", "bank", "荷塘区"},
    {"中国工商银行株洲分行", "bank", "荷塘区"},
    {"中国建设银行株洲分行", "bank", "荷塘区"},
    {"华融湘江银行株洲分行", "bank", "荷塘区"},
};

typedef struct demo_user {
  const char *login, *password, *name, *phone, *unit, *roles;
} demo_user;

static const demo_user users[] = {
    {"admin", "admin123", "系统管理员", "13807330001", "荷塘区发展和改革局", "admin"},
    {"office", "office123", "李项目办", "13807330002", "荷塘区发展和改革局", "office"},
    {"leader", "leader123", "王区长", "13807330003", "荷塘区", "leader"},
    {"jinshan", "unit123", "陈金山", "13807330004", "金山街道", "unit"},
    {"guihua", "unit123", "周桂花", "13807330005", "桂花街道", "unit"},
    {"xianyu", "unit123", "刘仙庾", "13807330006", "仙庾镇", "unit"},
    {"sany", "unit123", "赵指挥", "13807330007", "三一指挥部", "unit"},
    {"zrzy", "unit123", "孙资源", "13807330008", "荷塘区自然资源分局", "unit"},
    {"huaju", "ent12345", "吴华巨", "13807330009", "湖南华巨新材料有限公司", "enterprise"},
    {"bank", "bank1234", "郑信贷", "13807330010", "株洲农商银行", "bank"},
};

int64_t demo_unit_id(db *d, const char *name) { return unit_by_name(d, name); }

int demo_add_unit(db *d, const char *name, const char *kind, int64_t parent_id, const char *at) {
  db_stmt *st = db_query(d, "INSERT INTO units (name, kind, parent_id, created_at) VALUES (?, ?, ?, ?) RETURNING id", DBT(name),
                         DBT(kind), parent_id ? DBI(parent_id) : DBNULL, DBT(at));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return -1;
  }
  int64_t id = db_int(st, 0);
  db_done(st);
  arena a;
  arena_init(&a);
  const char *parent_path = "/";
  if (parent_id) {
    db_stmt *p = db_query(d, "SELECT path FROM units WHERE id = ?", DBI(parent_id));
    if (p && db_step(p) == DB_ROW) parent_path = arena_strdup(&a, db_text(p, 0));
    db_done(p);
  }
  int rc = db_exec(d, "UPDATE units SET path = ? WHERE id = ?", DBT(arena_printf(&a, "%s%lld/", parent_path, (long long)id)),
                   DBI(id));
  arena_release(&a);
  return rc == DB_OK ? 0 : -1;
}

static int demo_core(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  const char *at = now_rfc3339(&a);
  audit_actor who = {0, "demo", "local"};
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < sizeof units / sizeof *units; i++) {
    int64_t parent = units[i].parent ? demo_unit_id(d, units[i].parent) : 0;
    rc = demo_add_unit(d, units[i].name, units[i].kind, parent, at);
  }
  /* Hashing is deliberately slow; the demo shares one hash per password. */
  char hashes[8][crypto_pwhash_STRBYTES];
  const char *pw_of[8];
  int nhash = 0;
  for (size_t i = 0; rc == 0 && i < sizeof users / sizeof *users; i++) {
    const demo_user *u = &users[i];
    int h = -1;
    for (int k = 0; k < nhash; k++)
      if (strcmp(pw_of[k], u->password) == 0) h = k;
    if (h < 0 && nhash < 8) {
      h = nhash++;
      pw_of[h] = u->password;
      if (auth_hash_password(u->password, hashes[h], sizeof hashes[h]) != 0) rc = -1;
    }
    if (rc == 0 && h >= 0)
      rc = db_exec(d,
                   "INSERT INTO users (login, name, phone, unit_id, roles, password_hash, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   DBT(u->login), DBT(u->name), DBT(u->phone), DBI(demo_unit_id(d, u->unit)), DBT(u->roles),
                   DBT(hashes[h]), DBT(at), DBT(at)) == DB_OK
               ? 0
               : -1;
  }
  if (rc == 0) {
    json_t *after = json_pack("{s:i, s:i}", "units", (int)(sizeof units / sizeof *units), "users",
                              (int)(sizeof users / sizeof *users));
    rc = audit_write(d, &who, "create", "demo", 0, NULL, after) == DB_OK ? 0 : -1;
    json_decref(after);
  }
  if (rc == 0 && log) fprintf(log, "demo: %zu units, %zu users\n", sizeof units / sizeof *units, sizeof users / sizeof *users);
  arena_release(&a);
  return rc;
}

static const module demo_core_module = {"units-demo", 1, NULL, demo_core, NULL};
MODULE_REGISTER(demo_core_module)
