/** Runnable programs: the guide's six-node Kerrighed cluster in code, a virtual cluster demo. */
package io.netboot4j.examples;
