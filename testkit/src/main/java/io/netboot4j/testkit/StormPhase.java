package io.netboot4j.testkit;

/**
 * The phases of a simulated node's boot, in order ({@link StormSimulator}).
 */
public enum StormPhase {
    /** The firmware's DHCP exchange, as iPXE does it. */
    DHCP,
    /** The boot files over TFTP: the iPXE script, the kernel, the initrd. */
    BOOT_FILES,
    /** The initramfs's own DHCP exchange, as klibc {@code ipconfig} does it. */
    SECOND_DHCP,
    /** portmap, MOUNT, and FSINFO/PATHCONF/GETATTR of the root over NFSv3/TCP. */
    ROOT_MOUNT,
    /** The recorded working set of a boot replayed, writes included: the node is up. */
    WORKING_SET
}
