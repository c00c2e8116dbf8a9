#!/usr/bin/env bash
# The container's floor: the same fan-out against Parkway, against a bare async servlet on the same
# Tomcat connector (bench/src/TomcatFloor.java: no store, no cursors, one pre-encoded answer), and
# against Nchan, in turns. Tells how much of Parkway's fan-out time is Parkway and how much is the
# servlet container.
#
#   bench/floor.sh                    # N=10,000, 5 rounds, 2 turns of the three servers
#   FLOOR_N=1000 FLOOR_TURNS=3 bench/floor.sh
#
# Environment: FLOOR_N (10000), FLOOR_TURNS (2), and SERVER_HEAP, BENCH_OUT, NOFILE as in common.sh.
set -euo pipefail
tool=floor
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=bench/nchan.sh
source "$root/bench/nchan.sh"
n="${FLOOR_N:-10000}"
turns="${FLOOR_TURNS:-2}"

mkdir -p target/bench-classes
if [[ ! -f target/bench-classes/dev/parkway/bench/TomcatFloor.class \
      || bench/src/TomcatFloor.java -nt target/bench-classes/dev/parkway/bench/TomcatFloor.class ]]; then
  javac -d target/bench-classes -cp "$cp" bench/src/TomcatFloor.java
fi

floor_pid=""
stop_floor() {
  stop_pid "$floor_pid" "the floor server"
  floor_pid=""
}
trap 'stop_server; stop_nchan; stop_floor' EXIT

start_server
start_nchan
"${server_pin[@]}" java -Xmx"$heap" -cp "$cp:target/bench-classes" dev.parkway.bench.TomcatFloor 0 >"$out/floor.log" 2>&1 &
floor_pid=$!
floor_port="$(await_port "$out/floor.log" "$floor_pid" "the floor server")" || exit 2
echo "$tool: TomcatFloor pid $floor_pid on 127.0.0.1:$floor_port; load average $(uptime | sed 's/.*load average: //')"

for turn in $(seq 1 "$turns"); do
  for target in parkway floor nchan; do
    case "$target" in
      parkway) p="$port" s="$target_server" ;; # BENCH_TARGET=direct: Parkway's direct port
      floor) p="$floor_port" s=parkway ;;
      nchan) p="$nchan_port" s=nchan ;;
    esac
    "${client_pin[@]}" java -Xmx512m -cp "$tools" FanOut --server "$s" --port "$p" --n "$n" --rounds 5 \
      --channel "floor-$turn" >"$out/$target-$turn.txt" 2>&1 || true
    echo "$tool: turn $turn $target: $(grep '^SUMMARY' "$out/$target-$turn.txt" || tail -1 "$out/$target-$turn.txt")"
  done
done
echo "$tool: load average $(uptime | sed 's/.*load average: //')"
