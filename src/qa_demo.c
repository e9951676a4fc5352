/*
 * qa_demo.c — the demo district's online questions (网络问政 · 马上就办):
 * eight categories routed to 荷塘区's departments, and questions in every
 * state relative to today — waiting for moderation (one with an ID number
 * in its text), open, overdue past twice its deadline, replied, closed
 * with ratings, rejected and reopened — plus one Open311 application.
 */
#include <sodium.h>
#include <string.h>

#include "clock.h"
#include "demo.h"
#include "escalation.h"
#include "http.h"
#include "qa.h"

typedef struct demo_cat {
  const char *code, *name, *description, *group, *keywords, *unit;
  int deadline;
  const char *attributes;
} demo_cat;

static const demo_cat cats[] = {
    {"road", "道路交通", "道路破损、交通信号、停车秩序", "城市建设", "道路,坑洼,红绿灯,停车", "荷塘区交通运输局", 5, NULL},
    {"city", "市容环卫", "垃圾清运、占道经营、路灯、违章搭建", "城市建设", "垃圾,路灯,占道,违建", "荷塘区城市管理和综合执法局", 3,
     "[{\"code\":\"urgency\",\"description\":\"紧急程度 / Urgency\",\"datatype\":\"singlevaluelist\",\"required\":false,"
     "\"values\":[{\"key\":\"normal\",\"name\":\"一般\"},{\"key\":\"urgent\",\"name\":\"紧急\"}]}]"},
    {"environment", "生态环境", "噪声、油烟、污水、扬尘", "生态环境", "噪声,油烟,污水,扬尘", "荷塘区生态环境分局", 5, NULL},
    {"housing", "住房物业", "物业服务、老旧小区改造、房屋安全", "民生服务", "物业,小区,电梯", "荷塘区住房和城乡建设局", 7, NULL},
    {"employment", "就业社保", "就业创业、社保医保、劳动权益", "民生服务", "社保,工资,就业", "荷塘区人力资源和社会保障局", 5, NULL},
    {"market", "市场监管", "食品安全、价格、消费维权", "民生服务", "食品,价格,消费", "荷塘区市场监督管理局", 5, NULL},
    {"business", "营商环境", "企业办事、审批服务、涉企政策", "营商环境", "审批,政策,企业", "荷塘区行政审批服务局", 5, NULL},
    {"project", "重点项目", "重点项目建设中的施工扰民、征拆、进度", "营商环境", "项目,施工,征拆", "荷塘区发展和改革局", 5, NULL},
};

typedef struct demo_q {
  const char *cat, *title, *text, *address, *phone;
  int asked_ago;   /* days before today */
  const char *state;
  const char *reply;
  int rating;
  double lat, lng;
} demo_q;

