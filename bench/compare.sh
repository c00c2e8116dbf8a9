#!/usr/bin/env bash
# Parkway and Nchan side by side: every scenario against three contestants in the same run, one table:
#   parkway   Parkway's servlet port (the dev server: the real webapp/ on embedded Tomcat)
#   direct    Parkway's direct port (parkway.direct.port: its own HTTP/1.1 listener, same broker)
#   nchan     nginx with the Nchan module
#
#   bench/compare.sh                         # the whole table, about 5 minutes here
#   COMPARE_SCENARIOS="idle throughput" bench/compare.sh   # some scenarios only
#
# Scenarios (each runs the contestants one after the other; the order rotates from one scenario to the
# next, so each goes first, second and third in turn):
#   fanout1k    N=1,000 parked long polls, one publish, 5 rounds: time to the last answer
#   fanout10k   N=10,000, the same, and memory per parked poll (taken while the 10,000 are parked)
#   sse         N=10,000 Server-Sent Events streams, one publish, 5 rounds (not on the direct port)
#   multi       N=10,000 long polls over two channels each, one publish to one of them, 5 rounds
#   throughput  100 pollers following one channel in a closed loop, 2 publishers as fast as answered
#   idle        one poller, one publisher, one event at a time: publish-to-receive latency, 2,000 events
#               after 300 not counted (a fresh JVM: its JIT compiler still runs, on the server's CPU)
#   idlewarm    the same after COMPARE_IDLE_WARMUP (10,000) events not counted: the JIT has settled
#   ceiling     N=CEILING_N (default 19,500), the most one process may hold here (ulimit -Hn 20,000)
#
# Every server runs on CPU 0, the load tools on CPU 1. Parkway: the dev server, -Xmx1g, Native Memory
# Tracking on, with the direct port on (127.0.0.1, a port the system picks); a fresh one for each
# Parkway contestant, stopped before the next contestant runs, so neither port's run inherits the other's
# heap, JIT or garbage, and no idle JVM shares CPU 0 with Nchan's run. Nchan: nginx with one worker,
# bench/nchan/nginx.conf.template, fresh for each scenario. Needs nginx and libnginx-mod-nchan (see
# bench/nchan.sh). The uptime load average is recorded before each scenario: on a busy machine the
# figures are noisy, the ratios less so. The run is bounded: every tool has its own deadline, and once
# COMPARE_BUDGET seconds have passed the scenarios not started yet are skipped (and say so).
#
# Environment: COMPARE_SCENARIOS, COMPARE_CONTESTANTS (default "parkway direct nchan"), CEILING_N,
# COMPARE_ROUNDS (default 5), COMPARE_WARMUP (fan-out rounds run first and not counted, default 0),
# COMPARE_IDLE_WARMUP (idlewarm's events not counted, default 10000), COMPARE_BUDGET (default 900),
# and SERVER_HEAP, SERVER_JAVA_OPTS, BENCH_OUT, NOFILE as in bench/common.sh (BENCH_TARGET is ignored:
# both ports are loaded).
# Output: the tools' own tables as they run, then the side-by-side table; everything in BENCH_OUT.
# Exit code: 0 if every run finished (a run that lost answers still counts as finished: its errors are
# in the table), 2 if a server could not be started.
set -euo pipefail
tool=compare
with_direct=1
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=bench/nchan.sh
source "$root/bench/nchan.sh"

if ! nchan_available; then
  echo "$tool: needs nginx with the Nchan module: apt-get update && apt-get install -y nginx-light libnginx-mod-nchan"
  exit 2
fi
scenarios="${COMPARE_SCENARIOS:-fanout1k fanout10k sse multi throughput idle idlewarm ceiling}"
ceiling_n="${CEILING_N:-19500}"
rounds="${COMPARE_ROUNDS:-5}"
# Fan-out rounds run first and not counted (FanOut --warmup): 0 measures each fresh server from its first
# round, as the runs in docs/benchmarks.md did; the JVM's JIT then warms up inside the measured rounds.
warmup="${COMPARE_WARMUP:-0}"
budget="${COMPARE_BUDGET:-900}"
results="$out/results.txt"
: >"$results"
trap 'stop_server; stop_nchan' EXIT

