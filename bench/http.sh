#!/usr/bin/env bash
# Benchmark: netboot4j's embedded HTTP server against nginx (sendfile on), on loopback in a
# network namespace made for the run, with the same client programs for every server:
#
#   1. one client (curl) fetches a 256 MiB file (median of RUNS);
#   2. a storm: STORM clients (200) at once, each fetching a 32 MiB file and checking every byte
#      (CLIENT=java: bench/HttpStormClient.java, one JVM; CLIENT=curl: a curl | cmp per client,
#      the first session's client, which spends most of the 2 CPUs itself).
#
# More servers are measured in the same run, the library candidates the embedded server was
# chosen against (see http/README.md): the JDK's jdk.httpserver with a virtual thread per
# exchange, Jetty 12's ResourceHandler on virtual threads and Netty 4.1's static-file server
# (event loops; Jetty and Netty fetched from Maven Central). SERVERS="ours nginx" limits the run.
# Needs root, nginx, curl, iproute2, bc and JDK 25. Writes bench/results/http.md.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
RUNS=${RUNS:-3}
STORM=${STORM:-200}
CLIENT=${CLIENT:-java}   # the storm client: java (bench/HttpStormClient.java) or curl (one curl | cmp per client)
OUT=${OUT:-bench/results/http.md}
[ "$(id -u)" = 0 ] || { echo "bench/http.sh needs root (network namespace)" >&2; exit 1; }
for p in nginx curl ip bc; do
  command -v "$p" >/dev/null || { echo "missing $p (Debian: nginx curl iproute2 bc)" >&2; exit 1; }
done

