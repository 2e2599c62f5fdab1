#!/usr/bin/env bash
# NFS benchmark: libnfs-utils (nfs-cp, nfs-ls) against the embedded NFSv3 server and
# nfs-ganesha (FSAL VFS) serving the same tree on 127.0.0.1, one after the other in the same
# run: read one 256 MiB file, write one 256 MiB file, walk a debootstrapped Debian tree
# (nfs-ls -R), and 16 nfs-cp at once reading 16 different 32 MiB files (many clients). Each server first gets one untimed round of all three (JIT warm-up for the JVM,
# caches for both), then each measurement is the best of 3. Writes bench/results/nfs.md, ending
# with the ratio lines (ganesha time / embedded time: higher is better for the embedded server).
# Needs root, libnfs-utils, nfs-ganesha, nfs-ganesha-vfs, rpcbind, debootstrap and JDK 25.
#
#   bench/nfs.sh [debian-tree]    (default: debootstrap --variant=minbase bookworm, cached)
#
# While tuning: SERVERS=embedded REPS=1 bench/nfs.sh prints the times of one server and
# leaves bench/results/nfs.md alone; SERVER_JAVA_OPTS adds JVM options to the server (e.g. a JFR recording).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
M2=${M2:-$HOME/.m2/repository}
WORK=$(mktemp -d /tmp/nb-nfs-bench.XXXXXX)
SERVER_PID=""
FIFO="$WORK/stdin"
REPS=${REPS:-3}
SERVERS=${SERVERS:-embedded ganesha}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

