-- The therapist's loop: each wrk thread is one signed-in therapist who alternates between their
-- Today page and the overview of one of the clients it lists.  Everything else (users, think
-- time, counting answers that are not 200, the JSON summary) is the caseload benchmark's script,
-- loaded first; only the page requested changes.  run.py sets BENCH_CASELOAD_LUA to its path.

dofile(os.getenv("BENCH_CASELOAD_LUA"))

function request()
  step = step + 1
  local path = "/today/"
  if step % 2 == 0 then path = paths[math.random(#paths)] end
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end
