/** Internals of netboot4j: Linux system calls through FFM and the node state table. Not for applications. */
package io.netboot4j.core.internal;