load() { uptime | sed 's/.*load average: //'; }

# The Parkway server's logs of the contestant that ran on it: server-<scenario>-<contestant>.log and
# server-gc-<scenario>-<contestant>.log.
current=""
keep_logs() {
  if [[ -n "$current" ]]; then
    [[ -f "$out/server.log" ]] && mv "$out/server.log" "$out/server-$current.log"
    [[ -f "$out/server-gc.log" ]] && mv "$out/server-gc.log" "$out/server-gc-$current.log"
  fi
  current=""
  return 0
}
stop_parkway() {
  stop_server
  keep_logs
}

# A scenario starts with a fresh Nchan and no Parkway running.
begin_scenario() {
  stop_parkway
  stop_nchan
  start_nchan
  echo "LOAD scenario=$1 load=\"$(load)\"" >>"$results"
  echo
  echo "=== $1 (load average $(load); ${SECONDS} s into the run) ==="
}

# contestant <scenario> <parkway|direct|nchan>: a fresh Parkway for either of its ports; none for Nchan.
contestant() {
  stop_parkway
  if [[ "$2" != nchan ]]; then
    start_server -XX:NativeMemoryTracking=summary
    current="$1-$2"
  fi
  echo "--- $1: $2 (load average $(load))"
}

# next_order [no-direct]: sets `ordered`, the contestants in this scenario's order. The order rotates,
# so drift (a build starting on the machine) does not always favour the same one. Not through $(...):
# a subshell would lose the turn (the two-server version of this script always ran Parkway first).
order_turn=0
ordered=""
next_order() {
  local orders=("parkway direct nchan" "direct nchan parkway" "nchan parkway direct") c
  ordered=""
  for c in ${orders[$((order_turn % 3))]}; do
    [[ "$c" == direct && "${1:-}" == no-direct ]] && continue
    [[ -n "${COMPARE_CONTESTANTS:-}" && " $COMPARE_CONTESTANTS " != *" $c "* ]] && continue
    ordered="$ordered $c"
  done
  order_turn=$((order_turn + 1))
}
port_of() {
  case "$1" in
    parkway) echo "$servlet_port" ;;
    direct) echo "$direct_port" ;;
    nchan) echo "$nchan_port" ;;
  esac
}
pid_of() { if [[ "$1" == nchan ]]; then echo "$nchan_worker"; else echo "$server_pid"; fi; }

# run_tool <scenario> <contestant> <tool args...>: runs a load tool pinned to CPU 1, tags its RESULT line.
run_tool() {
  local scenario="$1" server="$2"
  shift 2
  set +e
  "${client_pin[@]}" java -Xmx512m -cp "$tools" "$@" 2>&1 | tee "$out/$scenario-$server.txt"
  set -e
  if [[ "$server" != nchan ]] && ! kill -0 "$server_pid" 2>/dev/null; then
    echo "$tool: Parkway died during $scenario ($server); tail of its log:"
    tail -5 "$out/server.log"
  fi
  grep '^RESULT' "$out/$scenario-$server.txt" | sed "s/^RESULT /RESULT scenario=$scenario /" >>"$results" || true
}

fanout() {
  local scenario="$1" n="$2" mode="$3" server skip=""
  shift 3
  [[ "$mode" == sse ]] && skip=no-direct
  next_order $skip
  for server in $ordered; do
    contestant "$scenario" "$server"
    run_tool "$scenario" "$server" FanOut --server "$server" --mode "$mode" --port "$(port_of "$server")" \
      --n "$n" --rounds "$rounds" --warmup "$warmup" --channel "$scenario" --deadline $((240 + 5 * warmup)) "$@"
  done
}

