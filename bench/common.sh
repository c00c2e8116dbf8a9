# Shared by bench/fanout.sh, bench/heap.sh and bench/compare.sh (sourced, not run): build, the load
# tools, limits, CPU pinning, and the
# dev server (the real webapp/ on embedded Tomcat through EmbeddedParkway, in-memory store, 127.0.0.1,
# free port). Callers set `tool` (a name for messages) before sourcing.
#
# Environment read here:
#   SERVER_HEAP        server -Xmx (default 1g)
#   SERVER_JAVA_OPTS   extra server JVM flags. Connector attributes are -Dparkway.tomcat.<attribute>=<value>
#                      (EmbeddedParkway applies them over its own settings), e.g.
#                      SERVER_JAVA_OPTS="-Dparkway.tomcat.socket.appWriteBufSize=8192 -XX:+UseG1GC"
#   BENCH_PROTOCOL     "small": run Tomcat with bench/src/SmallBufferProtocol.java (an experiment that
#                      shrinks the servlet response and request-reader buffers; see that file)
#   BENCH_TARGET       "servlet" (default) or "direct": which of Parkway's ports fanout.sh and heap.sh load.
#                      "direct" turns the direct port on (parkway.direct.port=-1: a port the system picks,
#                      read from the log; parkway.direct.address=127.0.0.1)
#   BENCH_OUT          where logs go (default target/bench/<timestamp>)
#   NOFILE             ulimit -n to ask for (default 200000; falls back to the hard limit)
#
# Callers may set with_direct=1 before sourcing to have the direct port on whatever BENCH_TARGET says
# (compare.sh loads both ports). After start_server: servlet_port, direct_port (empty when off), and
# port and target_server (the load tools' --port and --server) for BENCH_TARGET's port.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

heap="${SERVER_HEAP:-1g}"
out="${BENCH_OUT:-target/bench/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"

# ---- build, if needed -------------------------------------------------------------------------
newest_source="$(find pom.xml src webapp -type f -newer target/test-classes/dev/parkway/dev/DevServer.class 2>/dev/null | head -1 || true)"
if [[ ! -f target/test-classes/dev/parkway/dev/DevServer.class || -n "$newest_source" ]]; then
  echo "$tool: building (mvn -o -q -B -DskipTests package)"
  mvn -o -q -B -DskipTests package
fi
if [[ ! -s target/bench-classpath.txt || pom.xml -nt target/bench-classpath.txt ]]; then
  mvn -o -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
cp="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"

# The load tools (bench/src/*.java but SmallBufferProtocol, which needs Tomcat): plain Java 17, no
# dependencies, compiled into target/bench-tools; run as `java -cp target/bench-tools FanOut ...`.
tools="$root/target/bench-tools"
tool_sources=(bench/src/FanOut.java bench/src/Dialect.java bench/src/HttpWire.java bench/src/Latencies.java
  bench/src/SelectorLoop.java bench/src/Options.java bench/src/Throughput.java bench/src/IdleLatency.java)
for f in "${tool_sources[@]}"; do
  if [[ ! -f "$tools/FanOut.class" || "$f" -nt "$tools/FanOut.class" ]]; then
    mkdir -p "$tools"
    javac -d "$tools" "${tool_sources[@]}"
    touch "$tools/FanOut.class"
    break
  fi
done

protocol_opts=()
case "${BENCH_PROTOCOL:-}" in
  "") ;;
  small)
    mkdir -p target/bench-classes
    if [[ ! -f target/bench-classes/dev/parkway/bench/SmallBufferProtocol.class \
          || bench/src/SmallBufferProtocol.java -nt target/bench-classes/dev/parkway/bench/SmallBufferProtocol.class ]]; then
      javac -d target/bench-classes -cp "$cp" bench/src/SmallBufferProtocol.java
    fi
    cp="$cp:target/bench-classes"
    protocol_opts=(-Dparkway.tomcat.protocol=dev.parkway.bench.SmallBufferProtocol)
    ;;
  *) echo "$tool: BENCH_PROTOCOL must be empty or 'small'"; exit 2 ;;
esac

bench_target="${BENCH_TARGET:-servlet}"
direct_opts=()
case "$bench_target" in
  servlet) target_server=parkway ;;
  direct) target_server=direct ;;
  *) echo "$tool: BENCH_TARGET must be 'servlet' or 'direct'"; exit 2 ;;