static const demo_q questions[] = {
    {"city", "新华西路路灯不亮", "新华西路与建设南路交叉口往东约200米的三盏路灯已经一周不亮，晚上行人看不清路，请尽快修复。",
     "荷塘区新华西路", "13807331201", 1, "pending", NULL, 0, 27.8361, 113.1597},
    {"employment", "社保缴费记录缺了三个月", "我的身份证号430203199001011234，今年3到5月单位说缴了社保，但查询不到记录，请帮忙核实。",
     NULL, "13807331202", 0, "pending", NULL, 0, 0, 0},
    {"road", "红旗北路有大坑", "红旗北路公交站旁边有一个直径一米左右的坑，下雨积水，电动车已经摔了好几次。", "荷塘区红旗北路", "13807331203", 3,
     "open", NULL, 0, 27.8412, 113.1663},
    {"environment", "夜间施工噪声扰民", "金山街道某工地每天晚上十一点以后还在施工，噪声很大，影响休息，请查处。", "荷塘区金山街道", "13807331204", 16,
     "open", NULL, 0, 27.8502, 113.1721},
    {"housing", "小区电梯经常故障", "月塘小区3栋电梯一个月坏了四次，物业说没有维修资金，老人上下楼很困难。", "荷塘区月塘小区", "13807331205", 12,
     "accepted", NULL, 0, 0, 0},
    {"business", "企业开办要跑几次", "想在荷塘区注册一家小型科技公司，请问企业开办需要准备哪些材料，能不能一次办结？", NULL, "13807331206", 9, "replied",
     "您好！在荷塘区政务服务中心“企业开办”专窗可一次办结营业执照、公章刻制、税务登记和社保登记，材料为：股东身份证明、公司章程、"
     "住所证明。也可在湖南政务服务网全程网办，1个工作日办结。感谢您的关注！",
     0, 0, 0},
    {"market", "菜市场电子秤短斤少两", "宋家桥菜市场有摊位电子秤不准，买一斤肉少了近二两，希望加强检查。", "荷塘区宋家桥菜市场", "13807331207", 20,
     "closed", "您好！我局已于接件次日对宋家桥菜市场开展计量专项检查，查处不合格电子秤3台并立案处理，今后将每月抽查。感谢您的监督！", 5, 0, 0},
    {"project", "重点项目工地扬尘", "新材料产业园工地运输车辆没有遮盖，沿路扬尘严重。", "荷塘区新材料产业园", "13807331208", 25, "closed",
     "您好！已责成施工单位在出入口设置冲洗平台、运输车辆全部覆盖，并安排专人每日洒水。区发改局将纳入项目周调度跟踪。", 4, 0, 0},
    {"road", "公交线路调整建议", "希望增加一条从荷塘铺到株洲火车站的公交线路，早晚高峰很不方便。", NULL, "13807331209", 30, "closed",
     "您好！您的建议已转市公交公司研究，目前已在T12路增加早晚高峰班次。", 3, 0, 0},
    {"city", "加微信领优惠券", "加微信领优惠券 http://spam.example.com 加微信", NULL, NULL, 2, "rejected", NULL, 0, 0, 0},
    {"employment", "农民工工资拖欠", "我们在某建筑工地干了三个月，包工头一直拖欠工资，共计六万多元。", "荷塘区茨菇塘街道", "13807331210", 14,
     "reopened", "您好！已约谈施工企业，企业承诺本月底前结清。", 0, 0, 0},
};

