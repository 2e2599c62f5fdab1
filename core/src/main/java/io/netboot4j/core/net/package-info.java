/**
 * The network seam: {@link io.netboot4j.core.net.NetworkSeam}, through which every server
 * opens its sockets, and {@link io.netboot4j.core.net.InterfaceSocket}, a UDP socket bound to
 * one interface; {@link io.netboot4j.core.net.ServerBuilder}, what the embedded servers'
 * builders share (address, seam, events, clock, name).
 */
package io.netboot4j.core.net;
