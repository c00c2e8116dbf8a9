# Memory figures of a running server, shared by bench/heap.sh and bench/memsnap.sh (sourced, not run).

# The live heap in bytes after a full GC (`jcmd <pid> GC.class_histogram` runs one first); the
# histogram is kept in $2.
live_heap_bytes() {
  jcmd "$1" GC.class_histogram >"$2"
  awk '$1 == "Total" {print $3}' "$2"
}

# Committed native memory outside the Java heap, in KB, from an NMT summary of pid $1 (kept in $2),
# without what does not grow with connections: threads, JIT code and arenas, class metadata.
native_kb() {
  jcmd "$1" VM.native_memory summary >"$2"
  awk '/^-/ && /committed=/ { name = $0; sub(/^- */, "", name); sub(/ *\(.*/, "", name)
         if (name ~ /^(Java Heap|Thread|Code|Compiler|Arena Chunk|Class|Metaspace|Symbol|Shared class space|Native Memory Tracking)$/) next
         v = $0; sub(/.*committed=/, "", v); sub(/KB.*/, "", v); t += v }
       END { print t + 0 }' "$2"
}

# Resident set of pid $1 in KB.
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Bytes in the kernel slabs a TCP connection uses (0 if /proc/slabinfo cannot be read).
kernel_bytes() {
  awk '$1 ~ /^(TCP|sock_inode_cache|filp|dentry|eventpoll_epi|eventpoll_pwq)$/ { t += $2 * $4 } END { print t + 0 }' \
    /proc/slabinfo 2>/dev/null || echo 0
}
