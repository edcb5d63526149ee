-- wrk script for the load benchmark: rotates through prepared requests and checks answers.
--
--   wrk -t2 -c8 -d10s -s bench/wrk/rotate.lua http://127.0.0.1:PORT -- PAGE.lua
--
-- PAGE.lua (written by bench/load/wrk.py) returns
--   { status = 200, expect = "text every answer contains" (or nil),
--     threads = { { {method=, path=, headers={...}, body=}, ... }, ... } }
-- Thread n sends the requests of threads[n] in turn, so people given to different
-- threads are never in flight twice at once. An answer with another status, or
-- without the expected text, is a problem; done() prints one JSON line with the
-- throughput, latency percentiles and problems, which the harness reads.

local threads = {}

function setup(thread)
   thread:set("thread_index", #threads)
   table.insert(threads, thread)
end

function init(args)
   local page = dofile(args[1])
   local mine = page.threads[(thread_index % #page.threads) + 1]
   prepared = {}
   for i, r in ipairs(mine) do
      prepared[i] = wrk.format(r.method, r.path, r.headers, r.body)
   end
   expect_status = page.status
   expect_text = page.expect
   position = 0
   if thread_index == 0 then
      -- wrk calls request() once on its first thread to inspect the request
      -- (script_verify_request) and never sends that one: start a step back, so
      -- the first request sent is still prepared[1] and register/cancel stay paired.
      position = #prepared - 1
   end
   problems = {}
end

function request()
   position = position % #prepared + 1
   return prepared[position]
end

function response(status, headers, body)
   local problem = nil
   if status ~= expect_status then
      problem = "HTTP " .. status
   elseif expect_text and not string.find(body, expect_text, 1, true) then
      problem = "HTTP " .. status .. " without the expected text"
   end
   if problem then
      problems[problem] = (problems[problem] or 0) + 1
      if not example then
         -- What went wrong, for the report: an alert if the page shows one.
         local alert = string.find(body, 'role="alert"', 1, true) or 1
         example = problem .. ": " .. string.sub(body, alert, alert + 240)
      end
   end
end

local function json_string(text)
   return '"' .. string.gsub(text, '[%c"\\]', function(c)
      return string.format("\\u%04x", string.byte(c))
   end) .. '"'
end

function done(summary, latency, requests)
   local merged, parts, first = {}, {}, nil
   for _, thread in ipairs(threads) do
      for problem, count in pairs(thread:get("problems") or {}) do
         merged[problem] = (merged[problem] or 0) + count
      end
      first = first or thread:get("example")
   end
   for problem, count in pairs(merged) do
      table.insert(parts, json_string(problem) .. ": " .. count)
   end
   local errors = summary.errors
   io.write(string.format(
      '{"wrk": 1, "requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
      '"p99_us": %d, "max_us": %d, "socket_errors": %d, "problems": {%s}, "example": %s}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max,
      errors.connect + errors.read + errors.write + errors.timeout, table.concat(parts, ", "),
      first and json_string(first) or "null"))
end
