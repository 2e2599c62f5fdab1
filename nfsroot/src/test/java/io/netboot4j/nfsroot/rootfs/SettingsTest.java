package io.netboot4j.nfsroot.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.Providers;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.ServiceContext;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Builder rules, presets, passwords, providers and the module's public surface. */
class SettingsTest {

    @Test
    void theGuidesDebootstrapIsOneCallAway() {
        Debootstrap g = Debootstrap.guide();
        assertThat(g.suite()).isEqualTo("hardy");
        assertThat(g.architecture()).isEqualTo("i386");
        assertThat(g.mirror()).isEqualTo(URI.create("http://archive.ubuntu.com/ubuntu/"));
        assertThat(g.isUbuntu()).isTrue();
        assertThat(g.components()).containsExactly("main", "restricted", "universe", "multiverse");
    }

    @Test
    void defaultsComeFromTheMachine() {
        Debootstrap d = Debootstrap.defaults();
        assertThat(d.variant()).isEqualTo(Debootstrap.Variant.STANDARD);
        assertThat(d.cacheFolder()).contains(Debootstrap.DEFAULT_CACHE);
        assertThat(d.components()).containsExactly("main");
        assertThat(d.suite()).isNotBlank();
        assertThat(d.architecture()).isNotBlank();
    }

    @Test
    void anotherSuiteGetsItsDistributionsMirror() {
        assertThat(Debootstrap.builder().suite("noble").build().mirror()).isEqualTo(URI.create("http://archive.ubuntu.com/ubuntu/"));
        assertThat(Debootstrap.builder().suite("noble").build().securityMirror()).isEqualTo(URI.create("http://security.ubuntu.com/ubuntu/"));
    }

