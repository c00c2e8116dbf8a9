#!/usr/bin/env bash
# Memory per parked poll: starts Parkway (the dev server, like fanout.sh), parks N polls with
# FanOut --hold, and compares the server with 0 and with N parked:
#   - live heap: `jcmd <pid> GC.class_histogram` (it runs a full GC first), total and per class;
#   - native memory outside the heap: Native Memory Tracking (-XX:NativeMemoryTracking=summary),
#     committed, without the Java heap and without what does not grow with connections: threads
#     (Tomcat adds workers while the polls arrive), JIT code and compiler arenas, class metadata;
#   - process RSS;
#   - kernel memory for sockets, files and epoll entries (/proc/slabinfo, readable by root only): on
#     loopback it counts both ends of each connection, the load tool's too.
# Then it publishes once, so every parked poll is answered (the round's table is printed).
#
#   bench/heap.sh                                  # N=2000, -Xmx1g
#   HEAP_N=10000 bench/heap.sh                     # another N
#   SERVER_JAVA_OPTS=-Dparkway.tomcat.socket.appReadBufSize=8192 bench/heap.sh   # one attribute changed
#   BENCH_PROTOCOL=small bench/heap.sh             # the SmallBufferProtocol experiment
#   BENCH_TARGET=direct HEAP_N=10000 bench/heap.sh # the polls parked on Parkway's direct port
#   BENCH_PROTOCOL=small SERVER_JAVA_OPTS=-Dbench.readerBuffer=0 bench/heap.sh
#
# Environment: HEAP_N (default 2000), HEAP_HOLD (seconds the polls stay parked, 5-60, default 30), and
# SERVER_HEAP, SERVER_JAVA_OPTS, BENCH_PROTOCOL, BENCH_TARGET, BENCH_OUT, NOFILE as in bench/common.sh.
# Output: one summary line ("heap.sh: RESULT ...") and the classes that grew most, per parked poll.
# Exit code: 0, or FanOut's code if the polls could not all be parked and answered.
set -euo pipefail
tool=heap.sh
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

n="${HEAP_N:-2000}"
hold="${HEAP_HOLD:-30}"
# The polls must still be parked when the histogram is taken: they wait 120 s (Parkway's default
# parkway.poll.timeout.max), which has to cover the ramp and the hold.
if ((hold < 5 || hold > 60)); then
  echo "$tool: HEAP_HOLD must be 5 to 60 seconds"
  exit 2
fi

start_server -XX:NativeMemoryTracking=summary

# shellcheck source=bench/memory.sh
source "$root/bench/memory.sh"
# Warm up (class loading, Parkway's and Tomcat's first objects) with 20 polls, two rounds, on their own
# channel. Only 20: Tomcat keeps the processors of answered polls in its processorCache, and the N
# parked polls reuse them, so each warm-up poll makes the per-poll figure ~1/N too low.
"${client_pin[@]}" java -Xmx256m -cp "$tools" FanOut --server "$target_server" --host 127.0.0.1 --port "$port" --n 20 --rounds 2 \
  --channel heap-warm >"$out/warm.txt" 2>&1 || { echo "$tool: warm-up failed:"; cat "$out/warm.txt"; exit 2; }

live0="$(live_heap_bytes "$server_pid" "$out/histogram-0.txt")"
native0="$(native_kb "$server_pid" "$out/nmt-0.txt")"
rss0="$(rss_mb "$server_pid")"
kernel0="$(kernel_bytes)"

"${client_pin[@]}" java -Xmx512m -cp "$tools" FanOut --server "$target_server" --host 127.0.0.1 --port "$port" --n "$n" --rounds 1 \
  --hold "$hold" --timeout 120 --deadline $((hold + 600)) --channel "heap-$n" >"$out/fanout-$n.txt" 2>&1 &
fanout_pid=$!
parked=""
for _ in $(seq 1 3000); do
  grep -q 'holding' "$out/fanout-$n.txt" && { parked=yes; break; }
  kill -0 "$fanout_pid" 2>/dev/null || break
  sleep 0.2
done
if [[ -z "$parked" ]]; then
  echo "$tool: the polls were not all parked:"
  cat "$out/fanout-$n.txt"
  exit 2
fi
live1="$(live_heap_bytes "$server_pid" "$out/histogram-$n.txt")"
native1="$(native_kb "$server_pid" "$out/nmt-$n.txt")"
rss1="$(rss_mb "$server_pid")"
kernel1="$(kernel_bytes)"
set +e
wait "$fanout_pid"
rc=$?
set -e
grep -E '^ +N +round|^ +[0-9]+ +1 ' "$out/fanout-$n.txt" || true

echo
printf '%s: RESULT N=%d heap/poll %d B (live %d -> %d MB) | native/poll %d B | RSS %d -> %d MB (%d B/poll) | kernel/connection %d B\n' \
  "$tool" "$n" $(((live1 - live0) / n)) $((live0 / 1048576)) $((live1 / 1048576)) \
  $(((native1 - native0) * 1024 / n)) "$rss0" "$rss1" $(((rss1 - rss0) * 1048576 / n)) \
  $(((kernel1 - kernel0) / n))
echo "$tool: native memory outside the heap that changed (NMT, committed KB, 0 parked -> N parked):"
awk '
  FNR == 1 { file++ }
  /^-/ && /committed=/ { name = $0; sub(/^- */, "", name); sub(/ *\(.*/, "", name)
    v = $0; sub(/.*committed=/, "", v); sub(/KB.*/, "", v); if (file == 1) a[name] = v; else b[name] = v }
  END { for (k in b) if (k != "Java Heap" && (b[k] - a[k] > 63 || a[k] - b[k] > 63)) printf "  %-20s %8d -> %8d\n", k, a[k], b[k] }
' "$out/nmt-0.txt" "$out/nmt-$n.txt"
echo "$tool: classes that grew most, bytes and instances per parked poll:"
awk -v n="$n" '
  FNR == 1 { file++ }
  $1 ~ /^[0-9]+:$/ { if (file == 1) { b0[$4] = $3; i0[$4] = $2 } else { b1[$4] = $3; i1[$4] = $2 } }
  END { for (c in b1) { d = b1[c] - b0[c]; if (d > 0) printf "%10.0f %8.2f  %s\n", d / n, (i1[c] - i0[c]) / n, c } }
' "$out/histogram-0.txt" "$out/histogram-$n.txt" | sort -rn | head -15
exit "$rc"