esac
if [[ "$bench_target" == direct || "${with_direct:-}" == 1 ]]; then
  # -1: the system picks a free port (no race with another run's free_port); loopback only.
  direct_opts=(-Dparkway.direct.port=-1 -Dparkway.direct.address=127.0.0.1)
fi

# ---- limits and CPU pinning -------------------------------------------------------------------
# Each parked poll is one connection, so one file descriptor in the server and one in the load tool.
# RLIMIT_NOFILE is per process; raising the hard limit needs CAP_SYS_RESOURCE (root in a container
# often lacks it). Then one server process can hold at most (hard limit - ~100) connections.
want="${NOFILE:-200000}"
if ! ulimit -n "$want" 2>/dev/null; then
  hard="$(ulimit -Hn)"
  [[ "$hard" == unlimited ]] && hard="$want"
  ulimit -n "$hard" 2>/dev/null || true
  echo "$tool: ulimit -n $want refused; using $(ulimit -n) (the hard limit, per process)"
fi
server_pin=()
client_pin=()
if command -v taskset >/dev/null 2>&1 && [[ "$(nproc)" -ge 2 ]]; then
  server_pin=(taskset -c 0)
  client_pin=(taskset -c 1)
fi

# ---- the server -------------------------------------------------------------------------------
# stop_pid <pid> <name>: TERM, up to 10 s, then KILL. Only the pid given: never by name.
stop_pid() {
  if [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$1" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$1" 2>/dev/null; then
      echo "$tool: $2 did not stop in 10 s; killing it"
      kill -9 "$1" 2>/dev/null || true
    fi
  fi
}

# await_port <log> <pid> <name>: waits (30 s) until the log says "running at http://localhost:<port>"
# and prints the port; exits 2 if the process dies or never says it.
await_port() {
  local p=""
  for _ in $(seq 1 300); do
    p="$(grep -o 'running at http://localhost:[0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$' || true)"
    [[ -n "$p" ]] && { echo "$p"; return 0; }
    kill -0 "$2" 2>/dev/null || { echo "$tool: $3 died:" >&2; cat "$1" >&2; exit 2; }
    sleep 0.1
  done
  echo "$tool: $3 did not start in 30 s" >&2
  cat "$1" >&2
  exit 2
}

# await_direct_port <log>: the direct port the log names ("Parkway direct port listening on
# http://127.0.0.1:<port>/"), once the server is up (the direct port starts before the servlet one).
await_direct_port() {
  local p
  p="$(grep -o 'direct port listening on http://[0-9.]*:[0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$' || true)"
  [[ -n "$p" ]] || { echo "$tool: the server did not log its direct port:" >&2; cat "$1" >&2; exit 2; }
  echo "$p"
}

server_pid=""
port=""
servlet_port=""
direct_port=""
stop_server() {
  stop_pid "$server_pid" "the server"
  server_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# start_server [extra JVM flags...]: starts the dev server on 127.0.0.1 and a free port; sets
# server_pid and port. Port 0: Tomcat picks the port and the dev server prints it.
start_server() {
  # shellcheck disable=SC2086
  "${server_pin[@]}" java -Xmx"$heap" ${SERVER_JAVA_OPTS:-} "${protocol_opts[@]}" "${direct_opts[@]}" "$@" \
    -Xlog:gc,gc+init:file="$out/server-gc.log" \
    -Dparkway.dev.address=127.0.0.1 \
    -cp "$cp" dev.parkway.dev.DevServer 0 >"$out/server.log" 2>&1 &
  server_pid=$!
  servlet_port="$(await_port "$out/server.log" "$server_pid" "the server")" || exit 2
  direct_port=""
  if ((${#direct_opts[@]})); then
    direct_port="$(await_direct_port "$out/server.log")" || exit 2
  fi
  port="$servlet_port"
  [[ "$bench_target" == direct ]] && port="$direct_port"
  echo "$tool: Parkway pid $server_pid on 127.0.0.1:$servlet_port${direct_port:+ (direct port $direct_port)}, -Xmx$heap ${SERVER_JAVA_OPTS:-}${protocol_opts[*]:+ ${protocol_opts[*]}}${server_pin[*]:+, server ${server_pin[*]}, load ${client_pin[*]}}; logs in $out"
  echo "$tool: $(nproc) CPUs, ulimit -n $(ulimit -n), $(grep -m1 'Using' "$out/server-gc.log" | sed 's/.*Using /GC: /')"
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