MVN=./mvnw
if ! JAVA_HOME=$JAVA_HOME $MVN -v >/dev/null 2>&1; then
  MVN=$(ls -d ~/.m2/wrapper/dists/apache-maven-*/*/bin/mvn 2>/dev/null | tail -1)
fi
WORK=$(mktemp -d /dev/shm/nb-http-bench.XXXXXX)
NS=nb-http-bench-$$
PIDS=()
cleanup() {
  for p in "${PIDS[@]}" $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]}" $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

echo "building the http module..."
JAVA_HOME=$JAVA_HOME $MVN -B -ntp -q -pl http -am compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime >/dev/null
CP="$REPO/http/target/classes:$REPO/boot/target/classes:$REPO/core/target/classes:$(cat "$WORK/cp.txt")"
JETTY=12.1.13
JAVA_HOME=$JAVA_HOME $MVN -B -ntp -q dependency:get -Dartifact=org.eclipse.jetty:jetty-server:$JETTY >/dev/null
M2=${M2:-$HOME/.m2/repository}
JCP=""
for a in jetty-server jetty-http jetty-io jetty-util; do JCP="$JCP$M2/org/eclipse/jetty/$a/$JETTY/$a-$JETTY.jar:"; done
JCP="$JCP$M2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar"
NETTY=4.1.128.Final
JAVA_HOME=$JAVA_HOME $MVN -B -ntp -q dependency:get -Dartifact=io.netty:netty-codec-http:$NETTY >/dev/null
NCP=""
for a in netty-codec-http netty-codec netty-handler netty-buffer netty-common netty-transport netty-resolver \
    netty-transport-native-unix-common; do NCP="$NCP$M2/io/netty/$a/$NETTY/$a-$NETTY.jar:"; done

ROOT=$WORK/root
mkdir -p "$ROOT" "$WORK/out" "$WORK/nginx"
head -c $((256 << 20)) /dev/urandom > "$ROOT/file256m.bin"
head -c $((32 << 20)) /dev/urandom > "$ROOT/file32m.bin"
chmod -R a+rX "$WORK"

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
inns() { ip netns exec "$NS" "$@"; }

# nginx as Debian ships it for static files, sendfile on (tcp_nopush as its docs pair with it)
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  sendfile on;
  tcp_nopush on;
  access_log off;
  keepalive_timeout 65;
  default_type application/octet-stream;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server { listen 127.0.0.1:8081; root $ROOT; }
}
NGINX
inns nginx -c "$WORK/nginx/nginx.conf" > "$WORK/nginx.log" 2>&1 &
PIDS+=($!)
inns "$JAVA" ${SERVER_JAVA_OPTS:-} -cp "$CP" bench/HttpBenchServer.java "$ROOT" 8080 ours > "$WORK/ours.log" 2>&1 &
PIDS+=($!)
inns "$JAVA" ${SERVER_JAVA_OPTS:-} -cp "$CP" bench/HttpBenchServer.java "$ROOT" 8082 jdk > "$WORK/jdk.log" 2>&1 &
PIDS+=($!)
inns "$JAVA" ${SERVER_JAVA_OPTS:-} -cp "$CP" bench/HttpBenchServer.java "$ROOT" 8084 ours-virtual > "$WORK/ours-virtual.log" 2>&1 &
PIDS+=($!)
inns "$JAVA" ${SERVER_JAVA_OPTS:-} -cp "$JCP" bench/JettyBenchServer.java "$ROOT" 8083 > "$WORK/jetty.log" 2>&1 &
PIDS+=($!)
inns "$JAVA" ${SERVER_JAVA_OPTS:-} -cp "$NCP" bench/NettyBenchServer.java "$ROOT" 8085 > "$WORK/netty.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 200); do
  grep -q ready "$WORK/ours.log" 2>/dev/null && grep -q ready "$WORK/jdk.log" 2>/dev/null \
    && grep -q ready "$WORK/jetty.log" 2>/dev/null && grep -q ready "$WORK/ours-virtual.log" 2>/dev/null \
    && grep -q ready "$WORK/netty.log" 2>/dev/null && break
  sleep 0.2
done
for s in ours ours-virtual jdk jetty netty; do grep -q ready "$WORK/$s.log" || { cat "$WORK/$s.log"; exit 1; }; done
sleep 1
inns curl -sS -o /dev/null http://127.0.0.1:8081/file32m.bin || { cat "$WORK/nginx/error.log" "$WORK/nginx.log"; exit 1; }

declare -A PORT=([ours]=8080 [nginx]=8081 [jdk.httpserver]=8082 [jetty]=8083 [ours-virtual]=8084 [netty]=8085)
SERVERS=${SERVERS:-ours nginx ours-virtual jdk.httpserver jetty netty}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# one fetch of 256 MiB to /dev/null; prints MiB/s
single_once() { # server
  local bps
  bps=$(inns curl -sS --fail -o /dev/null -w '%{speed_download}' "http://127.0.0.1:${PORT[$1]}/file256m.bin")
  echo "$bps / 1048576" | bc -l
}

declare -A SINGLE
echo "single client, 256 MiB, median of $RUNS"
for server in $SERVERS; do
  single_once "$server" >/dev/null   # warm-up (JIT, page cache)
  rates=()
  for r in $(seq 1 "$RUNS"); do rates+=("$(single_once "$server")"); done
  SINGLE[$server]=$(printf '%s\n' "${rates[@]}" | median)
  printf '%-16s %10.1f MiB/s   (runs: %s)\n' "$server" "${SINGLE[$server]}" "$(printf '%.0f ' "${rates[@]}")"
done

declare -A STORM_MIBS STORM_S STORM_BAD STORM_CPU STORM_CCPU
declare -A SPID=([ours]=${PIDS[1]} [nginx]=${PIDS[0]} [jdk.httpserver]=${PIDS[2]} [ours-virtual]=${PIDS[3]} [jetty]=${PIDS[4]} [netty]=${PIDS[5]})
TICK=$(getconf CLK_TCK)
# CPU seconds (user + system) used so far by a server: its process and all below it (nginx's workers)
descendants() { # pid
  local c
  echo "$1"
  for c in $(pgrep -P "$1"); do descendants "$c"; done
}
cpu_s() { # pid
  local t=0 p
  for p in $(descendants "$1"); do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t / $TICK" | bc -l
}
storm() { # server
  local server=$1 pids=() t0 t1 c0 line
  c0=$(cpu_s "${SPID[$server]}")
  if [ "$CLIENT" = curl ]; then
    rm -rf "$WORK/storm"; mkdir -p "$WORK/storm"
    t0=$(date +%s.%N)
    # each client's bytes go straight into cmp against the file (no 6.4 GiB of copies in tmpfs)
    for c in $(seq 1 "$STORM"); do
      ( set -o pipefail; inns curl -sS --fail "http://127.0.0.1:${PORT[$server]}/file32m.bin" 2>"$WORK/storm/$c.log" \
          | cmp -s - "$ROOT/file32m.bin" ) &
      pids+=($!)
    done
    local bad=0
    for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
    t1=$(date +%s.%N)
    STORM_S[$server]=$(echo "$t1 - $t0" | bc -l)
    STORM_BAD[$server]=$bad
    STORM_CCPU[$server]=-
    rm -rf "$WORK/storm"
  else
    # one client process for all connections, every byte compared with the file (bench/HttpStormClient.java)
    line=$(inns "$JAVA" bench/HttpStormClient.java "${PORT[$server]}" \
      /file32m.bin "$ROOT/file32m.bin" "$STORM" 2>"$WORK/storm-$server.log" | tail -1)
    STORM_S[$server]=$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<<"$line")
    STORM_BAD[$server]=$(sed 's/.*failed=\([0-9]*\).*/\1/' <<<"$line")
    STORM_CCPU[$server]=$(sed 's/.*cpu=\([0-9.]*\).*/\1/' <<<"$line")
  fi
  STORM_CPU[$server]=$(echo "$(cpu_s "${SPID[$server]}") - $c0" | bc -l)
  STORM_MIBS[$server]=$(echo "($STORM - ${STORM_BAD[$server]}) * 32 / ${STORM_S[$server]}" | bc -l)
  printf '%-16s %3d clients x 32 MiB in %6.2f s = %8.1f MiB/s  (%d failed or different; server CPU %.2f s, client CPU %s s)\n' \
    "$server" "$STORM" "${STORM_S[$server]}" "${STORM_MIBS[$server]}" "${STORM_BAD[$server]}" "${STORM_CPU[$server]}" \
    "${STORM_CCPU[$server]}"
}
echo "storm: $STORM clients at once, 32 MiB each"
for server in $SERVERS; do storm "$server"; done
LOADAVG_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

