-- wrk script for make bench-kudos. Arguments after "--": a mode, a form token
-- and the paths to request in turn.
--   kudos: POST to each path as a new guest (a user agent of its own), with the
--          form token in the cookie and header, as a browser's form sends it;
--   hits:  GET the paths so that each request is a new visitor of its work:
--          BROWSERS user agents a thread, each going through every path;
--   new-browsers: GET each path as a new visitor with a user agent never seen;
--   same:  GET each path as one visitor (one browser's user agent).
-- At the end it prints one JSON line like report.lua's.
local threads = 0
local BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
-- Fewer than the crawler check keeps answers for (1,024), over all threads.
local BROWSERS = 100

setup = function(thread)
  thread:set("number", threads)
  threads = threads + 1
end

init = function(args)
  mode = args[1]
  token = args[2]
  paths = {}
  for i = 3, #args do
    paths[#paths + 1] = args[i]
  end
  sent = 0
end

request = function()
  sent = sent + 1
  local path = paths[(sent % #paths) + 1]
  local headers = { ["User-Agent"] = BROWSER }
  -- The run's token in every user agent: a new run's guests are new guests.
  local browser = BROWSER .. " bench/" .. string.sub(token, 1, 8) .. "/" .. number
  if mode == "hits" then
    path = paths[(math.floor(sent / BROWSERS) % #paths) + 1]
    headers["User-Agent"] = browser .. "." .. (sent % BROWSERS)
  elseif mode ~= "same" then
    headers["User-Agent"] = browser .. "." .. sent
  end
  if mode == "kudos" then
    headers["Cookie"] = "csrftoken=" .. token
    headers["X-CSRFToken"] = token
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", path, headers, "")
  end
  return wrk.format("GET", path, headers)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "requests_per_second": %.2f, '
      .. '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, '
      .. '"socket_errors": %d, "http_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status
  ))
end
