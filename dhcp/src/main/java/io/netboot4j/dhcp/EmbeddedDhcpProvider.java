package io.netboot4j.dhcp;

import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.NamedProvider;

/** Provider of the {@linkplain EmbeddedDhcpServer embedded DHCP server}, named {@code embedded}: the default. */
public final class EmbeddedDhcpProvider extends NamedProvider<AddressAllocation> implements AddressAllocationProvider {

    /** The provider's name. */
    public static final String NAME = "embedded";

    /** For {@link java.util.ServiceLoader}. */
    public EmbeddedDhcpProvider() {
        super(NAME, EmbeddedDhcpServer::new);
    }
}
