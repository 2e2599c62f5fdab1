/** Kerrighed: kernel build backends, Kerrighed configuration and boot arguments, krgadm/krgcapset administration API. */
package io.netboot4j.kerrighed;
