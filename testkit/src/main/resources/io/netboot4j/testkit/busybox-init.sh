#!/bin/busybox sh
# netboot4j testkit busybox root: /sbin/init. Reports through the serial console
# (console=ttyS0), writes /nodes/<name> into the NFS root, then powers off
# (unless the kernel command line says netboot4j.stay).
export PATH=/bin:/sbin
busybox mount -t proc proc /proc
busybox mount -t sysfs sysfs /sys 2>/dev/null
echo "NETBOOT4J-INIT started"
CMDLINE=$(cat /proc/cmdline)
echo "NETBOOT4J-CMDLINE $CMDLINE"
ARGNAME=""
STAY=""
for arg in $CMDLINE; do
  case "$arg" in
    netboot4j.node=*) ARGNAME=${arg#netboot4j.node=} ;;
    netboot4j.stay) STAY=1 ;;
  esac
done
IP=$(ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1 | head -n 1)
HOST=$(hostname)
# The name: the host name DHCP gave (klibc ipconfig sets it), else netboot4j.node=, else the address.
NAME="$HOST"
if [ -z "$NAME" ] || [ "$NAME" = "(none)" ]; then NAME="$ARGNAME"; fi
if [ -z "$NAME" ]; then NAME="$IP"; fi
if [ -z "$NAME" ]; then NAME="unknown"; fi
mkdir -p /nodes
{
  echo "name=$NAME"
  echo "address=$IP"
  echo "hostname=$HOST"
  echo "uptime=$(cut -d ' ' -f 1 /proc/uptime)"
  echo "cmdline=$CMDLINE"
} > "/nodes/.$NAME.tmp" && mv "/nodes/.$NAME.tmp" "/nodes/$NAME" && sync
if [ -f "/nodes/$NAME" ]; then
  echo "NETBOOT4J-WROTE /nodes/$NAME name=$NAME address=$IP"
else
  echo "NETBOOT4J-FAILED cannot write /nodes/$NAME"
fi
if [ -n "$STAY" ]; then
  echo "NETBOOT4J-STAYING"
  exec sh
fi
poweroff -f
