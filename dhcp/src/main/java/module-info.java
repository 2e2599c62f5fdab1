/** netboot4j dhcp: Address allocation: embedded PXE-aware DHCP server; ISC dhcpd and Kea providers. */
module io.netboot4j.dhcp {
    requires transitive io.netboot4j.core;
}
