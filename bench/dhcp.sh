#!/usr/bin/env bash
# DHCP benchmark: Kea's perfdhcp runs full DORA exchanges for 1000 static hosts against the
# embedded server, Kea (kea-dhcp4) and dnsmasq, one after the other in the same run, each in
# the same pair of network namespaces made here (head with bridge br0, tester on a veth;
# perfdhcp acts as a relay agent at 10.80.0.50, so replies are unicast to it). Writes
# bench/results/dhcp.md. Needs root, iproute2, kea-admin (perfdhcp), kea-dhcp4-server,
# dnsmasq-base and JDK 25.
#
#   bench/dhcp.sh [rate-per-second] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-15000}
SECONDS_PER_RUN=${2:-8}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
M2=${M2:-$HOME/.m2/repository}
WORK=$(mktemp -d /tmp/nb-dhcp-bench.XXXXXX)
HEAD=nb-dhcp-bh-$$
TESTER=nb-dhcp-bt-$$
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  ip netns del "$TESTER" 2>/dev/null || true
  ip netns del "$HEAD" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in ip perfdhcp kea-dhcp4 dnsmasq; do
  command -v "$tool" >/dev/null || { echo "bench/dhcp.sh: '$tool' is missing" >&2; exit 1; }
done

./mvnw -B -ntp -q -o -pl dhcp -am test-compile -DskipTests >/dev/null 2>&1 || ./mvnw -B -ntp -q -pl dhcp -am test-compile -DskipTests
CP="core/target/classes:dhcp/target/classes:dhcp/target/test-classes"
CP="$CP:$M2/com/helger/dhcp4java/1.1.0/dhcp4java-1.1.0.jar:$M2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar"
CP="$CP:$M2/org/slf4j/slf4j-simple/2.0.17/slf4j-simple-2.0.17.jar"
# One request thread: the serial collector keeps GC threads from competing for the 2 cores.
JAVA="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms64m -cp $CP"
$JAVA io.netboot4j.dhcp.bench.DhcpBench render "$WORK"

ip netns add "$HEAD"; ip netns add "$TESTER"
ip -n "$HEAD" link set lo up; ip -n "$TESTER" link set lo up
ip -n "$HEAD" link add br0 type bridge
ip -n "$HEAD" addr add 10.80.0.1/20 dev br0
ip -n "$HEAD" link set br0 up
ip -n "$HEAD" link add vt type veth peer name eth0
ip -n "$HEAD" link set eth0 netns "$TESTER"
ip -n "$HEAD" link set vt master br0 up
ip -n "$TESTER" link set eth0 up
ip -n "$TESTER" addr add 10.80.0.50/20 dev eth0

wait_for() { # file pattern
  for _ in $(seq 1 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench/dhcp.sh: server did not start:" >&2; cat "$1" >&2; exit 1
}

start_server() { # name
  local log="$WORK/$1.log"
  case "$1" in
    embedded) ip netns exec "$HEAD" $JAVA io.netboot4j.dhcp.bench.DhcpBench serve "$WORK/embedded" >"$log" 2>&1 & SERVER_PID=$!
              wait_for "$log" READY ;;
    kea) ip netns exec "$HEAD" env KEA_LOCKFILE_DIR="$WORK" KEA_PIDFILE_DIR="$WORK" kea-dhcp4 -c "$WORK/kea-dhcp4.conf" >"$log" 2>&1 & SERVER_PID=$!
         sleep 2 ;;
    dnsmasq) ip netns exec "$HEAD" dnsmasq -d -C "$WORK/dnsmasq.conf" --port=0 >"$log" 2>&1 & SERVER_PID=$!
             wait_for "$log" "DHCP, " ;;
  esac
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

perf() { # rate seconds out
  ip netns exec "$TESTER" perfdhcp -4 -l 10.80.0.50 -r "$1" -p "$2" -M "$WORK/macs" -d 2 -W 2000000 10.80.0.1 >"$3" 2>&1 || true
}

