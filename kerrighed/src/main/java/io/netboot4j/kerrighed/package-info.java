/**
 * Kerrighed: cluster settings and the files the guide writes for them, kernel build
 * backends, kernel configuration fragments, and the {@code krgadm}/{@code krgcapset}
 * administration API.
 */
package io.netboot4j.kerrighed;
