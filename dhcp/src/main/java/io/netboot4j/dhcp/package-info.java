/** Address allocation: embedded PXE-aware DHCP server; ISC dhcpd and Kea providers. */
package io.netboot4j.dhcp;