nth() { # file label n
  grep -E "^$2: " "$1" | sed -n "${3}p" | awk '{print $NF}'
}

ROUNDS=${ROUNDS:-5}
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A RATE_OF ROW_OF ALL_OF
for round in $(seq 1 "$ROUNDS"); do
  for s in embedded kea dnsmasq; do        # interleaved, so load from elsewhere hits all three alike
    start_server "$s"
    perf 2000 3 "$WORK/$s.warmup.txt"      # warm-up (JIT, caches), not counted
    f="$WORK/$s.$round.txt"
    perf "$RATE" "$SECONDS_PER_RUN" "$f"
    stop_server
    d_sent=$(nth "$f" "sent packets" 1); d_drop=$(nth "$f" "drops" 1)
    r_sent=$(nth "$f" "sent packets" 2); r_recv=$(nth "$f" "received packets" 2); r_drop=$(nth "$f" "drops" 2)
    xps=$(awk -v a="${r_recv:-0}" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.0f", a / s }')
    ALL_OF[$s]="${ALL_OF[$s]:-} $xps"
    echo "round $round $s: $xps exchanges/s (DISCOVER-OFFER drops ${d_drop:-?} of ${d_sent:-0}, REQUEST-ACK drops ${r_drop:-?} of ${r_sent:-0})"
    ROW_OF[$s.$round]="${d_sent:-0} | ${d_drop:-?} | ${r_sent:-0} | ${r_drop:-?}"
  done
done
ROWS=()
for s in embedded kea dnsmasq; do
  # The median round stands for the server; its drop counts go with it.
  read -r -a runs <<< "${ALL_OF[$s]}"
  median=$(printf '%s\n' "${runs[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  for round in $(seq 1 "$ROUNDS"); do
    [ "${runs[$((round-1))]}" = "$median" ] && { pick=$round; break; }
  done
  RATE_OF[$s]=$median
  ROWS+=("| $s | $median | ${ALL_OF[$s]# } | ${ROW_OF[$s.$pick]} |")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "0.00" }'; }
OUT=bench/results/dhcp.md
{
  echo "# DHCP benchmark: embedded server vs Kea vs dnsmasq"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(uname -r)); bench/dhcp.sh $RATE $SECONDS_PER_RUN."
  echo "perfdhcp $(perfdhcp -v 2>&1 | awk '{print $2}') offers $RATE DORA exchanges per second for $SECONDS_PER_RUN s as a relay agent,"
  echo "each for a MAC drawn from 1000 static hosts; an exchange counts when its ACK arrives within 2 s."
  echo "Kea $(kea-dhcp4 -v 2>&1 | head -1) with the configuration of the kea provider (memfile leases persisted to CSV,"
  echo "log severity WARN); dnsmasq $(dnsmasq -v | head -1 | awk '{print $3}') with dhcp-host lines, quiet-dhcp, lease file."
  echo "The embedded server runs on JDK 25 with -XX:+UseSerialGC (one request thread; no GC threads competing)."
  echo "Each server had a 3 s warm-up at 2000/s before each of $ROUNDS interleaved rounds; exchanges per second ="
  echo "ACKs received / $SECONDS_PER_RUN s, the median round counts (drops are those of that round). The machine is shared"
  echo "(load average at the start: $LOAD), so absolute numbers move from run to run; the rounds are interleaved so the"
  echo "ratios compare the servers under the same conditions."
  echo
  echo "| server | exchanges/s (median) | every round | DISCOVER sent | DISCOVER-OFFER drops | REQUEST sent | REQUEST-ACK drops |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for r in "${ROWS[@]}"; do echo "$r"; done
  echo
  echo "ratio dhcp-exchanges vs kea: $(ratio "${RATE_OF[embedded]}" "${RATE_OF[kea]}")"
  echo "ratio dhcp-exchanges vs dnsmasq: $(ratio "${RATE_OF[embedded]}" "${RATE_OF[dnsmasq]}")"
} > "$OUT"
cat "$OUT"
