#!/usr/bin/env bash
# Abuse benchmark: N QEMU nodes (default 2) boot from netboot4j's embedded stack without and
# with a flood from another host on the cluster network, and from dnsmasq + nfs-ganesha +
# rpcbind under the same flood (same seed), in one run. Writes bench/results/abuse.md, ending
# with `nodes up under flood netboot4j: <n> of <N>`, `nodes up under flood dnsmasq+ganesha:
# <n> of <N>` and `ratio flood-slowdown netboot4j: <x.xx>` (flood time / quiet time).
#
#   flock /tmp/nb4j-qemu.lock bench/abuse.sh [N]
#
# BENCH_JAVA_OPTS adds JVM options: -Dabuse.seed=S repeats a run's junk, -Dbench.nodeLimitMinutes=M
# (default 6) is when a node counts as not up.
# Needs root and: qemu-system-x86 ipxe-qemu pxelinux syslinux-common linux-image-amd64
# busybox-static dnsmasq-base nfs-ganesha nfs-ganesha-vfs rpcbind iproute2.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ "$(id -u)" -eq 0 ] || { echo "bench/abuse.sh: needs root (network namespaces, taps)" >&2; exit 1; }

# Compile in the reactor (nothing installed into ~/.m2) and write the test class path.
./mvnw -B -ntp -q -DskipTests -pl examples -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="examples/target/test-classes:examples/target/classes:$(cat examples/target/bench.classpath)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  ${BENCH_JAVA_OPTS:-} -cp "$cp" io.netboot4j.examples.abuse.AbuseBench bench/results/abuse.md "${1:-2}"
