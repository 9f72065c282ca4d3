-- Each wrk thread is one signed-in therapist with one connection: it alternates between its
-- caseload and one of its clients' overview pages, with an optional think time between clicks.
-- Configured through environment variables written by run.py.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("user_index", counter)
  table.insert(threads, thread)
end

local function split(text, sep)
  local out = {}
  for piece in string.gmatch(text, "([^" .. sep .. "]+)") do table.insert(out, piece) end
  return out
end

function init(args)
  local users = split(os.getenv("BENCH_USERS"), "~")
  local mine = split(users[user_index], "|")
  cookie = mine[1]
  paths = split(mine[2], ",")
  think_ms = tonumber(os.getenv("BENCH_THINK_MS") or "0")
  step = 0
  non_200 = 0
  math.randomseed(user_index * 7919)
end

function request()
  step = step + 1
  local path = "/caseload/"
  if step % 2 == 0 then path = paths[math.random(#paths)] end
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end

function delay()
  if think_ms == 0 then return 0 end
  return math.random(math.floor(think_ms / 2), math.floor(think_ms * 3 / 2))
end

function response(status, headers, body)
  if status ~= 200 then non_200 = non_200 + 1 end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("non_200") end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "non_200": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3, wrong,
    errors.connect + errors.read + errors.write + errors.timeout))
end
