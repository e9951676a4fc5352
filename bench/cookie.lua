-- cookie.lua: GET with the session cookie from $GUATU_COOKIE ("guatu_session=…"),
-- as the web UI sends it (wrk -s bench/cookie.lua URL); auth.lua's other headers.
wrk.headers["Cookie"] = os.getenv("GUATU_COOKIE") or ""
wrk.headers["Accept"] = "application/json"
wrk.headers["Accept-Encoding"] = "gzip"
