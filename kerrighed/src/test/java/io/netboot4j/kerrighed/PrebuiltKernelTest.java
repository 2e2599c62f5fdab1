package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.KernelImage;
import io.netboot4j.core.spi.ProviderChoice;
import io.netboot4j.core.spi.Providers;
import io.netboot4j.core.spi.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrebuiltKernelTest {

    @TempDir
    Path tmp;

    /** Debian's kernel and initrd (linux-image-amd64). */
    static Path[] debianKernel() throws Exception {
        Path kernel;
        try (Stream<Path> s = Files.list(Path.of("/boot"))) {
            kernel = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).sorted().findFirst().orElse(null);
        }
        assumeTrue(kernel != null && Files.isReadable(kernel), "needs /boot/vmlinuz-* from Debian package linux-image-amd64");
        Path initrd = kernel.resolveSibling(kernel.getFileName().toString().replace("vmlinuz-", "initrd.img-"));
        return new Path[] {kernel, initrd};
    }

    @Test
    void debiansKernelIsABzImageAndIsCopied() throws Exception {
        Path[] k = debianKernel();
        Optional<Path> initrd = Files.isReadable(k[1]) ? Optional.of(k[1]) : Optional.empty();
        KernelImage image = new PrebuiltKernel(k[0], initrd, tmp.resolve("boot")).build(BuildListener.none());
        assertThat(image.kernel()).isEqualTo(tmp.resolve("boot").resolve(k[0].getFileName())).hasSameBinaryContentAs(k[0]);
        initrd.ifPresent(i -> assertThat(image.initrd()).contains(tmp.resolve("boot").resolve(i.getFileName())));
    }

    @Test
    void notABzImageIsNamed() throws Exception {
        Path fake = tmp.resolve("vmlinux");
        Files.write(fake, new byte[4096]);
        assertThatThrownBy(() -> new PrebuiltKernel(fake, Optional.empty(), tmp.resolve("boot")).build(BuildListener.none()))
                .isInstanceOfSatisfying(KernelBuildException.class, e -> {
                    assertThat(e.step()).isEqualTo("check-kernel");
                    assertThat(e.getMessage()).isEqualTo("prebuilt step 'check-kernel' failed: kernel " + fake
                            + " is not a bzImage: no 'HdrS' at offset 0x202 (found 0x00000000); give the compressed kernel"
                            + " (vmlinuz, arch/x86/boot/bzImage), not vmlinux or another file");
                });
        Path tiny = tmp.resolve("tiny");
        Files.write(tiny, new byte[10]);
        assertThatThrownBy(() -> new PrebuiltKernel(tiny, Optional.empty(), tmp.resolve("boot")).build(BuildListener.none()))
                .hasMessageContaining("is not a bzImage: it has 10 bytes");
        assertThatThrownBy(() -> new PrebuiltKernel(tmp.resolve("none"), Optional.empty(), tmp.resolve("boot")).build(BuildListener.none()))
                .hasMessageContaining("step 'check-kernel' failed: kernel " + tmp.resolve("none") + " is not a file");
    }

    @Test
    void emptyInitrdIsNamed() throws Exception {
        Path kernel = tmp.resolve("vmlinuz");
        byte[] b = new byte[4096];
        System.arraycopy("HdrS".getBytes(), 0, b, 0x202, 4);
        Files.write(kernel, b);
        Files.write(tmp.resolve("initrd.img"), new byte[0]);
        assertThatThrownBy(() -> new PrebuiltKernel(kernel, Optional.of(tmp.resolve("initrd.img")), tmp.resolve("boot"))
                .build(BuildListener.none())).hasMessage("prebuilt step 'check-initrd' failed: initrd " + tmp.resolve("initrd.img")
                + " is not a non-empty file");
    }

    @Test
    void providersAreFoundByName() {
        var available = Providers.available(KernelBuildProvider.class);
        assertThat(available).containsKeys("prebuilt", "kerrighed-2.4", "kbuild");
        assertThat(available.get("kbuild").name()).isEqualTo("kbuild");
    }

    @Test
    void prebuiltProviderUsesTheClustersBootProfile() throws Exception {
        Path[] k = debianKernel();
        Cluster cluster = Cluster.builder("c")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1"))
                .node("n1", "02:00:00:00:00:01", "192.168.1.101")
                .boot(b -> b.kernel(k[0]))
                .rootFilesystem(r -> r.path("/nfsroot/kerrighed"))
                .kernelBuild("prebuilt")
                .build();
        KernelBuildProvider p = Providers.choose(KernelBuildProvider.class, cluster.providers().kernelBuild(), "prebuilt",
                Providers.available(KernelBuildProvider.class));
        KernelBuild build = p.create(new ServiceContext(cluster, tmp, e -> { }, NetworkSeam.host(), Clock.systemUTC()));
        assertThat(build).isInstanceOf(PrebuiltKernel.class);
        assertThat(build.build(BuildListener.none()).kernel()).isEqualTo(tmp.resolve("boot").resolve(k[0].getFileName()));
        KernelBuildProvider chosen = Providers.choose(KernelBuildProvider.class, ProviderChoice.named("kerrighed-2.4"), "prebuilt",
                Providers.available(KernelBuildProvider.class));
        Kerrighed24Build krg = (Kerrighed24Build) chosen.create(new ServiceContext(cluster, tmp, e -> { }, NetworkSeam.host(), Clock.systemUTC()));
        assertThat(krg.settings().root().root()).isEqualTo(Path.of("/nfsroot/kerrighed"));
        assertThat(krg.settings().root().staged()).isFalse();
        assertThat(krg.settings().root().runner().describe()).isEqualTo("chroot /nfsroot/kerrighed");
        assertThat(krg.settings().cluster()).contains(cluster);
        assertThat(krg.settings().cache()).isEqualTo(tmp.resolve("cache"));
    }
}
