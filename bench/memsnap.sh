#!/usr/bin/env bash
# One memory snapshot of a benchmark server, appended to a file as one line of key=value:
#   bench/memsnap.sh parkway <java pid> <label> <file>   heap (live after a full GC), native (NMT), RSS
#   bench/memsnap.sh direct <java pid> <label> <file>    the same, for polls parked on the direct port
#   bench/memsnap.sh nchan <worker pid> <label> <file>   RSS of the worker (it maps the shared memory)
# bench/compare.sh runs it before the polls park and, through FanOut --parked-hook, once they are parked.
set -euo pipefail
# shellcheck source=bench/memory.sh
source "$(dirname "$0")/memory.sh"
kind="$1" pid="$2" label="$3" file="$4"
case "$kind" in
  parkway | direct)
    heap="$(live_heap_bytes "$pid" "$file.$label.histogram")"
    native="$(native_kb "$pid" "$file.$label.nmt")"
    echo "MEM server=$kind label=$label heap_bytes=$heap native_kb=$native rss_kb=$(rss_kb "$pid")" >>"$file"
    ;;
  nchan)
    echo "MEM server=nchan label=$label heap_bytes=0 native_kb=0 rss_kb=$(rss_kb "$pid")" >>"$file"
    ;;
  *) echo "memsnap.sh: kind must be parkway, direct or nchan" >&2; exit 2 ;;
esac
tail -1 "$file"
