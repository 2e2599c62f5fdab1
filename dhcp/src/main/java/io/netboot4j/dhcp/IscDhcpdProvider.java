package io.netboot4j.dhcp;

import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.NamedProvider;

/** Provider of {@link IscDhcpd}, named {@code isc-dhcpd}: runs ISC dhcpd for the cluster. */
public final class IscDhcpdProvider extends NamedProvider<AddressAllocation> implements AddressAllocationProvider {

    /** The provider's name. */
    public static final String NAME = "isc-dhcpd";

    /** For {@link java.util.ServiceLoader}. */
    public IscDhcpdProvider() {
        super(NAME, IscDhcpd::new);
    }
}
