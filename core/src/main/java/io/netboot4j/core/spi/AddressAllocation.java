package io.netboot4j.core.spi;

/** Hands out the nodes' addresses and boot options (DHCP): the guide's part 1.1. */
public interface AddressAllocation extends ClusterService {
}
