package io.netboot4j.core.spi;

/** Provider of address allocation (DHCP); the embedded default is named {@code embedded}. */
public interface AddressAllocationProvider extends ServiceProvider<AddressAllocation> {
}
