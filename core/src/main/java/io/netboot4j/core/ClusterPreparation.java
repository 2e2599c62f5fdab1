package io.netboot4j.core;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.KernelImage;
import io.netboot4j.core.spi.Providers;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.ServiceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Runs a cluster's root build, then its kernel build, and describes the cluster that boots
 * their results. See {@link Cluster#prepare(BuildListener)}.
 */
final class ClusterPreparation {

    /** The default root build's name. */
    static final String DEFAULT_ROOT_BUILD = "existing";
    /** The default kernel build's name. */
    static final String DEFAULT_KERNEL_BUILD = "prebuilt";

    private ClusterPreparation() {
    }

    static Cluster prepare(Cluster cluster, BuildListener listener) {
        if (cluster.prepared()) {
            return cluster;
        }
        Path work = workFolder(cluster);
        String rootName = "root build";
        try {
            RootBuildProvider rootProvider = Providers.choose(RootBuildProvider.class, cluster.providers().rootBuild(),
                    DEFAULT_ROOT_BUILD, Providers.available(RootBuildProvider.class));
            rootName = rootProvider.name() + " root build";
            listener.phase(1, 2, rootName);
            rootProvider.create(context(cluster, work, "root-build")).build(listener);
        } catch (Exception e) {
            throw new ClusterPrepareException(rootName, e);
        }
        String kernelName = "kernel build";
        KernelImage image;
        try {
            KernelBuildProvider kernelProvider = Providers.choose(KernelBuildProvider.class, cluster.providers().kernelBuild(),
                    DEFAULT_KERNEL_BUILD, Providers.available(KernelBuildProvider.class));
            kernelName = kernelProvider.name() + " kernel build";
            listener.phase(2, 2, kernelName);
            image = kernelProvider.create(context(cluster, work, "kernel-build")).build(listener);
        } catch (Exception e) {
            throw new ClusterPrepareException(kernelName, e);
        }
        ClusterBuilder b = cluster.toBuilder().boot(x -> {
            x.kernel(image.kernel());
            image.initrd().ifPresentOrElse(x::initrd, x::noInitrd);
        });
        if (cluster.workFolder().isEmpty()) {
            b.workFolder(work);
        }
        return b.prepared().build();
    }

    /** Whether {@code start()} must refuse the cluster: it chose a build and was not prepared. */
    static String unpreparedProblem(Cluster cluster) {
        if (cluster.prepared()) {
            return null;
        }
        var p = cluster.providers();
        java.util.List<String> chosen = new java.util.ArrayList<>();
        if (p.rootBuild().isChosen()) {
            chosen.add("root build " + p.rootBuild());
        }
        if (p.kernelBuild().isChosen()) {
            chosen.add("kernel build " + p.kernelBuild());
        }
        if (chosen.isEmpty()) {
            return null;
        }
        return "it chose the " + String.join(" and the ", chosen) + ", which did not run: call prepare() and start the cluster it returns";
    }

    private static ServiceContext context(Cluster cluster, Path work, String folder) throws IOException {
        Path f = Files.createDirectories(work.resolve(folder));
        return new ServiceContext(cluster, f, BootEventListener.none(), cluster.networkSeam(), Clock.systemUTC());
    }

    /** The cluster's work folder, or a new temporary one (which the prepared cluster keeps). */
    static Path workFolder(Cluster cluster) {
        return cluster.workFolder().orElseGet(() -> {
            try {
                return Files.createTempDirectory("netboot4j-" + cluster.name() + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a work folder", e);
            }
        });
    }
}
