package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterPrepareException;
import io.netboot4j.core.ClusterStartException;
import io.netboot4j.core.spi.BuildListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Cluster#prepare(BuildListener)} with the real {@code existing} root build and {@code prebuilt} kernel build. */
class PrepareTest {

    @TempDir
    Path tmp;

    private Path fakeRoot() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\n");
        Files.writeString(root.resolve("bin/sh"), "#!/bin/true\n");
        return root;
    }

    /** A file with the bzImage magic where the x86 boot protocol puts it. */
    private Path fakeKernel() throws Exception {
        byte[] image = new byte[4096];
        System.arraycopy("HdrS".getBytes(StandardCharsets.US_ASCII), 0, image, 0x202, 4);
        return Files.write(tmp.resolve("vmlinuz-6.1.0-test"), image);
    }

    private Cluster cluster(Path root, Path kernel, Optional<Path> initrd) {
        return Cluster.builder("prep")
                .network(n -> n.interfaceName("lo").subnet("10.98.0.0/24").server("10.98.0.1"))
                .node("n1", "52:54:00:98:00:11", "10.98.0.11")
                .boot(b -> {
                    b.kernel(kernel).append("console=ttyS0");
                    initrd.ifPresent(b::initrd);
                })
                .rootFilesystem(r -> r.path(root))
                .rootBuild("existing").kernelBuild("prebuilt")
                .workFolder(tmp.resolve("work"))
                .build();
    }

    @Test
    void existingRootAndPrebuiltKernelPrepareACopyOfTheKernelInTheWorkFolder() throws Exception {
        Path root = fakeRoot();
        Path initrd = Files.writeString(tmp.resolve("initrd.img-6.1.0-test"), "initrd");
        Cluster described = cluster(root, fakeKernel(), Optional.of(initrd));
        List<String> seen = new CopyOnWriteArrayList<>();
        Cluster ready = described.prepare(new BuildListener() {
            @Override public void progress(String step, int done, int total, String detail) {
                seen.add(step + " " + done + "/" + total);
            }
            @Override public void phase(int number, int count, String name) {
                seen.add(number + " of " + count + ": " + name);
            }
        });
        Path boot = tmp.resolve("work/kernel-build/boot");
        assertThat(ready.boot().kernel()).isEqualTo(boot.resolve("vmlinuz-6.1.0-test"));
        assertThat(ready.boot().initrd()).contains(boot.resolve("initrd.img-6.1.0-test"));
        assertThat(Files.readString(boot.resolve("initrd.img-6.1.0-test"))).isEqualTo("initrd");
        assertThat(ready.rootFilesystem().path()).isEqualTo(root);
        assertThat(ready.prepared()).isTrue();
        assertThat(seen).startsWith("1 of 2: existing root build", "existing 1/1", "2 of 2: prebuilt kernel build")
                .contains("copy-to-boot-folder 3/3");
        // preparing the description again gives the same cluster (the copies are made again, atomically)
        assertThat(described.prepare()).isEqualTo(ready);
    }

    @Test
    void aRootThatIsNotOneAndAnUnpreparedStartAreNamed() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cluster described = cluster(empty, fakeKernel(), Optional.empty());
        var e = catchThrowableOfType(ClusterPrepareException.class, described::prepare);
        assertThat(e.build()).isEqualTo("existing root build");
        assertThat(e).hasMessageContaining(empty + " has no /etc");
        var s = catchThrowableOfType(ClusterStartException.class, described::start);
        assertThat(s).hasMessage("could not start cluster prep: it chose the root build existing and the kernel build prebuilt,"
                + " which did not run: call prepare() and start the cluster it returns");
    }

    @Test
    void theGuideWithItsBuildsIsAValidDescriptionThatMustBePrepared() {
        Cluster guide = KerrighedClusterExample.guideWithBuilds("eth0", "02:2D:61:C7:17:86", tmp).build();
        assertThat(guide.providers().rootBuild().name()).contains("debootstrap");
        assertThat(guide.providers().kernelBuild().name()).contains("kerrighed-2.4");
        assertThat(guide.nodes()).hasSize(6);
        var s = catchThrowableOfType(ClusterStartException.class, guide::start);
        assertThat(s).hasMessageContaining("call prepare()");
    }
}
