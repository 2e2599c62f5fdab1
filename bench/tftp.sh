#!/usr/bin/env bash
# Benchmark: netboot4j's embedded TFTP server against tftpd-hpa and dnsmasq, on loopback,
# with the same client program (atftp) for every server.
#
#   1. one 32 MiB file to one client, blksize 512, 1468 and 8192;
#   2. the same at blksize 1468 with windowsize 16 (RFC 7440; atftp asks for it, tftpd-hpa
#      and dnsmasq do not grant it, so they answer lock-step);
#   3. a storm: 200 clients at once, each fetching an 8 MiB file (blksize 1468).
#
# Everything runs inside a network namespace made for the run (dnsmasq's TFTP port is fixed
# at 69), so no other process sees the traffic. Needs root, atftp, tftpd-hpa, dnsmasq-base,
# iproute2 and JDK 25. Writes bench/results/tftp.md.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
RUNS=${RUNS:-3}
STORM=${STORM:-200}
# the storm runs STORM_RUNS rounds (every server once per round, the order rotated each round); its time is the median
STORM_RUNS=${STORM_RUNS:-3}
# LOAD=n starts n busy loops for the whole run, to see how the servers fare on a loaded host
LOAD=${LOAD:-0}
OUT=${OUT:-bench/results/tftp.md}
[ "$(id -u)" = 0 ] || { echo "bench/tftp.sh needs root (network namespace, in.tftpd --secure)" >&2; exit 1; }
for p in atftp in.tftpd dnsmasq ip; do
  command -v "$p" >/dev/null || { echo "missing $p (Debian: atftp tftpd-hpa dnsmasq-base iproute2)" >&2; exit 1; }
done

