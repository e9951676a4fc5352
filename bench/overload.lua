-- overload.lua: authenticated GETs that also record what the server said
-- when it shed load: the count of 503s and the first Retry-After header.
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("GUATU_TOKEN") or "")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  shed = 0
  retry_after = ""
end

function response(status, headers, body)
  if status == 503 then
    shed = shed + 1
    if retry_after == "" then retry_after = headers["Retry-After"] or headers["retry-after"] or "(missing)" end
  end
end

function done(summary, latency, requests)
  local n, ra = 0, ""
  for _, t in ipairs(threads) do
    n = n + t:get("shed")
    if ra == "" then ra = t:get("retry_after") end
  end
  io.write(string.format("shed-503: %d\nretry-after: %s\n", n, ra))
end
