#!/usr/bin/env bash
# Prints the side-by-side table (Markdown) from the results file bench/compare.sh writes: RESULT lines
# of the load tools, MEM lines of bench/memsnap.sh, LOAD lines (uptime load averages), SKIPPED lines.
# Three contestants: Parkway's servlet port (server=parkway), its direct port (server=direct), Nchan;
# two ratios, servlet / Nchan and direct / Nchan. A results file of the two-server script (no direct)
# prints "n/a" in the direct columns.
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
  function has(s, c) { return ((s "|" c, "server") in R) }
  # One row: the figure of the three contestants, then servlet / Nchan and direct / Nchan.
  function row(label, figure, p, d, n, rp, rd) {
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", label, figure, p, d, n, rp, rd
  }
  # "median / max (errors e, parked p)", "aborted ..." or n/a for a contestant that did not run.
  function last(s, c,   k) {
    k = s "|" c
    if (!has(s, c)) return "n/a"
    if (R[k, "aborted"] != "") return "**aborted** after opening " R[k, "opened"] " (" R[k, "parked"] " parked): " R[k, "aborted"]
    return fmt(R[k, "last_median"], 0) " / " fmt(R[k, "last_max"], 0) " (errors " R[k, "errors"] ", parked " R[k, "parked"] ")"
  }
  function med(s, c,   k) {
    k = s "|" c
    if (!has(s, c) || R[k, "aborted"] != "") return "n/a"
    return fmt(R[k, "median_median"], 0) " / " fmt(R[k, "median_max"], 0)
  }
  function v(s, c, f) { return has(s, c) ? R[s "|" c, f] : "" }
  # A field that every contestant of the scenario has alike (its N, its events): from the first that ran.
  function any(s, f) { return has(s, "nchan") ? v(s, "nchan", f) : has(s, "direct") ? v(s, "direct", f) : v(s, "parkway", f) }
  function idle(s) {
    if (!(s in seen)) return
    row("Idle latency (" any(s, "events") " events after " any(s, "warmup_events") " not counted)",
      "p50 / p99 / max, ms (ratio: p99)",
      fmt(v(s, "parkway", "p50_ms"), 2) " / " fmt(v(s, "parkway", "p99_ms"), 2) " / " fmt(v(s, "parkway", "max_ms"), 1),
      fmt(v(s, "direct", "p50_ms"), 2) " / " fmt(v(s, "direct", "p99_ms"), 2) " / " fmt(v(s, "direct", "max_ms"), 1),
      fmt(v(s, "nchan", "p50_ms"), 2) " / " fmt(v(s, "nchan", "p99_ms"), 2) " / " fmt(v(s, "nchan", "max_ms"), 1),
      ratio(v(s, "parkway", "p99_ms"), v(s, "nchan", "p99_ms")), ratio(v(s, "direct", "p99_ms"), v(s, "nchan", "p99_ms")))
  }
  function fan(s, label) {
    if (!(s in seen)) return
    row(label, "last answer, ms (median / max of rounds)", last(s, "parkway"), last(s, "direct"), last(s, "nchan"),
      ratio(v(s, "parkway", "last_median"), v(s, "nchan", "last_median")), ratio(v(s, "direct", "last_median"), v(s, "nchan", "last_median")))
    row(label, "median answer, ms (median / max)", med(s, "parkway"), med(s, "direct"), med(s, "nchan"),
      ratio(v(s, "parkway", "median_median"), v(s, "nchan", "median_median")), ratio(v(s, "direct", "median_median"), v(s, "nchan", "median_median")))
  }
  # Memory per parked poll of one contestant: (parked - before) / n, bytes; "" when not measured.
  function per(s, c, f, scale) {
    if (!((s "|" c "|parked", f) in M) || !((s "|" c "|before", f) in M)) return ""
    return (M[s "|" c "|parked", f] - M[s "|" c "|before", f]) * scale / memn[s]
  }
  function kb(x) { return x == "" ? "n/a" : sprintf("%.1f", x / 1024) }
  function heapnative(s, c,   h, n) {
    h = per(s, c, "heap_bytes", 1); n = per(s, c, "native_kb", 1024)
    return h == "" ? "n/a" : sprintf("%.1f + %.1f = %.1f", h / 1024, n / 1024, (h + n) / 1024)
  }
  /^RESULT/ {
    kv($0); key = F["scenario"] "|" F["server"]
    if ($2 ~ /scenario=.*-warm/) next
    for (k in F) R[key, k] = F[k]
    seen[F["scenario"]] = 1
  }
  /^MEM/ { kv($0); key = F["scenario"] "|" F["server"] "|" F["label"]; for (k in F) M[key, k] = F[k]; memn[F["scenario"]] = F["n"] }
  /^SKIPPED/ { kv($0); skipped = skipped " " F["scenario"] }
  /^ELAPSED/ { kv($0); elapsed = F["seconds"] }
  /^LOAD/ { sub(/^LOAD scenario=/, ""); name = $1; sub(/^[^ ]* load="/, ""); sub(/"$/, ""); loads = loads sprintf("%s %s; ", name, $0) }
  END {
    print "| Scenario | Figure | Parkway, servlet port | Parkway, direct port | Nchan | servlet / Nchan | direct / Nchan |"
    print "|---|---|---:|---:|---:|---:|---:|"
    fan("fanout1k", "Fan-out, 1,000 long polls")
    fan("fanout10k", "Fan-out, 10,000 long polls")
    if ("fanout10k" in memn) {
      s = "fanout10k"; nn = memn[s]
      row("Memory per parked poll (" nn " parked)", "heap after GC + native (NMT), KB", heapnative(s, "parkway"), heapnative(s, "direct"), "(no heap)", "", "")
      pr = per(s, "parkway", "rss_kb", 1024); dr = per(s, "direct", "rss_kb", 1024); nr = per(s, "nchan", "rss_kb", 1024)
      row("Memory per parked poll (" nn " parked)", "process RSS growth, KB", kb(pr), kb(dr), kb(nr), ratio(pr, nr), ratio(dr, nr))
    }
    fan("sse", "Fan-out, 10,000 SSE streams")
    fan("multi", "Fan-out, 10,000 polls over 2 channels")
    if ("throughput" in seen) {
      s = "throughput"
      row("Throughput (" R[s "|nchan", "pollers"] " pollers, " R[s "|nchan", "publishers"] " publishers)", "events delivered per second",
        fmt(v(s, "parkway", "delivered_per_s"), 0), fmt(v(s, "direct", "delivered_per_s"), 0), fmt(v(s, "nchan", "delivered_per_s"), 0),
        ratio(v(s, "parkway", "delivered_per_s"), v(s, "nchan", "delivered_per_s")), ratio(v(s, "direct", "delivered_per_s"), v(s, "nchan", "delivered_per_s")))
      row("Throughput", "publishes per second",
        fmt(v(s, "parkway", "published_per_s"), 0), fmt(v(s, "direct", "published_per_s"), 0), fmt(v(s, "nchan", "published_per_s"), 0),
        ratio(v(s, "parkway", "published_per_s"), v(s, "nchan", "published_per_s")), ratio(v(s, "direct", "published_per_s"), v(s, "nchan", "published_per_s")))
      row("Throughput", "publish-to-receive p50 / p99, ms (ratio: p99)",
        fmt(v(s, "parkway", "p50_ms"), 1) " / " fmt(v(s, "parkway", "p99_ms"), 1), fmt(v(s, "direct", "p50_ms"), 1) " / " fmt(v(s, "direct", "p99_ms"), 1),
        fmt(v(s, "nchan", "p50_ms"), 1) " / " fmt(v(s, "nchan", "p99_ms"), 1),
        ratio(v(s, "parkway", "p99_ms"), v(s, "nchan", "p99_ms")), ratio(v(s, "direct", "p99_ms"), v(s, "nchan", "p99_ms")))
    }
    idle("idle")
    idle("idlewarm")
    if ("ceiling" in seen) fan("ceiling", "Fan-out, " any("ceiling", "n") " long polls (the fd ceiling)")
    print ""
    for (k in R) { split(k, kk, SUBSEP); if (kk[2] == "warmup" && R[k] + 0 > 0) warm = R[k] }
    if (warm != "") print "Fan-out rows: each server warmed up with " warm " rounds on the same connections first, not counted."
    print "Load average (1, 5, 15 min) before each scenario: " loads
    if (skipped != "") print "Skipped (over COMPARE_BUDGET):" skipped
    if (elapsed != "") printf "The run took %d min %d s.\n", elapsed / 60, elapsed % 60
  }
' "$1"
