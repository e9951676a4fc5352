-- login.lua: POST /api/v1/session with the bench password (Argon2id-bound).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login":"' .. (os.getenv("BENCH_LOGIN") or "office") .. '","password":"' .. (os.getenv("BENCH_PASSWORD") or "bench1234") .. '"}'
