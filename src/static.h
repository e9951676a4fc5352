/*
 * static.h — the web UI compiled into the binary (static.c).
 */
#ifndef GUATU_STATIC_H
#define GUATU_STATIC_H

struct req;
/* Serves the web UI (with SPA fallback to index.html). */
void static_serve(struct req *r);

#endif
