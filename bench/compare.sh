#!/usr/bin/env bash
# Parkway and Nchan side by side: every scenario against both servers in the same run, one table.
#
#   bench/compare.sh                         # the whole table, about 8 minutes
#   COMPARE_SCENARIOS="idle throughput" bench/compare.sh   # some scenarios only
#
# Scenarios (each runs Parkway and Nchan one after the other; which goes first alternates):
#   fanout1k    N=1,000 parked long polls, one publish, 5 rounds: time to the last answer
#   fanout10k   N=10,000, the same, and memory per parked poll (taken while the 10,000 are parked)
#   sse         N=10,000 Server-Sent Events streams, one publish, 5 rounds
#   multi       N=10,000 long polls over two channels each, one publish to one of them, 5 rounds
#   throughput  100 pollers following one channel in a closed loop, 2 publishers as fast as answered
#   idle        one poller, one publisher, one event at a time: publish-to-receive latency
#   ceiling     N=CEILING_N (default 19,500), the most one process may hold here (ulimit -Hn 20,000)
#
# Both servers run on CPU 0 (Parkway: the dev server, -Xmx1g, Native Memory Tracking on; Nchan: nginx
# with one worker, bench/nchan/nginx.conf.template), the load tools on CPU 1. Each scenario gets freshly
# started servers. Needs nginx and libnginx-mod-nchan (see bench/nchan.sh). The uptime load average is
# recorded before each scenario: on a busy machine the figures are noisy, the ratios less so.
#
# Environment: COMPARE_SCENARIOS, CEILING_N, COMPARE_ROUNDS (default 5), and SERVER_HEAP,
# SERVER_JAVA_OPTS, BENCH_OUT, NOFILE as in bench/common.sh.
# Output: the tools' own tables as they run, then the side-by-side table; everything in BENCH_OUT.
# Exit code: 0 if every run finished (a run that lost answers still counts as finished: its errors are
# in the table), 2 if a server could not be started.
set -euo pipefail
tool=compare
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=bench/nchan.sh
source "$root/bench/nchan.sh"

if ! nchan_available; then
  echo "$tool: needs nginx with the Nchan module: apt-get update && apt-get install -y nginx-light libnginx-mod-nchan"
  exit 2
fi
scenarios="${COMPARE_SCENARIOS:-fanout1k fanout10k sse multi throughput idle ceiling}"
ceiling_n="${CEILING_N:-19500}"
rounds="${COMPARE_ROUNDS:-5}"
results="$out/results.txt"
: >"$results"
trap 'stop_server; stop_nchan' EXIT

load() { uptime | sed 's/.*load average: //'; }

# Keeps the logs of the scenario that ran on them: server-<scenario>.log, server-gc-<scenario>.log.
keep_logs() {
  if [[ -n "$current" ]]; then
    [[ -f "$out/server.log" ]] && mv "$out/server.log" "$out/server-$current.log"
    [[ -f "$out/server-gc.log" ]] && mv "$out/server-gc.log" "$out/server-gc-$current.log"
  fi
  return 0
}

current=""
fresh_servers() {
  stop_server
  stop_nchan
  keep_logs
  current="$1"
  start_server -XX:NativeMemoryTracking=summary
  start_nchan
  echo "LOAD scenario=$1 load=\"$(load)\"" >>"$results"
  echo
  echo "=== $1 (load average $(load)) ==="
}

# The two servers in the order for this scenario: alternate who goes first, so drift (a build starting
# on the machine, the JIT) does not always favour the same one.
order_flip=0
order() {
  order_flip=$((1 - order_flip))
  if ((order_flip)); then echo "parkway nchan"; else echo "nchan parkway"; fi
}
port_of() { if [[ "$1" == parkway ]]; then echo "$port"; else echo "$nchan_port"; fi; }

