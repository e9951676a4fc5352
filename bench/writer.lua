-- writer.lua: the write beside the mixed load, one every 100 ms
-- (wrk -t1 -c1 -s bench/writer.lua URL, stopped with SIGINT).  Each request
-- corrects the report $BENCH_REPORT (PATCH: a real update with its audit
-- entry, full durability), sending the version it last saw in If-Match; the
-- next version is read from the answer.  $GUATU_TOKEN: Bearer token;
-- $BENCH_REPORT_VERSION: the report's version to start from.
local token = os.getenv("GUATU_TOKEN") or ""
local id = os.getenv("BENCH_REPORT") or "1"
local version = os.getenv("BENCH_REPORT_VERSION") or "1"
local n = 0

function delay()
  return 100
end

function request()
  n = n + 1
  local body = string.format('{"investment":"%d.00"}', 1000 + n % 500)
  return wrk.format("PATCH", "/api/v1/reports/" .. id, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["If-Match"] = '"' .. version .. '"',
  }, body)
end

function response(status, headers, body)
  local v = body and body:match('"version"%s*:%s*(%d+)')
  if v then version = v end
end
