/*
 * static.c — the embedded web UI: hashed assets are cached for a year,
 * index.html never; unknown paths get index.html so the Vue router can take
 * them (history mode).  Every page carries a strict Content-Security-Policy.
 */
#include <string.h>

#include "embedded.h"
#include "http.h"
#include "static.h"

static const char *mime_type(const char *name) {
  static const char *const types[][2] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
      {".png", "image/png"},                 {".ico", "image/x-icon"},
      {".json", "application/json"},         {".woff2", "font/woff2"},
      {".woff", "font/woff"},                {".ttf", "font/ttf"},
      {".webp", "image/webp"},               {".jpg", "image/jpeg"},
  };
  const char *dot = strrchr(name, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
    if (strcmp(dot, types[i][0]) == 0) return types[i][1];
  return "application/octet-stream";
}

void static_serve(req *r) {
  if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
    reply_problem(r, 405, "方法不允许 / Method not allowed", NULL);
    return;
  }
  char name[512];
  snprintf(name, sizeof name, "web%s", r->path);
  const embedded_file *f = strstr(r->path, "..") ? NULL : embedded_find(name);
  int is_asset = strncmp(r->path, "/assets/", 8) == 0;
  if (!f && !is_asset) f = embedded_find("web/index.html");
  if (!f) {
    if (is_asset) {
      reply_problem(r, 404, "未找到 / Not found", NULL);
    } else {
      const char *msg = "<!doctype html><meta charset=utf-8><title>guatu</title>"
                        "<p>界面未构建 / The web UI was not built into this binary: run make.";
      reply_bytes(r, 200, "text/html; charset=utf-8", msg, strlen(msg));
    }
    return;
  }
  reply_bytes(r, 200, mime_type(f->name), f->data, f->len);
  reply_header(r, "Cache-Control", is_asset ? "public, max-age=31536000, immutable" : "no-cache");
  reply_header(r, "Content-Security-Policy",
               "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
               "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'");
}
