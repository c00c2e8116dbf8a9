#!/usr/bin/env bash
# Prints the side-by-side table (Markdown) from the results file bench/compare.sh writes: RESULT lines
# of the load tools, MEM lines of bench/memsnap.sh, LOAD lines (uptime load averages).
#   bench/compare-table.sh target/bench/<timestamp>/results.txt
set -euo pipefail
[[ -f "${1:-}" ]] || { echo "usage: bench/compare-table.sh <results.txt>"; exit 2; }
awk '
  function kv(line,   i, n, parts, eq) {
    delete F
    n = split(line, parts, " ")
    for (i = 2; i <= n; i++) { eq = index(parts[i], "="); if (eq) F[substr(parts[i], 1, eq - 1)] = substr(parts[i], eq + 1) }
  }
  function ratio(a, b) { return (a + 0 > 0 && b + 0 > 0) ? sprintf("%.2f", a / b) : "n/a" }
  function fmt(x, d) { return (x == "" || x == "nan" || x == "NaN") ? "n/a" : sprintf("%." d "f", x) }
  /^RESULT/ {
    kv($0); key = F["scenario"] "|" F["server"]
    if ($2 ~ /scenario=.*-warm/) next
    for (k in F) R[key, k] = F[k]
    seen[F["scenario"]] = 1
  }
  /^MEM/ { kv($0); key = F["scenario"] "|" F["server"] "|" F["label"]; for (k in F) M[key, k] = F[k]; memn[F["scenario"]] = F["n"] }
  /^LOAD/ { sub(/^LOAD scenario=/, ""); name = $1; sub(/^[^ ]* load="/, ""); sub(/"$/, ""); loads = loads sprintf("%s %s; ", name, $0) }
  function fan(s, label,   p, n, pe, ne, pl, nl) {
    if (!(s in seen)) return
    p = s "|parkway"; n = s "|nchan"
    pl = (R[p, "aborted"] != "") ? "**aborted** after opening " R[p, "opened"] " (" R[p, "parked"] " parked): " R[p, "aborted"] : fmt(R[p, "last_median"], 0) " / " fmt(R[p, "last_max"], 0) " (errors " R[p, "errors"] ", parked " R[p, "parked"] ")"
    nl = (R[n, "aborted"] != "") ? "**aborted** after opening " R[n, "opened"] " (" R[n, "parked"] " parked): " R[n, "aborted"] : fmt(R[n, "last_median"], 0) " / " fmt(R[n, "last_max"], 0) " (errors " R[n, "errors"] ", parked " R[n, "parked"] ")"
    printf "| %s | last answer, ms (median / max of rounds) | %s | %s | %s |\n", label, pl, nl, ratio(R[p, "last_median"], R[n, "last_median"])
    printf "| %s | median answer, ms (median / max) | %s / %s | %s / %s | %s |\n", label, fmt(R[p, "median_median"], 0), fmt(R[p, "median_max"], 0), fmt(R[n, "median_median"], 0), fmt(R[n, "median_max"], 0), ratio(R[p, "median_median"], R[n, "median_median"])
  }
  END {
    print "| Scenario | Figure | Parkway | Nchan | Parkway / Nchan |"
    print "|---|---|---:|---:|---:|"
    fan("fanout1k", "Fan-out, 1,000 long polls")
    fan("fanout10k", "Fan-out, 10,000 long polls")
    if ("fanout10k" in memn) {
      s = "fanout10k"; nn = memn[s]
      ph = (M[s "|parkway|parked", "heap_bytes"] - M[s "|parkway|before", "heap_bytes"]) / nn
      pn = (M[s "|parkway|parked", "native_kb"] - M[s "|parkway|before", "native_kb"]) * 1024 / nn
      pr = (M[s "|parkway|parked", "rss_kb"] - M[s "|parkway|before", "rss_kb"]) * 1024 / nn
      nr = (M[s "|nchan|parked", "rss_kb"] - M[s "|nchan|before", "rss_kb"]) * 1024 / nn
      printf "| Memory per parked poll (%d parked) | heap after GC + native (NMT), KB | %.1f + %.1f = %.1f | (no heap) | |\n", nn, ph / 1024, pn / 1024, (ph + pn) / 1024
      printf "| Memory per parked poll (%d parked) | process RSS growth, KB | %.1f | %.1f | %s |\n", nn, pr / 1024, nr / 1024, ratio(pr, nr)
    }
    fan("sse", "Fan-out, 10,000 SSE streams")
    fan("multi", "Fan-out, 10,000 polls over 2 channels")
    if ("throughput" in seen) {
      p = "throughput|parkway"; n = "throughput|nchan"
      printf "| Throughput (%s pollers, %s publishers) | events delivered per second | %s | %s | %s |\n", R[p, "pollers"], R[p, "publishers"], fmt(R[p, "delivered_per_s"], 0), fmt(R[n, "delivered_per_s"], 0), ratio(R[p, "delivered_per_s"], R[n, "delivered_per_s"])
      printf "| Throughput | publishes per second | %s | %s | %s |\n", fmt(R[p, "published_per_s"], 0), fmt(R[n, "published_per_s"], 0), ratio(R[p, "published_per_s"], R[n, "published_per_s"])
      printf "| Throughput | publish-to-receive p50 / p99, ms | %s / %s | %s / %s | %s |\n", fmt(R[p, "p50_ms"], 1), fmt(R[p, "p99_ms"], 1), fmt(R[n, "p50_ms"], 1), fmt(R[n, "p99_ms"], 1), ratio(R[p, "p99_ms"], R[n, "p99_ms"])
    }
    if ("idle" in seen) {
      p = "idle|parkway"; n = "idle|nchan"
      printf "| Idle latency (%s events) | p50 / p99 / max, ms | %s / %s / %s | %s / %s / %s | %s (p99) |\n", R[p, "events"], fmt(R[p, "p50_ms"], 2), fmt(R[p, "p99_ms"], 2), fmt(R[p, "max_ms"], 1), fmt(R[n, "p50_ms"], 2), fmt(R[n, "p99_ms"], 2), fmt(R[n, "max_ms"], 1), ratio(R[p, "p99_ms"], R[n, "p99_ms"])
    }
    if ("ceiling" in seen) fan("ceiling", "Fan-out, " R["ceiling|nchan", "n"] " long polls (the fd ceiling)")
    print ""
    print "Load average (1, 5, 15 min) before each scenario: " loads
  }
' "$1"
