-- What the benchmark's wrk scripts share (loaded by submit.lua and submit-batch.lua): a prefix of its own for each
-- thread's idempotency keys, the API key from API_KEY, and one RESULT line that run.sh reads.
function setup(thread)
  thread:set("tid", tostring(math.random(100000000, 999999999)))
end

function common_init(name)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("API_KEY") or "none")
  return name .. "-" .. tid .. "-" .. tostring(os.time()) .. "-"
end

function done(summary, latency, requests)
  local s = summary.duration / 1e6
  local non2xx = summary.errors.status
  local ioerr = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f ok_rps=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f non2xx=%d io_errors=%d requests=%d\n",
    summary.requests / s, (summary.requests - non2xx) / s, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, non2xx, ioerr, summary.requests))
end
