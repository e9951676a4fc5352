-- auth.lua: GET with the Bearer token from $GUATU_TOKEN (wrk -s bench/auth.lua URL).
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("GUATU_TOKEN") or "")
wrk.headers["Accept"] = "application/json"
-- As a browser does; guatu sends cached answers gzip-compressed to such clients.
wrk.headers["Accept-Encoding"] = "gzip"
