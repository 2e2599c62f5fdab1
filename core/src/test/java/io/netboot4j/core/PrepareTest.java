package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.BuildStepException;
import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.KernelImage;
import io.netboot4j.core.spi.RootBuild;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.ServiceContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Cluster#prepare(BuildListener)}: root build, then kernel build, their results fed into the boot profile. */
class PrepareTest {

    final List<String> log = new CopyOnWriteArrayList<>();
    boolean failKernel;

    RootBuildProvider root = new RootBuildProvider() {
        @Override public String name() { return "test-root"; }
        @Override public RootBuild create(ServiceContext c) {
            return listener -> {
                log.add("root build in " + c.workFolder().getFileName() + " for " + c.cluster().rootFilesystem().path());
                listener.progress("fill", 1, 1, "done");
            };
        }
    };

    KernelBuildProvider kernel = new KernelBuildProvider() {
        @Override public String name() { return "test-kernel"; }
        @Override public KernelBuild create(ServiceContext c) {
            return listener -> {
                log.add("kernel build in " + c.workFolder().getFileName());
                if (failKernel) {
                    throw new IOException("make bzImage exited 2");
                }
                Path k = Files.writeString(c.workFolder().resolve("bzImage-krg"), "kernel");
                return new KernelImage(k, Optional.empty());
            };
        }
    };

    ClusterBuilder cluster(Path work) {
        return GuideCluster.builder().build().toBuilder().boot(b -> b.initrd(Path.of("/boot/initrd.img"))).workFolder(work)
                .rootBuild(root).kernelBuild(kernel);
    }

    @Test
    void runsTheRootBuildThenTheKernelBuildAndBootsWhatTheyMade(@TempDir Path work) {
        Cluster described = cluster(work).build();
        assertThat(described.prepared()).isFalse();
        List<String> progress = new CopyOnWriteArrayList<>();
        Cluster ready = described.prepare(new BuildListener() {
            @Override public void progress(String step, int done, int total, String detail) {
                progress.add(step + " " + done + "/" + total);
            }
            @Override public void phase(int number, int count, String name) {
                progress.add(number + " of " + count + ": " + name);
            }
        });
        assertThat(log).containsExactly("root build in root-build for /nfsroot/kerrighed", "kernel build in kernel-build");
        assertThat(progress).containsExactly("1 of 2: test-root root build", "fill 1/1", "2 of 2: test-kernel kernel build");
        assertThat(ready.prepared()).isTrue();
        assertThat(ready.boot().kernel()).isEqualTo(work.resolve("kernel-build/bzImage-krg"));
        assertThat(ready.boot().initrd()).as("the built kernel came without an initrd: the old one does not fit it").isEmpty();
        assertThat(ready.boot().append()).isEqualTo(described.boot().append());
        assertThat(ready.rootFilesystem()).isEqualTo(described.rootFilesystem());
        assertThat(ready.nodes()).isEqualTo(described.nodes());
        // idempotent: a prepared cluster is ready
        assertThat(ready.prepare()).isSameAs(ready);
        assertThat(log).hasSize(2);
        // another build choice needs preparing again
        assertThat(ready.toBuilder().kernelBuild(kernel).build().prepared()).isFalse();
    }

    @Test
    void aFailingBuildIsNamedAndPreparingAgainRunsTheBuildsAgain(@TempDir Path work) {
        failKernel = true;
        Cluster described = cluster(work).build();
        var e = catchThrowableOfType(ClusterPrepareException.class, described::prepare);
        assertThat(e.build()).isEqualTo("test-kernel kernel build");
        assertThat(e).hasMessage("could not prepare: test-kernel kernel build failed: make bzImage exited 2");
        assertThat(e.step()).as("an IOException names no step").isEmpty();
        failKernel = false;
        assertThat(described.prepare().boot().kernel()).isEqualTo(work.resolve("kernel-build/bzImage-krg"));
        assertThat(log).containsExactly("root build in root-build for /nfsroot/kerrighed", "kernel build in kernel-build",
                "root build in root-build for /nfsroot/kerrighed", "kernel build in kernel-build");
    }

    @Test
    void aBuildStepExceptionNamesItsStepInThePrepareException(@TempDir Path work) {
        final class StepFailed extends BuildStepException {
            StepFailed() {
                super("packages", "root build step 'packages' failed: apt-get exited 100", null);
            }
        }
        RootBuildProvider failing = RootBuildProvider.of("steps", c -> listener -> {
            throw new StepFailed();
        });
        var e = catchThrowableOfType(ClusterPrepareException.class, () -> GuideCluster.builder().build().toBuilder().workFolder(work).rootBuild(failing).build().prepare());
        assertThat(e.build()).isEqualTo("steps root build");
        assertThat(e.step()).contains("packages");
        assertThat(e).hasMessage("could not prepare: steps root build failed: root build step 'packages' failed: apt-get exited 100");
    }

    @Test
    void startRefusesAClusterWhoseChosenBuildsDidNotRun(@TempDir Path work) {
        var e = catchThrowableOfType(ClusterStartException.class, () -> cluster(work).build().start());
        assertThat(e).hasMessage("could not start cluster kerrighed: it chose the root build instance of "
                + root.getClass().getName() + " and the kernel build instance of " + kernel.getClass().getName()
                + ", which did not run: call prepare() and start the cluster it returns");
    }

    @Test
    void aClusterWithoutAWorkFolderIsPreparedInANewOneThatItKeeps() {
        Cluster ready = GuideCluster.builder().rootBuild(root).kernelBuild(kernel).build().prepare();
        assertThat(ready.workFolder()).isPresent();
        assertThat(ready.boot().kernel()).isEqualTo(ready.workFolder().get().resolve("kernel-build/bzImage-krg"));
    }
}
