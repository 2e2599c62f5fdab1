/** The embedded HTTP server that serves a cluster's boot tree. */
package io.netboot4j.http;