ratio() { # ours nginx: their quotient, or - when a value is missing (a server left out by SERVERS)
  if [ -n "${1:-}" ] && [ -n "${2:-}" ]; then echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./'; else echo -; fi
}
R_SINGLE=$(ratio "${SINGLE[ours]:-}" "${SINGLE[nginx]:-}")
R_STORM=$(ratio "${STORM_MIBS[ours]:-}" "${STORM_MIBS[nginx]:-}")
if [ "$CLIENT" = curl ]; then
  CLIENT_TEXT="one curl per client piped into cmp against the file (400 processes on the CPUs beside the server)"
else
  CLIENT_TEXT="bench/HttpStormClient.java: one JVM, one thread and selector per CPU for all connections, every body byte compared with the file (one copy and one compare per byte)"
fi

{
  echo "# HTTP: embedded server vs nginx"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/http.sh\` on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
  echo "Load average before: $LOADAVG_BEFORE; after: $LOADAVG_AFTER. ${NOTE:-}"
  echo
  echo "Same files (tmpfs), one network namespace, loopback. One client: curl $(curl --version | head -1 | cut -d' ' -f2) to /dev/null."
  echo "Storm client ($CLIENT): $CLIENT_TEXT."
  echo "Server CPU: user + system seconds of the server's processes (nginx: master and workers) during the storm, from /proc."
  echo "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') with Debian's \`sendfile on; tcp_nopush on; worker_processes auto\` (2 worker processes here), \`access_log off\`;"
  echo "netboot4j's \`HttpBootServer\` (one JVM, a platform thread per connection as it comes, \`FileChannel.transferTo\` = sendfile; row ours-virtual: a virtual thread per connection, \`connectionThreads\`);"
  echo "library candidates: the JDK's \`jdk.httpserver\` with a virtual-thread executor and \`Files.copy\`;"
  echo "Jetty $JETTY's \`ResourceHandler\` with virtual threads; Netty $NETTY's static-file example (NIO event loops, \`DefaultFileRegion\` = sendfile)."
  echo
  echo "| server | 1 client, 256 MiB (median of $RUNS) | $STORM clients x 32 MiB at once | storm wall time | server CPU in the storm | vs nginx (1 / storm) | failed/different |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for server in $SERVERS; do
    printf '| %s | %.1f MiB/s | %.1f MiB/s | %.2f s | %.2f s | %s / %s | %d |\n' "$server" "${SINGLE[$server]}" "${STORM_MIBS[$server]}" \
      "${STORM_S[$server]}" "${STORM_CPU[$server]}" "$(ratio "${SINGLE[$server]}" "${SINGLE[nginx]:-}")" \
      "$(ratio "${STORM_MIBS[$server]}" "${STORM_MIBS[nginx]:-}")" "${STORM_BAD[$server]}"
  done
  echo
  echo "ratio http-single vs nginx: $R_SINGLE"
  echo "ratio http-storm vs nginx: $R_STORM"
} > "$OUT"
cat "$OUT"