# Memory: a snapshot before the polls park (after a warm-up of 20 polls) and one while N are parked.
fanout_with_memory() {
  local scenario="$1" n="$2" server pid
  next_order
  for server in $ordered; do
    contestant "$scenario" "$server"
    pid="$(pid_of "$server")"
    run_tool "$scenario-warm" "$server" FanOut --server "$server" --port "$(port_of "$server")" --n 20 \
      --rounds 2 --channel "$scenario-warm" >/dev/null
    bench/memsnap.sh "$server" "$pid" before "$out/memory-$server.txt" >/dev/null
    run_tool "$scenario" "$server" FanOut --server "$server" --port "$(port_of "$server")" --n "$n" \
      --rounds "$rounds" --warmup "$warmup" --channel "$scenario" --deadline $((240 + 5 * warmup)) \
      --parked-hook "bench/memsnap.sh $server $pid parked $out/memory-$server.txt"
    sed "s/^MEM /MEM scenario=$scenario n=$n /" "$out/memory-$server.txt" >>"$results"
  done
}

echo "$tool: $(nproc) CPUs, ulimit -n $(ulimit -n), Parkway -Xmx$heap, $rounds rounds after $warmup warm-up rounds, load average $(load); results in $out"
echo "LOAD scenario=start load=\"$(load)\"" >>"$results"
for scenario in $scenarios; do
  if ((SECONDS > budget)); then
    echo "$tool: $scenario skipped: the run has taken ${SECONDS} s, over COMPARE_BUDGET ($budget s)"
    echo "SKIPPED scenario=$scenario after_s=$SECONDS" >>"$results"
    continue
  fi
  case "$scenario" in
    fanout1k)
      begin_scenario "$scenario"
      fanout fanout1k 1000 poll
      ;;
    fanout10k)
      begin_scenario "$scenario"
      fanout_with_memory fanout10k 10000
      ;;
    sse)
      begin_scenario "$scenario"
      fanout sse 10000 sse
      ;;
    multi)
      begin_scenario "$scenario"
      fanout multi 10000 multi
      ;;
    throughput)
      begin_scenario "$scenario"
      next_order
      for server in $ordered; do
        contestant "$scenario" "$server"
        mode=poll; [[ "$server" == nchan ]] && mode=batch
        run_tool throughput "$server" Throughput --server "$server" --mode "$mode" --port "$(port_of "$server")" \
          --pollers 100 --publishers 2 --warmup 3 --seconds 10
      done
      ;;
    idle | idlewarm)
      begin_scenario "$scenario"
      idle_warmup=300
      [[ "$scenario" == idlewarm ]] && idle_warmup="${COMPARE_IDLE_WARMUP:-10000}"
      next_order
      for server in $ordered; do
        contestant "$scenario" "$server"
        run_tool "$scenario" "$server" IdleLatency --server "$server" --port "$(port_of "$server")" \
          --events 2000 --warmup "$idle_warmup"
      done
      ;;
    ceiling)
      begin_scenario "$scenario"
      # The servlet port last: if its heap runs out it may not stop cleanly, and nothing comes after it.
      for server in nchan direct parkway; do
        contestant "$scenario" "$server"
        run_tool ceiling "$server" FanOut --server "$server" --port "$(port_of "$server")" --n "$ceiling_n" \
          --rounds 3 --warmup "$warmup" --channel ceiling --deadline $((200 + 8 * warmup)) --park-wait 90 --timeout 110
      done
      ;;
    *) echo "$tool: unknown scenario $scenario"; exit 2 ;;
  esac
done
echo "LOAD scenario=end load=\"$(load)\"" >>"$results"
echo "ELAPSED seconds=$SECONDS" >>"$results"
stop_parkway
stop_nchan

echo
"$root/bench/compare-table.sh" "$results" | tee "$out/table.md"
