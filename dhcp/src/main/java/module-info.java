/**
 * netboot4j dhcp: address allocation. The embedded PXE-aware DHCP server (provider
 * {@code embedded}, the default), and providers that render and run ISC dhcpd
 * ({@code isc-dhcpd}) and Kea ({@code kea-dhcp4}, provider {@code kea}).
 */
module io.netboot4j.dhcp {
    requires transitive io.netboot4j.core;
    requires org.dhcp4java;

    exports io.netboot4j.dhcp;

    provides io.netboot4j.core.spi.AddressAllocationProvider with
            io.netboot4j.dhcp.EmbeddedDhcpProvider, io.netboot4j.dhcp.IscDhcpdProvider, io.netboot4j.dhcp.KeaDhcpProvider;
}