# run_tool <scenario> <server> <tool args...>: runs a load tool pinned to CPU 1, tags its RESULT line.
run_tool() {
  local scenario="$1" server="$2"
  shift 2
  set +e
  "${client_pin[@]}" java -Xmx512m -cp "$tools" "$@" 2>&1 | tee "$out/$scenario-$server.txt"
  set -e
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "$tool: Parkway died during $scenario; tail of its log:"
    tail -5 "$out/server.log"
  fi
  grep '^RESULT' "$out/$scenario-$server.txt" | sed "s/^RESULT /RESULT scenario=$scenario /" >>"$results" || true
}

fanout() {
  local scenario="$1" n="$2" mode="$3" server
  shift 3
  for server in $(order); do
    run_tool "$scenario" "$server" FanOut --server "$server" --mode "$mode" --port "$(port_of "$server")" \
      --n "$n" --rounds "$rounds" --channel "$scenario" --deadline 240 "$@"
  done
}

# Memory: a snapshot before the polls park (after a warm-up of 20 polls) and one while N are parked.
fanout_with_memory() {
  local scenario="$1" n="$2" server pid
  for server in $(order); do
    if [[ "$server" == parkway ]]; then pid="$server_pid"; else pid="$nchan_worker"; fi
    run_tool "$scenario-warm" "$server" FanOut --server "$server" --port "$(port_of "$server")" --n 20 \
      --rounds 2 --channel "$scenario-warm" >/dev/null
    bench/memsnap.sh "$server" "$pid" before "$out/memory-$server.txt" >/dev/null
    run_tool "$scenario" "$server" FanOut --server "$server" --port "$(port_of "$server")" --n "$n" \
      --rounds "$rounds" --channel "$scenario" --deadline 240 \
      --parked-hook "bench/memsnap.sh $server $pid parked $out/memory-$server.txt"
    sed "s/^MEM /MEM scenario=$scenario n=$n /" "$out/memory-$server.txt" >>"$results"
  done
}

echo "$tool: $(nproc) CPUs, ulimit -n $(ulimit -n), Parkway -Xmx$heap, load average $(load); results in $out"
echo "LOAD scenario=start load=\"$(load)\"" >>"$results"
for scenario in $scenarios; do
  case "$scenario" in
    fanout1k)
      fresh_servers "$scenario"
      fanout fanout1k 1000 poll
      ;;
    fanout10k)
      fresh_servers "$scenario"
      fanout_with_memory fanout10k 10000
      ;;
    sse)
      fresh_servers "$scenario"
      fanout sse 10000 sse
      ;;
    multi)
      fresh_servers "$scenario"
      fanout multi 10000 multi
      ;;
    throughput)
      fresh_servers "$scenario"
      for server in $(order); do
        mode=poll; [[ "$server" == nchan ]] && mode=batch
        run_tool throughput "$server" Throughput --server "$server" --mode "$mode" --port "$(port_of "$server")" \
          --pollers 100 --publishers 2 --warmup 3 --seconds 10
      done
      ;;
    idle)
      fresh_servers "$scenario"
      for server in $(order); do
        run_tool idle "$server" IdleLatency --server "$server" --port "$(port_of "$server")" --events 2000 --warmup 300
      done
      ;;
    ceiling)
      fresh_servers "$scenario"
      # Nchan first: if Parkway's heap runs out it may not stop cleanly, and nothing comes after it.
      for server in nchan parkway; do
        run_tool ceiling "$server" FanOut --server "$server" --port "$(port_of "$server")" --n "$ceiling_n" \
          --rounds 3 --channel ceiling --deadline 200 --park-wait 90 --timeout 110
      done
      ;;
    *) echo "$tool: unknown scenario $scenario"; exit 2 ;;
  esac
done
echo "LOAD scenario=end load=\"$(load)\"" >>"$results"
stop_server
stop_nchan
keep_logs

echo
"$root/bench/compare-table.sh" "$results" | tee "$out/table.md"
