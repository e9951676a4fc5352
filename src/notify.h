/*
 * notify.h — telling people: in-app notifications (the bell, per user, with
 * an unread count) and outgoing webhooks to the group robots of WeCom
 * (企业微信) and DingTalk (钉钉), configured per unit.
 *
 * The notify_*() calls write rows in the caller's transaction, so a
 * notification exists exactly when the change that caused it was committed.
 * Webhook messages are queued (webhook_deliveries) and sent by the module's
 * tick in whichever server process claims them first, retried with backoff
 * (5 s, 30 s, 2 min, 10 min, 1 h, then failed; GUATU_WEBHOOK_BACKOFF_MS
 * scales the whole schedule from its first step, for tests).
 */
#ifndef GUATU_NOTIFY_H
#define GUATU_NOTIFY_H

#include <stdint.h>

#include "db.h"

typedef struct notice {
  const char *kind;   /* assign|reply|close|reopen|escalate|decision|comment|test */
  const char *title;  /* one line, Chinese */
  const char *body;   /* a few lines (markdown allowed for the robots), or NULL */
  const char *link;   /* UI route, e.g. "/problems/12", or NULL */
  const char *entity; /* "problem", "meeting" … or NULL */
  int64_t entity_id;
} notice;

/* One user's bell.  DB_OK or an error code. */
int notify_user(db *d, int64_t user_id, const notice *n);
/* Every enabled user of the unit (not `except_user`, 0 for none). */
int notify_unit_users(db *d, int64_t unit_id, const notice *n, int64_t except_user);
/* Queues the message for every enabled webhook of the unit. */
int notify_webhooks(db *d, int64_t unit_id, const notice *n);
/* Both of the above. */
int notify_unit(db *d, int64_t unit_id, const notice *n, int64_t except_user);

/* The JSON body a robot expects (malloc'd; caller frees).  kind is
 * "wecom" or "dingtalk". */
char *webhook_payload(const char *kind, const char *title, const char *body, const char *link);

#endif
