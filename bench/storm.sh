#!/usr/bin/env bash
# Storm benchmark: N simulated nodes (testkit's StormSimulator) boot at once against
# netboot4j's embedded stack (its own JVM: default configuration, the same with -Xmx256m,
# and TFTP only) and against dnsmasq + nfs-ganesha + rpcbind, each run in network namespaces
# made for it. Writes bench/results/storm.md, ending with the ratio lines (peer wall / ours;
# higher is better for netboot4j).
#
#   bench/storm.sh [quick]   # the runs every report line needs (~25-30 min with the Debian working set, ~10-15 with busybox):
#                            #   500 nodes at 0% and 2% loss: netboot4j, netboot4j-xmx256m, dnsmasq+ganesha;
#                            #   100 nodes at 0%: netboot4j (memory per node by difference), and
#                            #   netboot4j-tftp-only beside dnsmasq+ganesha (the same protocol)
#   bench/storm.sh full      # 100, 500 and 1000 nodes x 0% and 2% loss x the four stacks (about an hour)
#   NODES=1000 LOSS=0 STACKS=netboot4j,dnsmasq+ganesha OUT=/tmp/x.md bench/storm.sh   # every combination of these
#   RUNS=netboot4j:500:0,dnsmasq+ganesha:500:0 DEADLINE=10 bench/storm.sh   # these runs, in order
#
# Runs on request (RUNS=, or NODES= without `full`) go to a section of their own in the report
# ("## Runs on request: `RUNS=...`"), which the quick and full matrices keep: the file still
# ends with the ratio lines of the last matrix run. Every node replays the recorded working set
# of a Debian (systemd) boot, laid out in an empty root per run (testkit README);
# BENCH_JAVA_OPTS=-Dstorm.workingSet=busybox replays the smaller busybox-root boot instead.
#
# Run it under the machine's lock: flock /tmp/nb4j-qemu.lock bench/storm.sh
# Needs root and: iproute2 busybox-static linux-image-amd64 dnsmasq-base nfs-ganesha
# nfs-ganesha-vfs rpcbind pxelinux syslinux-common util-linux.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ "$(id -u)" -eq 0 ] || { echo "bench/storm.sh: needs root (network namespaces)" >&2; exit 1; }
OUT=${OUT:-bench/results/storm.md}
MATRIX=${1:-quick}
case "$MATRIX" in quick|full) ;; *) echo "usage: bench/storm.sh [quick|full]" >&2; exit 2 ;; esac

# Compile in the reactor (nothing installed into ~/.m2) and write the test class path.
./mvnw -B -ntp -q -DskipTests -pl examples -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="examples/target/test-classes:examples/target/classes:$(cat examples/target/bench.classpath)"

# a thousand nodes' ARP entries in the servers' namespace pass the kernel's default neighbour
# table limit (gc_thresh3 = 1024, shared by all namespaces): raise it for the run, restore it after
old=$(sysctl -n net.ipv4.neigh.default.gc_thresh1 net.ipv4.neigh.default.gc_thresh2 net.ipv4.neigh.default.gc_thresh3 | tr '\n' ' ')
restore() { set -- $old; sysctl -q -w net.ipv4.neigh.default.gc_thresh1="$1" net.ipv4.neigh.default.gc_thresh2="$2" net.ipv4.neigh.default.gc_thresh3="$3"; }
trap restore EXIT
sysctl -q -w net.ipv4.neigh.default.gc_thresh1=4096 net.ipv4.neigh.default.gc_thresh2=8192 net.ipv4.neigh.default.gc_thresh3=16384

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dstorm.matrix="$MATRIX" ${NODES:+-Dstorm.nodes=$NODES} ${LOSS:+-Dstorm.loss=$LOSS} \
  ${STACKS:+-Dstorm.stacks=$STACKS} ${RUNS:+-Dstorm.runs=$RUNS} \
  -Dstorm.deadlineMinutes="${DEADLINE:-30}" ${BENCH_JAVA_OPTS:-} \
  -cp "$cp" io.netboot4j.examples.bench.StormBench "$OUT"