    @Test
    void debootstrapSettersCheckAtOnce() {
        assertThatThrownBy(() -> Debootstrap.builder().suite("Hardy Heron")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("suite 'Hardy Heron' is not valid: use lower-case letters, digits and . + - (for example bookworm, amd64, main)");
        assertThatThrownBy(() -> Debootstrap.builder().mirror("archive.ubuntu.com/ubuntu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mirror 'archive.ubuntu.com/ubuntu' must be an http, https, ftp or file URI");
        assertThatThrownBy(() -> Debootstrap.builder().suite("hardy").suite("lucid")).isInstanceOf(IllegalStateException.class)
                .hasMessage("suite was already set");
        assertThatThrownBy(() -> Debootstrap.builder().components()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("components must name at least one, for example main");
        assertThatThrownBy(() -> Debootstrap.builder().noCache().cacheFolder(Path.of("/tmp"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("cacheFolder was already set");
    }

    @Test
    void nodeSetupSettersCheckAtOnce() {
        assertThatThrownBy(() -> NodeSetup.builder().user("Root User", Password.clear("x".toCharArray())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("user name 'Root User' is not a valid login name");
        assertThatThrownBy(() -> NodeSetup.builder().user("root")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("user name 'root' is not a valid login name");
        assertThatThrownBy(() -> NodeSetup.builder().bootInterface("lo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("boot interface 'lo' is not a network interface name (1-15 characters, not lo)");
        assertThatThrownBy(() -> NodeSetup.builder().serialConsole("/dev/ttyS0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("serial console '/dev/ttyS0' is not a tty name such as ttyS0");
        assertThatThrownBy(() -> NodeSetup.builder().packages("Nfs Common")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("package name 'Nfs Common' is not valid: lower-case letters, digits and . + -");
        assertThatThrownBy(() -> NodeSetup.builder().aptExtraLine("http://x hardy main")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apt sources line 'http://x hardy main' must be one line starting with 'deb ' or 'deb-src '");
    }

    @Test
    void nodeSetupPresetsAndCopies() {
        assertThat(NodeSetup.defaults().packages()).containsExactly("nfs-common", "openssh-server", "isc-dhcp-client", "sudo");
        assertThat(NodeSetup.guide().packages()).containsExactly("dhcp3-common", "nfs-common", "nfsbooted", "openssh-server");
        NodeSetup s = NodeSetup.builder().user("kerrighed").serialConsole("ttyS0").build();
        assertThat(s.user()).contains("kerrighed");
        assertThat(s.userPassword()).isEmpty();
        assertThat(s.toBuilder().build()).isEqualTo(s);
    }

    @Test
    void passwordsNeverShowTheirText() {
        Password clear = Password.clear("s3cret!".toCharArray());
        assertThat(clear.toString()).isEqualTo("Password[clear]").doesNotContain("s3cret");
        assertThat(clear.isHashed()).isFalse();
        String hash = clear.hash();
        assertThat(hash).startsWith("$6$").doesNotContain("s3cret");
        assertThat(clear.matches(hash)).isTrue();
        assertThat(Password.clear("other".toCharArray()).matches(hash)).isFalse();
        Password given = Password.hashed(hash);
        assertThat(given.hash()).isEqualTo(hash);
        assertThat(given.toString()).isEqualTo("Password[hash]");
        assertThatThrownBy(() -> Password.hashed("s3cret!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a crypt hash (expected $6$salt$hash as openssl passwd -6 prints it): a text of 7 characters");
        assertThatThrownBy(() -> Password.clear("a\nb".toCharArray())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password must not contain a line break or a NUL character");
        assertThatThrownBy(() -> Password.clear(new char[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password must not be empty");
    }

    @Test
    void bothProvidersAreFoundByName() {
        var available = Providers.available(RootBuildProvider.class);
        assertThat(available).containsKeys("debootstrap", "existing");
        Cluster cluster = cluster(Path.of("/nfsroot/kerrighed"));
        ServiceContext context = new ServiceContext(cluster, Path.of("/tmp"), e -> { }, cluster.networkSeam(), Clock.systemUTC());
        assertThat(available.get("existing").create(context)).isInstanceOfSatisfying(ExistingRoot.class,
                r -> assertThat(r.root()).isEqualTo(Path.of("/nfsroot/kerrighed")));
        assertThat(available.get("debootstrap").create(context)).isInstanceOfSatisfying(DebianRoot.class,
                r -> assertThat(r.root()).isEqualTo(Path.of("/nfsroot/kerrighed")));
        RootBuildProvider chosen = DebianRoot.provider(Debootstrap.guide(), NodeSetup.guide());
        assertThat(chosen.name()).isEqualTo("debootstrap");
        assertThat(((DebianRoot) chosen.create(context)).debootstrap().suite()).isEqualTo("hardy");
        Cluster withChoice = cluster.toBuilder().rootBuild("debootstrap").build();
        assertThat(withChoice.providers().rootBuild().name()).contains("debootstrap");
    }

    @Test
    void unknownStepsAreNamed() {
        DebianRoot root = DebianRoot.of(cluster(Path.of("/nfsroot/kerrighed")), Debootstrap.guide(), NodeSetup.guide());
        assertThatThrownBy(() -> root.run("passwd", io.netboot4j.core.spi.BuildListener.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no root build step is named 'passwd'; steps: debootstrap, apt-sources, packages, fstab, hosts, hostname, "
                        + "network-interfaces, users, mountnfs-link, serial-console");
    }

    @Test
    void theModuleExportsTheRootBuildApiButNotItsInternals() throws Exception {
        ModuleDescriptor d;
        Path classes = Path.of(DebianRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = java.nio.file.Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        List<String> exports = d.exports().stream().map(ModuleDescriptor.Exports::source).toList();
        assertThat(exports).contains("io.netboot4j.nfsroot.rootfs").doesNotContain("io.netboot4j.nfsroot.rootfs.internal");
        Optional<ModuleDescriptor.Provides> provides = d.provides().stream()
                .filter(p -> p.service().equals(RootBuildProvider.class.getName())).findFirst();
        assertThat(provides).get().extracting(ModuleDescriptor.Provides::providers).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.LIST).contains(
                "io.netboot4j.nfsroot.rootfs.internal.DebootstrapRootBuildProvider",
                "io.netboot4j.nfsroot.rootfs.internal.ExistingRootBuildProvider");
    }

    private static Cluster cluster(Path root) {
        return Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1"))
                .node("kerrighednode1", "02:2D:61:C7:17:86", "192.168.1.101")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root).readWrite())
                .build();
    }
}
