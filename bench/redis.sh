#!/usr/bin/env bash
# The Redis store under load: a loopback redis-server (the binary the embedded-redis test jar ships, or
# REDIS_SERVER=/path/to/redis-server), two Parkway nodes (dev servers) sharing it, and
# bench/src/RedisLoad.java for publish throughput and fan-out latency, same node and across nodes. The
# same tool then runs against one node with the in-memory store, for comparison.
#
#   bench/redis.sh                        # defaults below
#   REDIS_EVENTS=10000 REDIS_N=2000 bench/redis.sh
#
# Environment:
#   REDIS_SERVER       redis-server binary (default: extracted from the embedded-redis jar in ~/.m2)
#   REDIS_FSYNC        appendfsync: everysec (default) | always | no
#   REDIS_EVENTS       events per publish run (default 4000); REDIS_THREADS publishers (default 4)
#   REDIS_N            parked polls per fan-out run of RedisLoad (default 1000); REDIS_ROUNDS (default 5)
#   REDIS_FANOUT_NS    sizes for bench/src/FanOut.java on one node of each store (default "10000"; "" skips)
#   SERVER_HEAP, SERVER_JAVA_OPTS, BENCH_OUT, NOFILE: as for bench/fanout.sh (see bench/common.sh)
# Everything runs on 127.0.0.1 and stops on exit. Exit code: 0 if every run was clean.
set -euo pipefail
tool=redis
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

events="${REDIS_EVENTS:-4000}"
threads="${REDIS_THREADS:-4}"
n="${REDIS_N:-1000}"
rounds="${REDIS_ROUNDS:-5}"
fsync="${REDIS_FSYNC:-everysec}"
base_opts="${SERVER_JAVA_OPTS:-}"

# ---- redis-server -------------------------------------------------------------------------------
redis_bin="${REDIS_SERVER:-}"
if [[ -z "$redis_bin" ]]; then
  jar="$(tr ':' '\n' < target/bench-classpath.txt | grep 'embedded-redis' | head -1)"
  [[ -f "$jar" ]] || { echo "redis: embedded-redis jar not found; set REDIS_SERVER"; exit 2; }
  mkdir -p target/bench-redis
  unzip -o -q -d target/bench-redis "$jar" redis-server-6.2.6-v5-linux-amd64
  redis_bin="target/bench-redis/redis-server-6.2.6-v5-linux-amd64"
  chmod +x "$redis_bin"
fi
redis_pid=""
node_pids=()
cleanup() {
  for pid in "${node_pids[@]}" "$server_pid"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  [[ -n "$redis_pid" ]] && kill "$redis_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "redis: no free port found" >&2
  exit 2
}
redis_port="$(free_port)"
mkdir -p "$out/redis"
"${server_pin[@]}" "$redis_bin" --bind 127.0.0.1 --port "$redis_port" --dir "$(pwd)/$out/redis" \
  --appendonly yes --appendfsync "$fsync" --save "" --maxmemory-policy noeviction \
  --logfile "$(pwd)/$out/redis.log" &
redis_pid=$!
for _ in $(seq 1 100); do
  grep -q 'Ready to accept connections' "$out/redis.log" 2>/dev/null && break
  sleep 0.1
done
grep -q 'Ready to accept connections' "$out/redis.log" || { echo "redis: redis-server did not start"; exit 2; }
echo "redis: $("$redis_bin" --version | cut -d' ' -f1-3) pid $redis_pid on 127.0.0.1:$redis_port, appendfsync $fsync"

# start_node NAME [extra -D...]: a dev server; its port in node_port, its log renamed to NAME.log.
start_node() {
  local name="$1"
  shift
  SERVER_JAVA_OPTS="$base_opts $*"
  start_server
  node_pids+=("$server_pid")
  node_port="$port"
  mv "$out/server.log" "$out/$name.log"
  mv "$out/server-gc.log" "$out/$name-gc.log"
  server_pid=""
}

redis_opts="-Dparkway.store=redis -Dparkway.redis.url=redis://127.0.0.1:$redis_port -Dparkway.redis.prefix=bench$$:"
start_node node-a $redis_opts
a="$node_port"
start_node node-b $redis_opts
b="$node_port"

status=0
run() {
  echo "redis: RedisLoad $*"
  set +e
  "${client_pin[@]}" java -Xmx512m bench/src/RedisLoad.java "$@" 2>&1 | tee -a "$out/redisload.txt"
  local rc=${PIPESTATUS[0]}
  set -e
  [[ $rc -ne 0 && $status -eq 0 ]] && status=$rc
  return 0
}

# fanout_big PORT: FanOut.java (one NIO thread, tens of thousands of polls) against one node.
fanout_big() {
  for big in ${REDIS_FANOUT_NS-10000}; do
    echo "redis: FanOut --n $big on :$1"
    set +e
    "${client_pin[@]}" java -Xmx512m bench/src/FanOut.java --host 127.0.0.1 --port "$1" --n "$big" \
      --rounds "$rounds" --channel "big-$1-$big" 2>&1 | tee -a "$out/fanout.txt" | grep -E '^ +[0-9]+ +[0-9]+ |SUMMARY'
    local rc=${PIPESTATUS[0]}
    set -e
    [[ $rc -ne 0 && $status -eq 0 ]] && status=$rc
  done
  return 0
}

echo
echo "== Redis store, two nodes (:$a, :$b) =="
run publish --nodes "$a" --threads "$threads" --events 1000 --channel warm   # JIT warm-up, not reported
run publish --nodes "$a" --threads "$threads" --events "$events" --channel one
run publish --nodes "$a,$b" --threads "$threads" --events "$events" --channel two
run fanout --poll "$a" --publish "$a" --n "$n" --rounds "$rounds" --channel same
run fanout --poll "$b" --publish "$a" --n "$n" --rounds "$rounds" --channel cross
fanout_big "$a"

for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
node_pids=()

echo
echo "== in-memory store, one node, for comparison =="
start_node node-memory
m="$node_port"
run publish --nodes "$m" --threads "$threads" --events 1000 --channel warm
run publish --nodes "$m" --threads "$threads" --events "$events" --channel one
run fanout --poll "$m" --publish "$m" --n "$n" --rounds "$rounds" --channel same
fanout_big "$m"

echo
errors="$(cat "$out"/node-*.log | grep -ciE 'SEVERE|ERROR|Exception' || true)"
echo "redis: node logs: $errors lines with SEVERE/ERROR/Exception; logs and the AOF in $out"
exit "$status"
