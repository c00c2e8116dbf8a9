#!/usr/bin/env bash
# Fan-out benchmark: starts Parkway (the dev server: embedded Tomcat, in-memory store) on a free
# loopback port, runs FanOut (bench/src/FanOut.java) for each N, prints the tables, stops the server.
#
#   bench/fanout.sh                      # N=1000 and N=10000, 5 rounds each, server -Xmx1g
#   FANOUT_NS="1000 3000" bench/fanout.sh --rounds 10   # other sizes; extra args go to FanOut
#   BENCH_TARGET=direct bench/fanout.sh  # the polls and publishes on Parkway's direct port
#
# Environment:
#   FANOUT_NS          sizes to run, in order (default "1000 10000")
#   BENCH_TARGET       servlet (default) | direct: which of Parkway's ports the polls and publishes use
#   SERVER_HEAP        server -Xmx (default 1g)
#   SERVER_JAVA_OPTS   extra server JVM flags (e.g. -XX:+UseG1GC, or a connector attribute as
#                      -Dparkway.tomcat.<attribute>=<value>)
#   BENCH_PROTOCOL     "small": the SmallBufferProtocol experiment (bench/src/SmallBufferProtocol.java)
#   CLIENT_HEAP        load tool -Xmx (default 512m)
#   BENCH_OUT          where logs go (default target/bench/<timestamp>)
#   NOFILE             ulimit -n to ask for (default 200000; falls back to the hard limit)
# Exit code: 0 if every run answered every poll correctly, else the first failing FanOut's code.
set -euo pipefail
tool=fanout
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

ns="${FANOUT_NS:-1000 10000}"
client_heap="${CLIENT_HEAP:-512m}"

start_server

status=0
for n in $ns; do
  echo
  # Each size gets its own channel, so a poll left parked by an earlier size cannot be counted.
  set +e
  "${client_pin[@]}" java -Xmx"$client_heap" -cp "$tools" FanOut \
    --server "$target_server" --host 127.0.0.1 --port "$port" --n "$n" --channel "bench-$n" "$@" 2>&1 | tee "$out/fanout-$n.txt"
  rc=${PIPESTATUS[0]}
  set -e
  echo "fanout: N=$n exit $rc; server RSS $(rss_mb "$server_pid") MB"
  [[ $rc -ne 0 && $status -eq 0 ]] && status=$rc
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "fanout: the server died during N=$n; tail of its log:"
    tail -20 "$out/server.log"
    status=2
    break
  fi
done

echo
pauses="$(grep -c 'Pause' "$out/server-gc.log" || true)"
full="$(grep -c 'Pause Full' "$out/server-gc.log" || true)"
longest="$(grep -o '[0-9.]*ms$' "$out/server-gc.log" | sort -n | tail -1 || true)"
live="$(grep 'Pause Full' "$out/server-gc.log" | grep -o -- '->[0-9]*M' | tr -d '>M-' | sort -n | tail -1 || true)"
echo "fanout: server GC: $pauses pauses ($full full), longest ${longest:-none}${live:+, largest heap after a full GC ${live} MB}; see $out/server-gc.log"
errors="$(grep -ciE 'SEVERE|ERROR|Exception' "$out/server.log" || true)"
echo "fanout: server log: $errors lines with SEVERE/ERROR/Exception; see $out/server.log"
exit "$status"
