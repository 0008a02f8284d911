-- wrk script for bench/background.sh: after the run, prints what wrk's own --latency output lacks
-- (p99.9) together with the figures the sweep reads, as key=value lines that start with "lua.".
-- Latencies are in microseconds, from writing a request to reading the end of its response.
--
--   wrk -t2 -c32 -d10s --latency -s bench/latency.lua http://127.0.0.1:PORT/path?w=50

done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("lua.duration_us=%d\n", summary.duration))
   io.write(string.format("lua.requests=%d\n", summary.requests))
   io.write(string.format("lua.non2xx=%d\n", e.status))
   io.write(string.format("lua.errors=connect %d, read %d, write %d, timeout %d\n",
      e.connect, e.read, e.write, e.timeout))
   io.write(string.format("lua.socket_errors=%d\n", e.connect + e.read + e.write + e.timeout))
   io.write(string.format("lua.mean_us=%.1f\n", latency.mean))
   for _, p in ipairs({ 50, 90, 99, 99.9 }) do
      io.write(string.format("lua.p%s_us=%d\n", tostring(p):gsub("%.", ""), latency:percentile(p)))
   end
   io.write(string.format("lua.max_us=%d\n", latency.max))
end