static int demo_qa(db *d, FILE *log) {
  const char *at = "2026-01-05T02:00:00.000Z";
  int rc = DB_OK;
  int64_t cat_ids[sizeof cats / sizeof cats[0]];
  for (size_t i = 0; rc == DB_OK && i < sizeof cats / sizeof cats[0]; i++) {
    int64_t unit = demo_unit_id(d, cats[i].unit);
    db_stmt *st = db_query(d,
                           "INSERT INTO qa_categories (code, name, description, grp, keywords, unit_id, deadline_days, attributes, "
                           "sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           DBT(cats[i].code), DBT(cats[i].name), DBT(cats[i].description), DBT(cats[i].group),
                           DBT(cats[i].keywords), DBI(unit), DBI(cats[i].deadline), DBT(cats[i].attributes), DBI((int)i * 10),
                           DBT(at), DBT(at));
    cat_ids[i] = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
    db_done(st);
    if (!cat_ids[i]) rc = db_errcode(d);
  }
  arena a;
  arena_init(&a);
  const calendar *cal = calendar_new_builtin();
  int32_t today = clock_today();
  for (size_t i = 0; rc == DB_OK && cal && i < sizeof questions / sizeof questions[0]; i++) {
    const demo_q *q = &questions[i];
    size_t c = 0;
    while (strcmp(cats[c].code, q->cat) != 0) c++;
    char asked[11], opened[11], due[11], replied[11], code[24];
    int32_t day = today - q->asked_ago;
    date_format(day, asked);
    /* moderated the next working day; replied within the deadline but the last one, late */
    int32_t open_day = q->asked_ago ? calendar_add_working_days(cal, day, 1) : today;
    if (open_day > today) open_day = today;
    date_format(open_day, opened);
    date_format(calendar_add_working_days(cal, open_day, cats[c].deadline), due);
    int32_t reply_day = calendar_add_working_days(cal, open_day, i % 3 == 2 ? cats[c].deadline + 2 : 2);
    if (reply_day > today) reply_day = today;
    date_format(reply_day, replied);
    unsigned char rnd[6]; /* random: districts merged by guatu copy keep distinct codes */
    randombytes_buf(rnd, sizeof rnd);
    qa_tracking_code(day, rnd, code, sizeof code);
    const char *asked_at = arena_printf(&a, "%sT01:%02d:00.000Z", asked, (int)i);
    const char *opened_at = arena_printf(&a, "%sT02:00:00.000Z", opened);
    const char *replied_at = arena_printf(&a, "%sT07:30:00.000Z", replied);
    int moderated = strcmp(q->state, "pending") != 0 && strcmp(q->state, "rejected") != 0;
    int has_reply = q->reply != NULL;
    char flags[96];
    qa_flags_format(qa_moderate(q->text), flags, sizeof flags);
    db_stmt *st = db_query(
        d,
        "INSERT INTO questions (tracking_code, category_id, unit_id, title, body, public_body, address, lat, lng, phone, flags, "
        "state, published, moderation_note, source, asked_on, opened_on, opened_at, deadline_days, due_date, reply, replied_on, "
        "replied_at, rating, reopens, closed_at, created_at, updated_at) "
        "VALUES (?, ?, (SELECT unit_id FROM qa_categories WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'web', ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        DBT(code), DBI(cat_ids[c]), DBI(cat_ids[c]), DBT(q->title), DBT(q->text), moderated ? DBT(q->text) : DBNULL,
        DBT(q->address), q->lat ? DBR(q->lat) : DBNULL, q->lng ? DBR(q->lng) : DBNULL, DBT(q->phone), DBT(flags), DBT(q->state),
        DBI(moderated), strcmp(q->state, "rejected") == 0 ? DBT("含广告内容，不予公开") : DBNULL, DBT(asked),
        moderated ? DBT(opened) : DBNULL, moderated ? DBT(opened_at) : DBNULL, moderated ? DBI(cats[c].deadline) : DBNULL,
        moderated ? DBT(due) : DBNULL, DBT(q->reply), has_reply ? DBT(replied) : DBNULL, has_reply ? DBT(replied_at) : DBNULL,
        q->rating ? DBI(q->rating) : DBNULL, DBI(strcmp(q->state, "reopened") == 0), q->rating ? DBT(replied_at) : DBNULL,
        DBT(asked_at), DBT(q->rating ? replied_at : asked_at));
    int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
    db_done(st);
    if (!id) rc = db_errcode(d);
    /* an overdue one starts at the level it has reached, as if the tick had run (qa_escalate.c) */
    int waiting = moderated && !has_reply && strcmp(q->state, "closed") != 0;
    int level = waiting ? problem_escalation_level(cal, open_day, cats[c].deadline, today, 0) : 0;
    if (rc == DB_OK && level) rc = db_exec(d, "UPDATE questions SET escalation = ? WHERE id = ?", DBI(level), DBI(id));
    if (rc == DB_OK)
      rc = db_exec(d, "INSERT INTO question_events (question_id, action, to_state, at) VALUES (?, 'ask', 'pending', ?)", DBI(id),
                   DBT(asked_at));
    if (rc == DB_OK && moderated)
      rc = db_exec(d, "INSERT INTO question_events (question_id, action, from_state, to_state, at) VALUES (?, 'approve', 'pending', 'open', ?)",
                   DBI(id), DBT(opened_at));
    if (rc == DB_OK && has_reply)
      rc = db_exec(d, "INSERT INTO question_events (question_id, action, from_state, to_state, note, at) VALUES (?, 'reply', 'open', 'replied', ?, ?)",
                   DBI(id), DBT(q->reply), DBT(replied_at));
  }
  if (!cal) rc = DB_ERROR;
  calendar_free((calendar *)cal);
  arena_release(&a);
  if (log && rc == DB_OK)
    fprintf(log, "  问政: %zu categories, %zu questions\n", sizeof cats / sizeof cats[0], sizeof questions / sizeof questions[0]);
  return rc;
}

static const module qa_demo_module = {"qa_demo", 74, NULL, demo_qa, NULL, NULL};
MODULE_REGISTER(qa_demo_module)