MVN=./mvnw
if ! JAVA_HOME=$JAVA_HOME $MVN -v >/dev/null 2>&1; then
  MVN=$(ls -d ~/.m2/wrapper/dists/apache-maven-*/*/bin/mvn 2>/dev/null | tail -1)
fi
WORK=$(mktemp -d /dev/shm/nb-tftp-bench.XXXXXX)
NS=nb-tftp-bench-$$
PIDS=()
cleanup() {
  # every server runs inside the namespace: end them all (the wrapper PIDs alone are not enough)
  for p in "${PIDS[@]}" $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]}" $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)

echo "building the tftp module..."
JAVA_HOME=$JAVA_HOME $MVN -B -ntp -q -pl tftp -am compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime >/dev/null
CP="$REPO/tftp/target/classes:$REPO/boot/target/classes:$REPO/core/target/classes:$(cat "$WORK/cp.txt")"

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
# in.tftpd resolves its --address with AI_ADDRCONFIG, which fails (exit 66) in a namespace
# that has loopback alone: give the namespace one more (unused) address on a veth pair
ip netns exec "$NS" ip link add nbtb0 type veth peer name nbtb1
ip netns exec "$NS" ip addr add 10.254.254.1/24 dev nbtb0
ip netns exec "$NS" ip link set nbtb0 up
ip netns exec "$NS" ip link set nbtb1 up
inns() { ip netns exec "$NS" "$@"; }

ROOT=$WORK/root
mkdir -p "$ROOT" "$WORK/out"
head -c $((32 << 20)) /dev/urandom > "$ROOT/file32m.bin"
head -c $((8 << 20)) /dev/urandom > "$ROOT/file8m.bin"
chmod -R a+rX "$ROOT"

# ours on 6969, tftpd-hpa on 7069, dnsmasq on 69 (fixed)
inns "$JAVA" ${SERVER_JAVA_OPTS:-} -cp "$CP" bench/TftpBenchServer.java "$ROOT" 6969 > "$WORK/ours.log" 2>&1 &
PIDS+=($!)
# the same server with platform threads for transfers (TftpServer.Builder.transferThreads)
inns "$JAVA" ${SERVER_JAVA_OPTS:-} -cp "$CP" bench/TftpBenchServer.java "$ROOT" 6970 platform > "$WORK/ours-platform.log" 2>&1 &
PIDS+=($!)
inns in.tftpd --foreground --user nobody --address 127.0.0.1:7069 --secure "$ROOT" > "$WORK/hpa.log" 2>&1 &
PIDS+=($!)
inns dnsmasq --keep-in-foreground --port=0 --enable-tftp --tftp-root="$ROOT" --tftp-max=1024 \
  --listen-address=127.0.0.1 --bind-interfaces --quiet-tftp --pid-file= --conf-file=/dev/null -u root > "$WORK/dnsmasq.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 100); do
  grep -q ready "$WORK/ours.log" 2>/dev/null && grep -q ready "$WORK/ours-platform.log" 2>/dev/null && break
  sleep 0.2
done
grep -q ready "$WORK/ours.log" || { cat "$WORK/ours.log"; exit 1; }
sleep 1

for _ in $(seq 1 "$LOAD"); do
  ( while :; do :; done ) &
  PIDS+=($!)
done

declare -A PORT=([ours]=6969 [ours-platform]=6970 [tftpd-hpa]=7069 [dnsmasq]=69)

# one fetch; prints seconds
fetch() { # server file out options...
  local server=$1 port=${PORT[$1]} file=$2 out=$3; shift 3
  local t0 t1
  t0=$(date +%s.%N)
  inns atftp --tftp-timeout 2 "$@" --get -r "$file" -l "$out" 127.0.0.1 "$port" >"$out.log" 2>&1 || { echo "atftp failed against $server: $(cat "$out.log")" >&2; return 1; }
  t1=$(date +%s.%N)
  cmp -s "$ROOT/$file" "$out" || { echo "$server sent a different $file" >&2; return 1; }
  echo "$t1 - $t0" | bc -l
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A MBPS
single() { # label server options...
  local label=$1 server=$2; shift 2
  fetch "$server" file32m.bin "$WORK/out/warm" "$@" >/dev/null   # warm-up (JIT, page cache)
  local times=()
  for r in $(seq 1 "$RUNS"); do times+=("$(fetch "$server" file32m.bin "$WORK/out/single" "$@")"); done
  local t
  t=$(printf '%s\n' "${times[@]}" | median)
  MBPS[$label/$server]=$(echo "32 / $t" | bc -l)
  printf '%-22s %-10s %8.3f s  %8.1f MiB/s\n' "$label" "$server" "$t" "${MBPS[$label/$server]}"
}

echo "single client, 32 MiB, median of $RUNS"
for server in ${SERVERS:-ours ours-platform tftpd-hpa dnsmasq}; do
  single blksize-512 $server
  single blksize-1468 $server --option "blksize 1468"
  single blksize-8192 $server --option "blksize 8192"
  single window16-1468 $server --option "blksize 1468" --option "windowsize 16"
done

declare -A STORM_S STORM_ALL STORM_FAILED STORM_WHY
storm() { # server
  local server=$1 pids=() t0 t1 failed=0 t
  rm -rf "$WORK/storm"; mkdir -p "$WORK/storm"
  t0=$(date +%s.%N)
  for c in $(seq 1 "$STORM"); do
    inns atftp --tftp-timeout 2 --option "blksize 1468" --get -r file8m.bin -l "$WORK/storm/$c" 127.0.0.1 "${PORT[$server]}" \
      >"$WORK/storm/$c.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
  t1=$(date +%s.%N)
  local bad=0 why=""
  for c in $(seq 1 "$STORM"); do
    if ! cmp -s "$ROOT/file8m.bin" "$WORK/storm/$c"; then
      bad=$((bad + 1))
      [ -z "$why" ] && why=$(grep -v '^Option' "$WORK/storm/$c.log" | tr '\n' ' ' | cut -c1-160)
    fi
  done
  t=$(echo "$t1 - $t0" | bc -l)
  STORM_ALL[$server]="${STORM_ALL[$server]:-}${STORM_ALL[$server]:+ }$(printf '%.2f' "$t")"
  STORM_FAILED[$server]=$(( ${STORM_FAILED[$server]:-0} + failed + bad ))
  [ -z "${STORM_WHY[$server]:-}" ] && STORM_WHY[$server]=$why
  printf 'storm %-10s %d clients x 8 MiB: %8.3f s  %8.1f MiB/s aggregate, %d failed, %d not identical\n' "$server" "$STORM" \
    "$t" "$(echo "$STORM * 8 / $t" | bc -l)" "$failed" "$bad"
}
declare -A STORM_BAD
echo "storm: $STORM clients at once, 8 MiB each, blksize 1468, $STORM_RUNS rounds"
read -r -a STORM_SERVERS <<< "${SERVERS:-ours ours-platform dnsmasq tftpd-hpa}"
for round in $(seq 0 $((STORM_RUNS - 1))); do
  n=${#STORM_SERVERS[@]}
  for i in $(seq 0 $((n - 1))); do storm "${STORM_SERVERS[$(( (i + round) % n ))]}"; done
done
for server in "${STORM_SERVERS[@]}"; do
  STORM_S[$server]=$(printf '%s\n' ${STORM_ALL[$server]} | median)
  STORM_BAD[$server]="${STORM_FAILED[$server]} failed or not identical in $STORM_RUNS rounds${STORM_WHY[$server]:+ (first: ${STORM_WHY[$server]})}"
done
LOADAVG_END=$(cut -d' ' -f1-3 /proc/loadavg)
[ -n "${SERVERS:-}" ] && exit 0

ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
R1468=$(ratio "${MBPS[blksize-1468/ours]}" "${MBPS[blksize-1468/tftpd-hpa]}")
RWIN=$(ratio "${MBPS[window16-1468/ours]}" "${MBPS[blksize-1468/tftpd-hpa]}")
RSTORM=$(ratio "${STORM_S[dnsmasq]}" "${STORM_S[ours]}")

{
  echo "# TFTP benchmark: netboot4j embedded server vs tftpd-hpa and dnsmasq"
  echo
  echo "Run by \`bench/tftp.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); load average $LOADAVG at the start"
  if [ "$LOAD" -gt 0 ]; then
    echo "and $LOAD busy loops (\`LOAD=$LOAD\`) running beside the servers for the whole run, to load the host."
  else
    echo "and no busy loops of the script's own (\`LOAD=n\` runs n beside the servers; see README)."
  fi
  echo "Load average at the end: $LOADAVG_END (other processes on the machine show in these two figures)."

  echo "Loopback inside a network namespace made for the run; client: atftp $(dpkg-query -W -f='${Version}' atftp 2>/dev/null) for every server;"
  echo "servers: netboot4j (JDK $("$JAVA" -version 2>&1 | head -1 | cut -d'"' -f2)), tftpd-hpa $(dpkg-query -W -f='${Version}' tftpd-hpa 2>/dev/null) (\`in.tftpd --foreground --secure\`),"
  echo "dnsmasq $(dpkg-query -W -f='${Version}' dnsmasq-base 2>/dev/null) (\`--enable-tftp --tftp-max=1024\`). Each file is compared with the original (\`cmp\`)."
  echo
  echo "## One client, one 32 MiB file (median of $RUNS runs after a warm-up), MiB/s, higher is better"
  echo
  echo "| options | netboot4j (virtual threads, default) | netboot4j (platform threads) | tftpd-hpa | dnsmasq | netboot4j / tftpd-hpa | netboot4j platform / tftpd-hpa |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for label in blksize-512 blksize-1468 blksize-8192 window16-1468; do
    printf '| %s | %.1f | %.1f | %.1f | %.1f | %s | %s |\n' "$label" "${MBPS[$label/ours]}" "${MBPS[$label/ours-platform]}" \
      "${MBPS[$label/tftpd-hpa]}" "${MBPS[$label/dnsmasq]}" \
      "$(ratio "${MBPS[$label/ours]}" "${MBPS[$label/tftpd-hpa]}")" "$(ratio "${MBPS[$label/ours-platform]}" "${MBPS[$label/tftpd-hpa]}")"
  done
  echo
  echo "\`window16-1468\`: atftp asks for \`blksize 1468\` and \`windowsize 16\`; netboot4j grants both (16 blocks per"
  echo "acknowledgement, RFC 7440); tftpd-hpa 5.2 and dnsmasq do not know \`windowsize\` and answer lock-step."
  echo
  echo "## Storm: $STORM clients at once, each fetching an 8 MiB file (blksize 1468), median of $STORM_RUNS rounds"
  echo
  echo "Each round runs every server's storm once, the order rotated from round to round, so that a change of the"
  echo "machine's load during the run falls on every server alike."
  echo
  echo "| server | wall time (s), median | aggregate MiB/s | every round (s) | outcome |"
  echo "| --- | ---: | ---: | --- | --- |"
  for server in ours ours-platform dnsmasq tftpd-hpa; do
    printf '| %s | %.2f | %.1f | %s | %s |\n' "$server" "${STORM_S[$server]}" "$(echo "$STORM * 8 / ${STORM_S[$server]}" | bc -l)" \
      "${STORM_ALL[$server]}" "${STORM_BAD[$server]}"
  done
  echo
  echo "With platform threads for transfers: blksize 1468 $(ratio "${MBPS[blksize-1468/ours-platform]}" "${MBPS[blksize-1468/tftpd-hpa]}")x tftpd-hpa,"
  echo "windowsize 16 $(ratio "${MBPS[window16-1468/ours-platform]}" "${MBPS[blksize-1468/tftpd-hpa]}")x tftpd-hpa at blksize 1468,"
  echo "storm $(ratio "${STORM_S[dnsmasq]}" "${STORM_S[ours-platform]}")x dnsmasq. The ratio lines below are for the default (virtual threads)."
  echo
  echo "ratio tftp-1468 vs tftpd-hpa: $R1468"
  echo "ratio tftp-window16 vs tftpd-hpa: $RWIN"
  echo "ratio tftp-storm vs dnsmasq: $RSTORM"
} > "$OUT"
echo
cat "$OUT"
