package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.ClusterBuilderTest.TestExtension;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * {@link Cluster#toBuilder()} can change every setting again, however often: a random chain
 * of {@code toBuilder()...build()} steps, each changing one setting to a random value (back to
 * its default included), gives the cluster a fresh builder makes from the final values.
 */
class ToBuilderPropertyTest {

    /** Every setting the chain changes; {@code -1}/{@code null} is "the default". */
    record Model(int server, int router, int domain, int iface, int tftpPort, int kernel, boolean initrd, int append,
                 UefiChain chain, int rootPath, boolean readWrite, int transfers, int extension, int discovery, boolean relayed,
                 int workFolder, int nodeAddress) {

        static Model defaults() {
            return new Model(1, -1, -1, 0, -1, 0, true, -1, null, 0, true, -1, -1, -1, false, 0, 101);
        }

        /** Applies setting {@code which} with value {@code v} (taken modulo the setting's choices). */
        Model with(int which, int v) {
            return switch (which) {
                case 0 -> new Model(1 + v % 3, router, domain, iface, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, workFolder, nodeAddress);
                case 1 -> new Model(server, v % 3 - 1, domain, iface, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, workFolder, nodeAddress);
                case 2 -> new Model(server, router, v % 3 - 1, iface, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, workFolder, nodeAddress);
                case 3 -> new Model(server, router, domain, v % 2, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, workFolder, nodeAddress);
                case 4 -> new Model(server, router, domain, iface, v % 3 - 1, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, workFolder, nodeAddress);
                case 5 -> new Model(server, router, domain, iface, tftpPort, v % 2, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, workFolder, nodeAddress);
                case 6 -> new Model(server, router, domain, iface, tftpPort, kernel, v % 2 == 0, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, workFolder, nodeAddress);
                case 7 -> new Model(server, router, domain, iface, tftpPort, kernel, initrd, v % 3 - 1, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, workFolder, nodeAddress);
                case 8 -> new Model(server, router, domain, iface, tftpPort, kernel, initrd, append,
                        UefiChain.values()[v % UefiChain.values().length], rootPath, readWrite, transfers, extension, discovery,
                        relayed, workFolder, nodeAddress);
                case 9 -> new Model(server, router, domain, iface, tftpPort, kernel, initrd, append, chain, v % 2, v % 4 < 2,
                        transfers, extension, discovery, relayed, workFolder, nodeAddress);
                case 10 -> new Model(server, router, domain, iface, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        v % 3 - 1, extension, discovery, relayed, workFolder, nodeAddress);
                case 11 -> new Model(server, router, domain, iface, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, v % 3 - 1, discovery, relayed, workFolder, nodeAddress);
                case 12 -> new Model(server, router, domain, iface, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, v % 3 - 1, relayed, workFolder, nodeAddress);
                case 13 -> new Model(server, router, domain, iface, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, v % 2 == 0, workFolder, nodeAddress);
                case 14 -> new Model(server, router, domain, iface, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, v % 2, nodeAddress);
                default -> new Model(server, router, domain, iface, tftpPort, kernel, initrd, append, chain, rootPath, readWrite,
                        transfers, extension, discovery, relayed, workFolder, v % 3 == 0 ? 101 : 150 + v % 3);
            };
        }

        /** Sets setting {@code which} of this model on {@code b} (a fresh builder or one from toBuilder()). */
        ClusterBuilder apply(int which, ClusterBuilder b) {
            return switch (which) {
                case 0, 1, 2, 3, 13 -> b.network(n -> {
                    n.subnet("192.168.1.0/24").server("192.168.1." + server).interfaceName(iface == 0 ? "eth0" : "br7");
                    if (router >= 0) {
                        n.router("192.168.1." + (250 + router));
                    } else {
                        n.router("192.168.1." + server); // the default: the server
                    }
                    n.domain(domain < 0 ? "" : "d" + domain);
                    n.clearRelayedSubnets();
                    if (relayed) {
                        n.relayedSubnet("10.1.0.0/24", "10.1.0.1");
                    }
                });
                case 4 -> b.ports(tftpPort < 0 ? ServicePorts.DEFAULTS : ServicePorts.DEFAULTS.withTftp(7000 + tftpPort));
                case 5, 6, 7, 8 -> b.boot(x -> {
                    x.kernel(Path.of("/boot/k" + kernel));
                    if (initrd) {
                        x.initrd(Path.of("/boot/i"));
                    } else {
                        x.noInitrd();
                    }
                    x.clearAppend();
                    if (append >= 0) {
                        x.append("a=" + append);
                    }
                    x.uefiChain(chain == null ? UefiChain.IPXE : chain);
                });
                case 9 -> b.rootFilesystem(r -> r.path("/r" + rootPath).readWrite(readWrite));
                case 10 -> b.budget(x -> x.transfers(transfers < 0 ? HeadBudget.DEFAULT_TRANSFERS : 10 + transfers));
                case 11 -> extension < 0 ? b.without(TestExtension.class) : b.with(new TestExtension(1 + extension));
                case 12 -> discovery < 0 ? b.without(Discovery.class)
                        : b.with(Discovery.builder().pool("192.168.1." + (200 + discovery * 10), "192.168.1." + (205 + discovery * 10))
                                .names("n%d").build());
                case 14 -> b.workFolder(Path.of("/tmp/w" + workFolder));
                default -> b.removeNode("kerrighednode1").node("kerrighednode1", "02:2D:61:C7:17:86", "192.168.1." + nodeAddress);
            };
        }

        /** A fresh builder given every setting of this model. */
        Cluster fresh() {
            ClusterBuilder b = Cluster.builder("kerrighed")
                    .nodes("kerrighednode%d", 6, "02:2D:61:C7:17:86", "192.168.1.101");
            for (int which : new int[] {0, 4, 5, 9, 10, 11, 12, 14, 15}) {
                b = apply(which, b);
            }
            return b.build();
        }
    }

    record Step(int which, int value) {
    }

    @Provide
    Arbitrary<Step> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 15), Arbitraries.integers().between(0, 11)).as(Step::new);
    }

    @Property(tries = 300)
    void anyChainOfChangesGivesWhatAFreshBuilderGives(@ForAll @Size(max = 25) List<@net.jqwik.api.From("steps") Step> steps) {
        Model model = Model.defaults();
        Cluster c = model.fresh();
        for (Step s : steps) {
            Model next = model.with(s.which(), s.value());
            model = next;
            c = model.apply(s.which(), c.toBuilder()).build();
            assertThat(view(c)).as("after %s", s).isEqualTo(view(model.fresh()));
            assertThat(c.workFolder()).isEqualTo(model.fresh().workFolder());
        }
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    /**
     * The cluster's parts, its extensions as a set: their order is the order they were added
     * in (it orders the kernel arguments they add), which a chain that removes and adds one
     * again may change.
     */
    private static List<Object> view(Cluster c) {
        return List.of(c.name(), c.network(), c.nodes(), c.boot(), c.rootFilesystem(), c.ports(), c.providers(), c.budget(),
                java.util.Set.copyOf(c.extensions()));
    }
}
