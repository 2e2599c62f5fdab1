#!/usr/bin/env bash
# Boot benchmark: the same QEMU nodes, kernel, initrd, boot tree and busybox root booted by
# netboot4j's embedded stack and by dnsmasq + nfs-ganesha + rpcbind, 1 node and 4 nodes at
# once, in one run. Writes bench/results/boot.md, ending with the ratio lines
# (peer seconds / ours; higher is better for netboot4j).
#
#   bench/boot.sh [node counts...]      # default: 1 4; uefi-N: N UEFI nodes (OVMF, snponly.efi)
#   BENCH_JAVA_OPTS=-Dbench.repeats=1 bench/boot.sh storm-8   # QEMU storm: 8 nodes at once (the
#                                       # machine's limit), then the simulator's 8 nodes (~15-20 min)
#
# UEFI counts go to a section of their own in boot.md ("## UEFI nodes"), storm counts too
# ("## Storm: QEMU nodes at once ..."): a run keeps the sections it does not run (bench/boot.sh
# uefi-1 keeps the BIOS part and the storm section). A storm runs the two default stacks only.
#
# The netboot4j row is its default configuration: the iPXE script (over TFTP) loads kernel and
# initrd over HTTP. Row netboot4j-tftp-only is the embedded stack with TFTP only
# (-Dbench.tftpOnly=false drops it); with -Dbench.platformTftp=true also the embedded stack
# with TFTP transfers on platform threads (row netboot4j-platform-tftp). The ratio lines are
# for the default configuration.
# BENCH_JAVA_OPTS adds JVM options: -Dbench.repeats=N (default 2), -Dbench.keep=true keeps
# the consoles, -Dbench.noRa=false drops the
# 1-node row netboot4j-no-ra (the embedded stack without its IPv6 RA responder: the
# first-stage comparison of issue 14).
#
# Needs root and: qemu-system-x86 ipxe-qemu pxelinux syslinux-common linux-image-amd64
# busybox-static dnsmasq-base nfs-ganesha nfs-ganesha-vfs rpcbind iproute2 (UEFI: ovmf ipxe).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ "$(id -u)" -eq 0 ] || { echo "bench/boot.sh: needs root (network namespaces, taps)" >&2; exit 1; }

# Compile in the reactor (nothing installed into ~/.m2) and write the test class path.
./mvnw -B -ntp -q -DskipTests -pl examples -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="examples/target/test-classes:examples/target/classes:$(cat examples/target/bench.classpath)"
counts=("$@")
[ "${#counts[@]}" -gt 0 ] || counts=(1 4)
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dbench.platformTftp=true ${BENCH_JAVA_OPTS:-} -cp "$cp" io.netboot4j.examples.bench.BootBench bench/results/boot.md "${counts[@]}"
