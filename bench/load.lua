-- wrk script of bench/load.py: a mix of public URLs, every answer checked, one machine-readable line at the end.
--
--   wrk -t4 -c64 -d60s --latency -s bench/load.lua http://127.0.0.1:8000 -- MIX.lua
--
-- MIX.lua (written by bench/load.py) returns {paths = {...}, csv = {...}}: the paths to request, a path
-- repeated for weight, and for each CSV download its expected length, keyed by its first two lines.
-- wrk does not say which request a response answers (a thread's connections interleave), so a CSV body
-- is recognised by its start: header and first row differ between the mix's downloads. A body whose
-- start is unknown, whose line or byte count differs, or which does not end with a newline counts as
-- truncated, unless it ends with exactly one whole download ("after_cut": wrk keeps the partial body of a
-- response cut off with its connection and puts the next one after it). Any status outside 2xx counts as
-- non-2xx (wrk's own "status" error counts only >= 400).
--
-- Each wrk thread runs its own Lua state; setup() (in the main state) keeps a handle on every thread
-- so that done() can read their counters, as wrk's scripts/setup.lua does.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

function init(args)
   local mix = dofile(args[1])
   paths, csv = mix.paths, mix.csv
   requests = {}
   for i, path in ipairs(paths) do
      requests[i] = wrk.format("GET", path)
   end
   -- Deterministic per thread: the same sequence of URLs on every run.
   math.randomseed(1000 + id)
   non2xx, truncated, csv_checked, after_cut = 0, 0, 0, 0
   statuses = {}
end

function request()
   return requests[math.random(#requests)]
end

local function lines(body)
   local _, count = body:gsub("\n", "")
   return count
end

local function is_csv(headers)
   local kind = headers["Content-Type"] or headers["content-type"] or ""
   return kind:find("text/csv", 1, true) ~= nil
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      statuses[status] = (statuses[status] or 0) + 1
      return
   end
   if not is_csv(headers) then
      return
   end
   csv_checked = csv_checked + 1
   local first = body:find("\n", 1, true)
   local second = first and body:find("\n", first + 1, true)
   local expected = second and csv[body:sub(1, second)]
   if expected and #body == expected.bytes and lines(body) == expected.lines and body:sub(-1) == "\n" then
      return
   end
   -- When a connection fails mid-body (a killed worker), wrk counts a read error and reconnects, but keeps
   -- the partial body and puts the next response's body after it. That response is whole if the body
   -- ends with exactly one of the downloads; the request cut off was counted already.
   for start, size in pairs(csv) do
      if #body > size.bytes then
         local tail = body:sub(-size.bytes)
         if tail:sub(1, #start) == start and lines(tail) == size.lines then
            after_cut = after_cut + 1
            return
         end
      end
   end
   truncated = truncated + 1
end

function done(summary, latency, requests)
   local totals = { non2xx = 0, truncated = 0, csv_checked = 0, after_cut = 0 }
   local bad = {}
   for _, thread in ipairs(threads) do
      for name in pairs(totals) do
         totals[name] = totals[name] + thread:get(name)
      end
      for status, count in pairs(thread:get("statuses")) do
         bad[#bad + 1] = string.format("[%d, %d]", status, count)
      end
   end
   local errors = summary.errors
   local seconds = summary.duration / 1e6
   local fields = {
      string.format('"requests": %d', summary.requests),
      string.format('"duration_s": %.3f', seconds),
      string.format('"bytes": %d', summary.bytes),
      string.format(
         '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}',
         errors.connect, errors.read, errors.write, errors.status, errors.timeout
      ),
      string.format('"non2xx": %d', totals.non2xx),
      -- [status, count] per thread: the same status may appear more than once (load.py adds them up).
      string.format('"non2xx_statuses": [%s]', table.concat(bad, ", ")),
      string.format('"truncated": %d', totals.truncated),
      string.format('"csv_checked": %d', totals.csv_checked),
      string.format('"after_cut": %d', totals.after_cut),
      string.format('"requests_per_s": %.1f', summary.requests / seconds),
   }
   -- Microseconds, as wrk measures them.
   local latencies = {}
   for _, p in ipairs({ 50, 75, 90, 99 }) do
      latencies[#latencies + 1] = string.format('"p%d": %d', p, latency:percentile(p))
   end
   latencies[#latencies + 1] = string.format('"max": %d', latency.max)
   fields[#fields + 1] = '"latency_us": {' .. table.concat(latencies, ", ") .. "}"
   io.write("LOAD-RESULT {" .. table.concat(fields, ", ") .. "}\n")
end
