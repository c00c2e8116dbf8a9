#!/usr/bin/env bash
# The file store's benchmark (bench/src/JournalBench.java): publish throughput per fsync mode with 1 and 16
# publishing threads, and restart time with 1,000,000 events, for Parkway's journal and for H2 MVStore.
# Anything after the script name goes to JournalBench (--help lists the options).
#
# Environment: BENCH_HEAP (-Xmx, default 2g), BENCH_OUT (where the log goes, default target/bench/<timestamp>).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${BENCH_OUT:-target/bench/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
if [[ ! -f target/classes/dev/parkway/store/file/JournalStore.class ]] \
    || [[ -n "$(find src/main -newer target/classes/dev/parkway/store/file/JournalStore.class -type f | head -1)" ]]; then
  echo "journal.sh: building (mvn -o -q -B -DskipTests package)"
  mvn -o -q -B -DskipTests package
fi
if [[ ! -s target/journal-bench-classpath.txt || pom.xml -nt target/journal-bench-classpath.txt ]]; then
  mvn -o -q -B -Pjournal-bench dependency:build-classpath \
    -Dmdep.outputFile=target/journal-bench-classpath.txt -Dmdep.includeScope=test
fi
cp="target/classes:$(cat target/journal-bench-classpath.txt)"
echo "journal.sh: log in $out/journal.txt"
java -Xmx"${BENCH_HEAP:-2g}" -cp "$cp" \
  -Djava.util.logging.config.file=src/test/resources/logging.properties \
  bench/src/JournalBench.java "$@" | tee "$out/journal.txt"
