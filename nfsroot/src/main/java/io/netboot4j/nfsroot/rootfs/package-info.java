/**
 * Root filesystem builds: {@link io.netboot4j.nfsroot.rootfs.DebianRoot} (the {@code debootstrap}
 * root build: debootstrap and the guide's setup inside the root, part 1.4) and
 * {@link io.netboot4j.nfsroot.rootfs.ExistingRoot} (the {@code existing} one: a folder taken
 * as it is).
 */
package io.netboot4j.nfsroot.rootfs;
