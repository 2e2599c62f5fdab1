package io.netboot4j.dhcp;

import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.ServiceContext;

/** Provider of {@link IscDhcpd}, named {@code isc-dhcpd}: runs ISC dhcpd for the cluster. */
public final class IscDhcpdProvider implements AddressAllocationProvider {

    /** The provider's name. */
    public static final String NAME = "isc-dhcpd";

    /** For {@link java.util.ServiceLoader}. */
    public IscDhcpdProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AddressAllocation create(ServiceContext context) {
        return new IscDhcpd(context);
    }
}
