package io.netboot4j.dhcp;

import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.NamedProvider;

/** Provider of {@link KeaDhcp}, named {@code kea}: runs Kea (kea-dhcp4) for the cluster. */
public final class KeaDhcpProvider extends NamedProvider<AddressAllocation> implements AddressAllocationProvider {

    /** The provider's name. */
    public static final String NAME = "kea";

    /** For {@link java.util.ServiceLoader}. */
    public KeaDhcpProvider() {
        super(NAME, KeaDhcp::new);
    }
}
