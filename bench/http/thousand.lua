-- wrk script: each request increments one of 1,000 key-value counters, picked at random
-- (GET /counter/n<0..999>/inc), so the load is spread over many objects instead of one.
-- Used by bench/http/run.sh; by hand: wrk -t2 -c32 -d10s --latency -s thousand.lua http://127.0.0.1:8787

local threads = 0

-- Runs once per wrk thread, in the main Lua state: give each thread its own seed.
function setup(thread)
  threads = threads + 1
  thread:set("seed_offset", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed_offset or 0))
end

function request()
  return wrk.format("GET", "/counter/n" .. math.random(0, 999) .. "/inc")
end
