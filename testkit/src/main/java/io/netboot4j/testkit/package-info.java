/** Real test hosts: network namespaces, bridges, taps, QEMU nodes with iPXE firmware, wrappers of real clients. */
package io.netboot4j.testkit;
