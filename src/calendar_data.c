/*
 * calendar_data.c — the built-in China holiday calendar, 2020–2026.
 *
 * Transcribed from the yearly notices of the General Office of the State
 * Council, "国务院办公厅关于XXXX年部分节假日安排的通知", one line per holiday
 * period ("放假调休", weekend days inside the period included, so that they
 * carry the festival's name) and one line per make-up working day
 * ("上班").  Only days the notices name are listed: a festival that merely
 * "joins the weekend" (与周末连休) lists just its own day.
 *
 * data/calendar/2020-2026.txt holds the same data in the import format,
 * and tests/unit/test_calendar.c checks every day of these years against
 * an independent copy, so a change here must be made there too.
 * Later years are imported by the administrator (guatu calendar import).
 */
#include "calendar.h"

const calendar_period calendar_builtin_periods[] = {
    /* 2020 — 国办发明电〔2019〕16号 */
    {"2020-01-01", "2020-01-01", CAL_HOLIDAY, "元旦"},
    {"2020-01-19", "2020-01-19", CAL_WORKDAY, "春节调休上班"},
    /* The notice gave 01-24..01-30 with 02-01 (Sat) worked; 国办发明电
     * 〔2020〕1号 then extended the holiday to 02-02 for epidemic control,
     * cancelling the 02-01 make-up day.  What actually happened is what
     * deadlines must count, so the extended period is used. */
    {"2020-01-24", "2020-02-02", CAL_HOLIDAY, "春节"},
    {"2020-04-04", "2020-04-06", CAL_HOLIDAY, "清明节"},
    {"2020-04-26", "2020-04-26", CAL_WORKDAY, "劳动节调休上班"},
    {"2020-05-01", "2020-05-05", CAL_HOLIDAY, "劳动节"},
    {"2020-05-09", "2020-05-09", CAL_WORKDAY, "劳动节调休上班"},
    {"2020-06-25", "2020-06-27", CAL_HOLIDAY, "端午节"},
    {"2020-06-28", "2020-06-28", CAL_WORKDAY, "端午节调休上班"},
    {"2020-09-27", "2020-09-27", CAL_WORKDAY, "国庆节、中秋节调休上班"},
    {"2020-10-01", "2020-10-08", CAL_HOLIDAY, "国庆节、中秋节"},
    {"2020-10-10", "2020-10-10", CAL_WORKDAY, "国庆节、中秋节调休上班"},

    /* 2021 — 国办发明电〔2020〕27号 */
    {"2021-01-01", "2021-01-03", CAL_HOLIDAY, "元旦"},
    {"2021-02-07", "2021-02-07", CAL_WORKDAY, "春节调休上班"},
    {"2021-02-11", "2021-02-17", CAL_HOLIDAY, "春节"},
    {"2021-02-20", "2021-02-20", CAL_WORKDAY, "春节调休上班"},
    {"2021-04-03", "2021-04-05", CAL_HOLIDAY, "清明节"},
    {"2021-04-25", "2021-04-25", CAL_WORKDAY, "劳动节调休上班"},
    {"2021-05-01", "2021-05-05", CAL_HOLIDAY, "劳动节"},
    {"2021-05-08", "2021-05-08", CAL_WORKDAY, "劳动节调休上班"},
    {"2021-06-12", "2021-06-14", CAL_HOLIDAY, "端午节"},
    {"2021-09-18", "2021-09-18", CAL_WORKDAY, "中秋节调休上班"},
    {"2021-09-19", "2021-09-21", CAL_HOLIDAY, "中秋节"},
    {"2021-09-26", "2021-09-26", CAL_WORKDAY, "国庆节调休上班"},
    {"2021-10-01", "2021-10-07", CAL_HOLIDAY, "国庆节"},
    {"2021-10-09", "2021-10-09", CAL_WORKDAY, "国庆节调休上班"},

    /* 2022 — 国办发明电〔2021〕11号 */
    {"2022-01-01", "2022-01-03", CAL_HOLIDAY, "元旦"},
    {"2022-01-29", "2022-01-30", CAL_WORKDAY, "春节调休上班"},
    {"2022-01-31", "2022-02-06", CAL_HOLIDAY, "春节"},
    {"2022-04-02", "2022-04-02", CAL_WORKDAY, "清明节调休上班"},
    {"2022-04-03", "2022-04-05", CAL_HOLIDAY, "清明节"},
    {"2022-04-24", "2022-04-24", CAL_WORKDAY, "劳动节调休上班"},
    {"2022-04-30", "2022-05-04", CAL_HOLIDAY, "劳动节"},
    {"2022-05-07", "2022-05-07", CAL_WORKDAY, "劳动节调休上班"},
    {"2022-06-03", "2022-06-05", CAL_HOLIDAY, "端午节"},
    {"2022-09-10", "2022-09-12", CAL_HOLIDAY, "中秋节"},
    {"2022-10-01", "2022-10-07", CAL_HOLIDAY, "国庆节"},
    {"2022-10-08", "2022-10-09", CAL_WORKDAY, "国庆节调休上班"},

    /* 2023 — 国办发明电〔2022〕16号 (its New Year period starts in 2022) */
    {"2022-12-31", "2023-01-02", CAL_HOLIDAY, "元旦"},
    {"2023-01-21", "2023-01-27", CAL_HOLIDAY, "春节"},
    {"2023-01-28", "2023-01-29", CAL_WORKDAY, "春节调休上班"},
    {"2023-04-05", "2023-04-05", CAL_HOLIDAY, "清明节"},
    {"2023-04-23", "2023-04-23", CAL_WORKDAY, "劳动节调休上班"},
    {"2023-04-29", "2023-05-03", CAL_HOLIDAY, "劳动节"},
    {"2023-05-06", "2023-05-06", CAL_WORKDAY, "劳动节调休上班"},
    {"2023-06-22", "2023-06-24", CAL_HOLIDAY, "端午节"},
    {"2023-06-25", "2023-06-25", CAL_WORKDAY, "端午节调休上班"},
    {"2023-09-29", "2023-10-06", CAL_HOLIDAY, "中秋节、国庆节"},
    {"2023-10-07", "2023-10-08", CAL_WORKDAY, "中秋节、国庆节调休上班"},

    /* 2024 — 国办发明电〔2023〕7号.  New Year and Dragon Boat "join the
     * weekend", so only their own day is listed.  The notice merely
     * encourages a day off on New Year's Eve (02-09); it is a working day. */
    {"2024-01-01", "2024-01-01", CAL_HOLIDAY, "元旦"},
    {"2024-02-04", "2024-02-04", CAL_WORKDAY, "春节调休上班"},
    {"2024-02-10", "2024-02-17", CAL_HOLIDAY, "春节"},
    {"2024-02-18", "2024-02-18", CAL_WORKDAY, "春节调休上班"},
    {"2024-04-04", "2024-04-06", CAL_HOLIDAY, "清明节"},
    {"2024-04-07", "2024-04-07", CAL_WORKDAY, "清明节调休上班"},
    {"2024-04-28", "2024-04-28", CAL_WORKDAY, "劳动节调休上班"},
    {"2024-05-01", "2024-05-05", CAL_HOLIDAY, "劳动节"},
    {"2024-05-11", "2024-05-11", CAL_WORKDAY, "劳动节调休上班"},
    {"2024-06-10", "2024-06-10", CAL_HOLIDAY, "端午节"},
    {"2024-09-14", "2024-09-14", CAL_WORKDAY, "中秋节调休上班"},
    {"2024-09-15", "2024-09-17", CAL_HOLIDAY, "中秋节"},
    {"2024-09-29", "2024-09-29", CAL_WORKDAY, "国庆节调休上班"},
    {"2024-10-01", "2024-10-07", CAL_HOLIDAY, "国庆节"},
    {"2024-10-12", "2024-10-12", CAL_WORKDAY, "国庆节调休上班"},

    /* 2025 — 国办发明电〔2024〕12号 (first year with the two extra days of
     * the revised 全国年节及纪念日放假办法) */
    {"2025-01-01", "2025-01-01", CAL_HOLIDAY, "元旦"},
    {"2025-01-26", "2025-01-26", CAL_WORKDAY, "春节调休上班"},
    {"2025-01-28", "2025-02-04", CAL_HOLIDAY, "春节"},
    {"2025-02-08", "2025-02-08", CAL_WORKDAY, "春节调休上班"},
    {"2025-04-04", "2025-04-06", CAL_HOLIDAY, "清明节"},
    {"2025-04-27", "2025-04-27", CAL_WORKDAY, "劳动节调休上班"},
    {"2025-05-01", "2025-05-05", CAL_HOLIDAY, "劳动节"},
    {"2025-05-31", "2025-06-02", CAL_HOLIDAY, "端午节"},
    {"2025-09-28", "2025-09-28", CAL_WORKDAY, "国庆节、中秋节调休上班"},
    {"2025-10-01", "2025-10-08", CAL_HOLIDAY, "国庆节、中秋节"},
    {"2025-10-11", "2025-10-11", CAL_WORKDAY, "国庆节、中秋节调休上班"},

    /* 2026 — notice of 2025-11-04 */
    {"2026-01-01", "2026-01-03", CAL_HOLIDAY, "元旦"},
    {"2026-01-04", "2026-01-04", CAL_WORKDAY, "元旦调休上班"},
    {"2026-02-14", "2026-02-14", CAL_WORKDAY, "春节调休上班"},
    {"2026-02-15", "2026-02-23", CAL_HOLIDAY, "春节"},
    {"2026-02-28", "2026-02-28", CAL_WORKDAY, "春节调休上班"},
    {"2026-04-04", "2026-04-06", CAL_HOLIDAY, "清明节"},
    {"2026-05-01", "2026-05-05", CAL_HOLIDAY, "劳动节"},
    {"2026-05-09", "2026-05-09", CAL_WORKDAY, "劳动节调休上班"},
    {"2026-06-19", "2026-06-21", CAL_HOLIDAY, "端午节"},
    {"2026-09-20", "2026-09-20", CAL_WORKDAY, "国庆节调休上班"},
    {"2026-09-25", "2026-09-27", CAL_HOLIDAY, "中秋节"},
    {"2026-10-01", "2026-10-07", CAL_HOLIDAY, "国庆节"},
    {"2026-10-10", "2026-10-10", CAL_WORKDAY, "国庆节调休上班"},
};

const size_t calendar_builtin_period_count =
    sizeof calendar_builtin_periods / sizeof calendar_builtin_periods[0];
