package io.netboot4j.nfsroot.rootfs;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.RootBuild;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.nfsroot.rootfs.internal.DebootstrapStep;
import io.netboot4j.nfsroot.rootfs.internal.FstabStep;
import io.netboot4j.nfsroot.rootfs.internal.HostnameStep;
import io.netboot4j.nfsroot.rootfs.internal.MountNfsLinkStep;
import io.netboot4j.nfsroot.rootfs.internal.PackagesStep;
import io.netboot4j.nfsroot.rootfs.internal.RootFileStep;
import io.netboot4j.nfsroot.rootfs.internal.SerialConsoleStep;
import io.netboot4j.nfsroot.rootfs.internal.Step;
import io.netboot4j.nfsroot.rootfs.internal.StepContext;
import io.netboot4j.nfsroot.rootfs.internal.TreeFiles;
import io.netboot4j.nfsroot.rootfs.internal.UsersStep;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Debian (or Ubuntu) root filesystem for the nodes, made in the cluster's root folder by
 * debootstrap and set up as the guide's part 1.4 says; the {@code debootstrap} root build.
 * Each step is named, re-runnable and rewrites only what it owns, so building twice leaves
 * the same tree; a failed step is named in a {@link RootBuildException}, the half-made tree
 * stays, and the next build resumes.
 *
 * {@snippet :
 * DebianRoot root = DebianRoot.of(cluster, Debootstrap.defaults(),
 *         NodeSetup.builder().user("kerrighed", Password.clear(secret)).serialConsole("ttyS0").build());
 * root.build((step, done, total, detail) -> System.out.printf("%s %d/%d %s%n", step, done, total, detail));
 * }
 *
 * <p>Needs root (debootstrap, chroot, mount) and the Debian package {@code debootstrap}.
 */
public final class DebianRoot implements RootBuild {

    /** Every step, in the order they run; steps hold no state, so every build shares them. */
    private static final List<Step> ALL_STEPS = List.of(new DebootstrapStep(), RootFileStep.aptSources(), new PackagesStep(),
            new FstabStep(), RootFileStep.hosts(), new HostnameStep(), RootFileStep.networkInterfaces(), new UsersStep(),
            new MountNfsLinkStep(), new SerialConsoleStep());

    /** The names of the steps in the order they run. */
    public static final List<String> STEPS = ALL_STEPS.stream().map(Step::name).toList();

    private static final Logger LOG = LoggerFactory.getLogger(DebianRoot.class);

    private final Cluster cluster;
    private final Debootstrap debootstrap;
    private final NodeSetup setup;
    private final Clock clock;

    private DebianRoot(Cluster cluster, Debootstrap debootstrap, NodeSetup setup, Clock clock) {
        this.cluster = cluster;
        this.debootstrap = debootstrap;
        this.setup = setup;
        this.clock = clock;
    }

    /**
     * A root build for {@code cluster}'s root folder ({@link io.netboot4j.core.RootFilesystem#path()}).
     *
     * @throws IllegalArgumentException if an argument is null
     */
    public static DebianRoot of(Cluster cluster, Debootstrap debootstrap, NodeSetup setup) {
        return of(cluster, debootstrap, setup, Clock.systemUTC());
    }

    /** Like {@link #of(Cluster, Debootstrap, NodeSetup)} with a clock (the last-change day of changed passwords). */
    public static DebianRoot of(Cluster cluster, Debootstrap debootstrap, NodeSetup setup, Clock clock) {
        if (cluster == null || debootstrap == null || setup == null || clock == null) {
            throw new IllegalArgumentException("cluster, debootstrap settings, node setup and clock must not be null");
        }
        return new DebianRoot(cluster, debootstrap, setup, clock);
    }

    /**
     * A {@code debootstrap} provider with these settings, to pass to
     * {@link io.netboot4j.core.ClusterBuilder#rootBuild(RootBuildProvider)}. The provider found
     * by name ({@code rootBuild("debootstrap")}) uses {@link Debootstrap#defaults()} and
     * {@link NodeSetup#defaults()}.
     */
    public static RootBuildProvider provider(Debootstrap debootstrap, NodeSetup setup) {
        if (debootstrap == null || setup == null) {
            throw new IllegalArgumentException("debootstrap settings and node setup must not be null");
        }
        return RootBuildProvider.of("debootstrap", context -> of(context.cluster(), debootstrap, setup, context.clock()));
    }

    /** The tree this build makes: the cluster's root folder. */
    public Path root() {
        return cluster.rootFilesystem().path();
    }

    /** The debootstrap settings. */
    public Debootstrap debootstrap() {
        return debootstrap;
    }

    /** The setup inside the root. */
    public NodeSetup setup() {
        return setup;
    }

    /**
     * Runs every step in order ({@link #STEPS}); progress goes to {@code listener} under each
     * step's name, and under {@code root build} as step n of m.
     *
     * @throws RootBuildException naming the failing step; the tree is kept
     */
    @Override
    public void build(BuildListener listener) throws RootBuildException {
        LOG.info("building the root filesystem {} ({} {} {})", root(), debootstrap.suite(), debootstrap.architecture(),
                debootstrap.variant().label());
        for (int i = 0; i < ALL_STEPS.size(); i++) {
            listener.progress("root build", i, ALL_STEPS.size(), ALL_STEPS.get(i).name());
            run(ALL_STEPS.get(i), listener);
        }
        listener.progress("root build", ALL_STEPS.size(), ALL_STEPS.size(), "done");
        LOG.info("root filesystem {} is ready", root());
    }

    /**
     * Runs one step alone, for example {@code fstab} after changing the cluster.
     *
     * @param step one of {@link #STEPS}
     * @throws IllegalArgumentException naming the known steps if {@code step} is not one
     * @throws RootBuildException if the step fails
     */
    public void run(String step, BuildListener listener) throws RootBuildException {
        run(ALL_STEPS.stream().filter(s -> s.name().equals(step)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no root build step is named '" + step + "'; steps: " + String.join(", ", STEPS))), listener);
    }

    private void run(Step step, BuildListener listener) throws RootBuildException {
        LOG.info("step {}", step.name());
        StepContext context = new StepContext(new TreeFiles(root()), cluster, debootstrap, setup, listener, clock, new SecureRandom());
        try {
            step.run(context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RootBuildException(step.name(), root(), e);
        } catch (Exception e) {
            throw new RootBuildException(step.name(), root(), e);
        }
    }

    @Override
    public String toString() {
        return "DebianRoot[" + root() + ", " + debootstrap.suite() + "/" + debootstrap.architecture() + "]";
    }
}