cleanup() {
  if [ -n "$SERVER_PID" ]; then exec 9>&- 2>/dev/null || true; sleep 1; kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in nfs-cp nfs-ls ganesha.nfsd rpcbind; do
  command -v "$tool" >/dev/null || { echo "bench/nfs.sh: '$tool' is missing" >&2; exit 1; }
done

./mvnw -B -ntp -q -o -pl nfsroot -am test-compile -DskipTests >/dev/null 2>&1 || ./mvnw -B -ntp -q -pl nfsroot -am test-compile -DskipTests
CP="core/target/classes:nfsroot/target/classes:nfsroot/target/test-classes"
for jar in org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar org/slf4j/slf4j-simple/2.0.17/slf4j-simple-2.0.17.jar; do
  CP="$CP:$M2/$jar"
done
JAVA="$JAVA_HOME/bin/java ${SERVER_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp $CP"

# The tree: a debootstrapped Debian root plus the two 256 MiB files.
ROOT="$WORK/export"
mkdir -p "$ROOT"
if [ $# -ge 1 ]; then
  cp -a "$1/." "$ROOT/"
else
  CACHE=/var/cache/netboot4j/nfs-bench
  if [ ! -d "$CACHE/bookworm" ]; then
    mkdir -p "$CACHE"
    debootstrap --variant=minbase bookworm "$CACHE/bookworm.tmp" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 \
      || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
    mv "$CACHE/bookworm.tmp" "$CACHE/bookworm"
  fi
  cp -a "$CACHE/bookworm" "$ROOT/debian"
fi
head -c $((256 * 1024 * 1024)) /dev/urandom > "$ROOT/read-256m.bin"
head -c $((256 * 1024 * 1024)) /dev/urandom > "$WORK/write-256m.bin"
PARALLEL=16
mkdir -p "$ROOT/parallel" "$WORK/parallel"
for i in $(seq 1 $PARALLEL); do head -c $((32 * 1024 * 1024)) /dev/urandom > "$ROOT/parallel/file-$i.bin"; done
FILES=$(find "$ROOT" | wc -l)

now() { date +%s.%N; }
best() { sort -g | head -1; }

start_server() { # embedded|ganesha
  rm -f "$FIFO"; mkfifo "$FIFO"
  $JAVA io.netboot4j.nfsroot.bench.NfsBench "$1" "$ROOT" "$WORK/work-$1" <"$FIFO" >"$WORK/$1.log" 2>&1 &
  SERVER_PID=$!
  exec 9>"$FIFO"
  for _ in $(seq 1 600); do grep -q READY "$WORK/$1.log" 2>/dev/null && break; sleep 0.1; done
  grep -q READY "$WORK/$1.log" || { echo "bench/nfs.sh: $1 did not start:" >&2; cat "$WORK/$1.log" >&2; exit 1; }
  NFSPORT=$(sed -n 's/.*READY nfs=\([0-9]*\) mount=\([0-9]*\).*/\1/p' "$WORK/$1.log")
  MOUNTPORT=$(sed -n 's/.*READY nfs=\([0-9]*\) mount=\([0-9]*\).*/\2/p' "$WORK/$1.log")
}

stop_server() {
  exec 9>&-
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

url() { echo "nfs://127.0.0.1$ROOT$1?version=3&nfsport=$NFSPORT&mountport=$MOUNTPORT"; }

ROUND=0
one_round() { # name -> sets T_READ T_WRITE T_WALK (seconds)
  local t0
  ROUND=$((ROUND + 1))   # a new name per write: ganesha caches the names it served
  t0=$(now); nfs-cp "$(url /read-256m.bin)" "$WORK/read-back.bin"; T_READ=$(echo "$(now) - $t0" | bc -l)
  cmp -s "$WORK/read-back.bin" "$ROOT/read-256m.bin" || { echo "bench/nfs.sh: $1 read back different bytes" >&2; exit 1; }
  rm -f "$WORK/read-back.bin"
  t0=$(now); nfs-cp "$WORK/write-256m.bin" "$(url /written-$ROUND.bin)"; T_WRITE=$(echo "$(now) - $t0" | bc -l)
  cmp -s "$WORK/write-256m.bin" "$ROOT/written-$ROUND.bin" || { echo "bench/nfs.sh: $1 stored different bytes" >&2; exit 1; }
  rm -f "$ROOT/written-$ROUND.bin"
  t0=$(now); nfs-ls -R "$(url /)" > "$WORK/walk-$1.txt"; T_WALK=$(echo "$(now) - $t0" | bc -l)
  local pids=()
  t0=$(now)
  for i in $(seq 1 $PARALLEL); do nfs-cp "$(url /parallel/file-$i.bin)" "$WORK/parallel/file-$i.bin" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || { echo "bench/nfs.sh: $1: a parallel nfs-cp failed" >&2; exit 1; }; done
  T_PAR=$(echo "$(now) - $t0" | bc -l)
  for i in $(seq 1 $PARALLEL); do
    cmp -s "$WORK/parallel/file-$i.bin" "$ROOT/parallel/file-$i.bin" || { echo "bench/nfs.sh: $1 read back different bytes (parallel $i)" >&2; exit 1; }
  done
  rm -f "$WORK"/parallel/*
}

measure() { # name -> sets READ WRITE WALK PAR (seconds, best of REPS)
  start_server "$1"
  local r=() w=() k=() q=()
  one_round "$1"   # warm-up round, not timed: JIT for the JVM, caches for both
  for _ in $(seq 1 "$REPS"); do
    one_round "$1"
    r+=("$T_READ"); w+=("$T_WRITE"); k+=("$T_WALK"); q+=("$T_PAR")
    echo "$1: read $T_READ s, write $T_WRITE s, walk $T_WALK s, parallel read $T_PAR s" >&2
  done
  stop_server
  READ=$(printf '%s\n' "${r[@]}" | best); WRITE=$(printf '%s\n' "${w[@]}" | best); WALK=$(printf '%s\n' "${k[@]}" | best)
  PAR=$(printf '%s\n' "${q[@]}" | best)
  WALKED=$(wc -l < "$WORK/walk-$1.txt")
}

if [ "$SERVERS" != "embedded ganesha" ]; then
  for s in $SERVERS; do measure "$s"; echo "$s best of $REPS: read $READ s, write $WRITE s, walk $WALK s, parallel read $PAR s"; done
  exit 0
fi
measure embedded
E_READ=$READ; E_WRITE=$WRITE; E_WALK=$WALK; E_WALKED=$WALKED; E_PAR=$PAR
measure ganesha
G_READ=$READ; G_WRITE=$WRITE; G_WALK=$WALK; G_WALKED=$WALKED; G_PAR=$PAR

mibs() { echo "scale=1; 256 / $1" | bc -l; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
mkdir -p bench/results
{
  echo "# NFS benchmark: embedded NFSv3 server vs nfs-ganesha"
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(uname -r); client libnfs-utils $(dpkg-query -W -f='${Version}' libnfs-utils 2>/dev/null),"
  echo "nfs-ganesha $(dpkg-query -W -f='${Version}' nfs-ganesha 2>/dev/null) (FSAL VFS), both on 127.0.0.1 serving the same"
  echo "tree ($FILES entries: a debootstrapped Debian bookworm minbase root, two 256 MiB and sixteen 32 MiB random files)."
  echo "Each server first gets one untimed round of all three (JIT warm-up for the JVM, caches for both);"
  echo "each figure is then the best of $REPS runs; reads and writes are checked byte for byte."
  echo
  echo "| work | embedded | nfs-ganesha |"
  echo "| --- | --- | --- |"
  echo "| read 256 MiB (nfs-cp) | $(printf '%.2f' "$E_READ") s ($(mibs "$E_READ") MiB/s) | $(printf '%.2f' "$G_READ") s ($(mibs "$G_READ") MiB/s) |"
  echo "| write 256 MiB (nfs-cp) | $(printf '%.2f' "$E_WRITE") s ($(mibs "$E_WRITE") MiB/s) | $(printf '%.2f' "$G_WRITE") s ($(mibs "$G_WRITE") MiB/s) |"
  echo "| walk the tree (nfs-ls -R, $E_WALKED / $G_WALKED lines) | $(printf '%.2f' "$E_WALK") s | $(printf '%.2f' "$G_WALK") s |"
  echo "| $PARALLEL nfs-cp at once, each reading its own 32 MiB file | $(printf '%.2f' "$E_PAR") s | $(printf '%.2f' "$G_PAR") s |"
  echo
  echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg).${NOTE:+ $NOTE}"
  echo
  echo "Ratios are nfs-ganesha's time divided by the embedded server's (higher is better for the embedded server)."
  echo
  echo "ratio nfs-read vs ganesha: $(ratio "$G_READ" "$E_READ")"
  echo "ratio nfs-write vs ganesha: $(ratio "$G_WRITE" "$E_WRITE")"
  echo "ratio nfs-walk vs ganesha: $(ratio "$G_WALK" "$E_WALK")"
  echo "ratio nfs-parallel-read vs ganesha: $(ratio "$G_PAR" "$E_PAR")"
} > bench/results/nfs.md
cat bench/results/nfs.md
