# Parkway: JVM and process settings for a Tomcat that serves many parked long polls.
#
# Copy to $CATALINA_BASE/bin/setenv.sh; catalina.sh sources it (POSIX sh, not bash) before it starts the
# JVM. Every value can be set in the environment instead of editing this file:
#
#   PARKWAY_HEAP             Java heap, -Xms and -Xmx (default 1g). Sizes like 768m, 1g, 4g.
#   PARKWAY_MAX_CONNECTIONS  connections Tomcat accepts at once, so parked polls at most (default:
#                            derived from the heap, below). Fed to server.xml's maxConnections and
#                            processorCache through -Dparkway.tomcat.maxConnections.
#   PARKWAY_GC_OPTS          garbage collector flags (default: none, the JVM's choice; see below)
#   PARKWAY_GC_LOG           GC log file (default $CATALINA_BASE/logs/gc.log; "off" for none)
#
# Why the heap bounds the connections. A parked poll holds its connection's Tomcat request processor
# and all of that processor's buffers until it is answered: about 66 KB of heap with server.xml's
# connector (about 100 KB with Tomcat's defaults), against under 1 KB of Parkway's own objects. Native
# memory per connection is negligible in the JVM (a few KB in the kernel). docs/benchmarks.md has
# the measurements. Sizing rule, with room for the young generation and for the garbage of a fan-out:
#
#     maxConnections = (heap in MB - 256) * 1024 / 80        1g -> 9,830    2g -> 22,937    4g -> 49,152
#
# When maxConnections is reached Tomcat stops accepting; further clients wait in the accept queue
# (acceptCount) and then see connect timeouts. That is the point: without the bound, a burst of clients
# fills the heap, the JVM spends all its time in full collections, and Tomcat stops answering anyone.
#
# Open files. Every connection is a file descriptor, and the limit (ulimit -n) is per process. This file
# raises the soft limit to maxConnections + 1024 (jars, logs, outbound connections) if the hard limit
# allows. If it does not, it lowers maxConnections to fit and says so on stderr: Tomcat would otherwise
# fail accept() with "Too many open files" in a loop. Raise the hard limit where the process starts:
#   systemd unit:   LimitNOFILE=65536
#   Docker:         docker run --ulimit nofile=65536:65536 ...
#   Kubernetes:     the container runtime's default (often 1048576); check with `ulimit -Hn` in the pod
#   login shells:   /etc/security/limits.conf: tomcat  hard  nofile  65536
# Only a process with CAP_SYS_RESOURCE (root outside a restricted container) can raise its own hard limit.
#
# Garbage collector. Parked polls are long-lived objects; what matters is how much of the heap the old
# generation may use and how long a pause is. Measured on one CPU with -Xmx1g (docs/benchmarks.md):
# Serial (the JVM's choice with one CPU) held 13,000 parked polls, with pauses up to 0.9 s; adding
# -Xmn128m (a small young generation, so more old) held 14,500. G1 (the JVM's choice with 2+ CPUs and
# 2+ GB of RAM) held 13,500 on one CPU but paused up to 2.2 s there; with more cores its concurrent
# work leaves the application threads alone. Leave it to the JVM unless you have measured otherwise.
#
# TLS. Terminate TLS in front of Tomcat (a proxy or load balancer) when many polls park: Tomcat's NIO
# TLS adds two 16.5 KB network buffers per connection and grows the socket buffers to about 16 KB each,
# roughly 65-80 KB more per parked poll (not measured here; from Tomcat's SecureNioChannel).

PARKWAY_HEAP="${PARKWAY_HEAP:-1g}"

# The heap in MB, from 512m / 1g / 1024M / 2G style sizes.
case "$PARKWAY_HEAP" in
  *[gG]) parkway_heap_mb=$(( ${PARKWAY_HEAP%[gG]} * 1024 )) ;;
  *[mM]) parkway_heap_mb=${PARKWAY_HEAP%[mM]} ;;
  *)
    echo "setenv.sh: PARKWAY_HEAP must be like 768m or 4g, not '$PARKWAY_HEAP'" >&2
    exit 1
    ;;
esac
if [ "$parkway_heap_mb" -lt 512 ]; then
  echo "setenv.sh: PARKWAY_HEAP=$PARKWAY_HEAP is too small for Parkway; use 512m or more" >&2
  exit 1
fi

PARKWAY_MAX_CONNECTIONS="${PARKWAY_MAX_CONNECTIONS:-$(( (parkway_heap_mb - 256) * 1024 / 80 ))}"

# Open files: ask for what maxConnections needs; settle for the hard limit and fewer connections.
parkway_nofile_wanted=$(( PARKWAY_MAX_CONNECTIONS + 1024 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$parkway_nofile_wanted" ]; then
  ulimit -n "$parkway_nofile_wanted" 2>/dev/null || {
    parkway_nofile_hard="$(ulimit -H -n)"
    if [ "$parkway_nofile_hard" != unlimited ]; then
      ulimit -n "$parkway_nofile_hard" 2>/dev/null || true
      parkway_fit=$(( $(ulimit -n) - 1024 ))
      if [ "$parkway_fit" -lt "$PARKWAY_MAX_CONNECTIONS" ]; then
        echo "setenv.sh: open files limited to $(ulimit -n) (hard limit); maxConnections lowered from" \
          "$PARKWAY_MAX_CONNECTIONS to $parkway_fit. Raise the hard limit (LimitNOFILE=) for more." >&2
        PARKWAY_MAX_CONNECTIONS="$parkway_fit"
      fi
    fi
  }
fi

PARKWAY_GC_OPTS="${PARKWAY_GC_OPTS:-}"
PARKWAY_GC_LOG="${PARKWAY_GC_LOG:-$CATALINA_BASE/logs/gc.log}"

# -Xms = -Xmx: the heap parked polls need is taken at start, not discovered under load.
# -XX:+ExitOnOutOfMemoryError: after an OutOfMemoryError, Tomcat can lose its NIO poller thread and then
#   serves nobody, yet stays up (docs/benchmarks.md, finding 1). Exit, and let the supervisor
#   (systemd Restart=on-failure, Kubernetes) start a fresh one; clients re-poll with their cursors.
CATALINA_OPTS="$CATALINA_OPTS -Xms$PARKWAY_HEAP -Xmx$PARKWAY_HEAP -XX:+ExitOnOutOfMemoryError $PARKWAY_GC_OPTS"
CATALINA_OPTS="$CATALINA_OPTS -Dparkway.tomcat.maxConnections=$PARKWAY_MAX_CONNECTIONS"
if [ "$PARKWAY_GC_LOG" != off ]; then
  CATALINA_OPTS="$CATALINA_OPTS -Xlog:gc:file=$PARKWAY_GC_LOG:time,uptime:filecount=5,filesize=10m"
fi
export CATALINA_OPTS

unset parkway_heap_mb parkway_nofile_wanted parkway_nofile_hard parkway_fit
