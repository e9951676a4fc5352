-- report.lua: every request submits a NEW monthly progress report (a real
-- insert with its audit entry, committed with full durability).  Each wrk
-- thread walks its own range of project ids, all for one period that the
-- generated dataset leaves empty, so no request is a 409 duplicate.
-- $GUATU_TOKEN: Bearer token; $BENCH_PERIOD: YYYY-MM; $BENCH_PROJECTS: ids 1..N.
local token = os.getenv("GUATU_TOKEN") or ""
local period = os.getenv("BENCH_PERIOD") or "2026-11"
local nprojects = tonumber(os.getenv("BENCH_PROJECTS") or "50000")
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local stride = tonumber(os.getenv("BENCH_THREADS") or "2")

function init(args)
  next_id = 0
end

function request()
  -- thread t takes ids t+1, t+1+n, t+1+2n … (n = $BENCH_THREADS, wrk's -t)
  local id = (tid or 0) + 1 + next_id * stride
  next_id = next_id + 1
  if id > nprojects then id = ((id - 1) % nprojects) + 1 end
  local body = string.format('{"period":"%s","investment":"%d.00","image_progress":"主体施工","percent":50}', period, 1000 + id)
  return wrk.format("POST", "/api/v1/projects/" .. id .. "/reports",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
