package io.netboot4j.core;

/**
 * Where a node is in its diskless boot, folded from {@link BootEvent}s by
 * {@link RunningCluster}.
 *
 * <ul>
 *   <li>{@link #OFF}: nothing heard from it yet;</li>
 *   <li>{@link #ADDRESSED}: DHCP acknowledged its address (a new boot cycle starts here,
 *       unless the node is loading files or its kernel, whose own DHCP does not count);</li>
 *   <li>{@link #LOADING}: it finished fetching a boot file (boot loader, its config);</li>
 *   <li>{@link #KERNEL}: it received the kernel image;</li>
 *   <li>{@link #ROOT_MOUNTED}: it mounted the root filesystem over NFS;</li>
 *   <li>{@link #UP}: {@link BootEvent.NodeUp}: its own user space wrote to the root.</li>
 * </ul>
 */
public enum NodeState {
    /** Nothing heard yet. */
    OFF,
    /** Address acknowledged by DHCP. */
    ADDRESSED,
    /** Boot files being fetched. */
    LOADING,
    /** Kernel image received. */
    KERNEL,
    /** Root filesystem mounted. */
    ROOT_MOUNTED,
    /** User space running from the root. */
    UP
}
