package io.netboot4j.core.spi;

import io.netboot4j.core.BootEventListener;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.net.NetworkSeam;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What a provider gets to create its implementation.
 *
 * @param cluster the validated cluster
 * @param workFolder a folder the service may write to (generated files, leases, caches)
 * @param events where the service reports what it does for each node
 * @param network the seam through which every socket is opened
 * @param clock the time source (injected so tests control it)
 * @param admission the head node's budget at run time, shared by the services of one running cluster
 */
public record ServiceContext(Cluster cluster, Path workFolder, BootEventListener events, NetworkSeam network, Clock clock,
                             Admission admission) {

    /** A context with an admission of its own for {@code cluster}'s budget (a service started alone). */
    public ServiceContext(Cluster cluster, Path workFolder, BootEventListener events, NetworkSeam network, Clock clock) {
        this(cluster, workFolder, events, network, clock, Admission.of(cluster, clock));
    }
}
