/** The boot tree of a cluster: every file a node fetches to boot, and the renderers of the generated ones. */
package io.netboot4j.boot;
