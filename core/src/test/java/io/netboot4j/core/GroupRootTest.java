package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A root filesystem per node group: the node's arguments follow its group, build() lists every root problem, toBuilder() changes it. */
class GroupRootTest {

    @TempDir
    Path tmp;

    /** A root export that says whether it exports several roots (a provider written before group roots does not). */
    record TestProvider(String name, boolean exportsSeveralRoots) implements RootExportProvider {
        @Override
        public RootExport create(ServiceContext context) {
            throw new UnsupportedOperationException();
        }
    }

    Path folder(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void aGroupsNodesMountItsOwnRoot() throws Exception {
        Path storage = folder("storage");
        Cluster c = GuideCluster.builder()
                .group("storage", b -> b.append("nb4j.kind=storage"))
                .groupRoot("storage", r -> r.path(storage).readOnly().mountOptions("vers=3", "udp"))
                .group("compute", b -> b.append("nb4j.kind=compute"))
                .nodeGroup("kerrighednode2", "storage").nodeGroup("kerrighednode3", "compute")
                .build();
        Node n1 = c.nodeByName("kerrighednode1").orElseThrow();
        Node n2 = c.nodeByName("kerrighednode2").orElseThrow();
        Node n3 = c.nodeByName("kerrighednode3").orElseThrow();
        RootFilesystem own = c.group("storage").orElseThrow().rootFilesystem().orElseThrow();
        assertThat(own).isEqualTo(new RootFilesystem(storage, false, List.of("no_root_squash", "no_subtree_check"), List.of("vers=3", "udp")));
        assertThat(c.rootFilesystem(n2)).isEqualTo(own);
        assertThat(c.rootFilesystem(n1)).isSameAs(c.rootFilesystem());
        assertThat(c.rootFilesystem(n3)).isSameAs(c.rootFilesystem());
        assertThat(c.rootFilesystems()).containsExactly(c.rootFilesystem(), own);
        assertThat(c.kernelArguments(n2)).containsSubsequence("nb4j.kind=storage", "root=/dev/nfs",
                "nfsroot=192.168.1.1:" + storage + ",vers=3,udp", "ip=dhcp", "ro");
        assertThat(c.kernelArguments(n1)).contains("nfsroot=192.168.1.1:/nfsroot/kerrighed,vers=3,tcp", "rw");
        assertThat(c.kernelArguments(n3)).contains("nfsroot=192.168.1.1:/nfsroot/kerrighed,vers=3,tcp");
        assertThat(c.toString()).contains("rootFilesystem=Optional[RootFilesystem[path=" + storage);
        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    }

    @Test
    void twoGroupsMayShareOneRootAndItIsExportedOnce() throws Exception {
        Path shared = folder("shared");
        Cluster c = GuideCluster.builder()
                .group("a", b -> { }).groupRoot("a", r -> r.path(shared))
                .group("b", b -> { }).groupRoot("b", r -> r.path(shared.toString() + "/"))
                .build();
        assertThat(c.rootFilesystems()).extracting(RootFilesystem::path).containsExactly(Path.of("/nfsroot/kerrighed"), shared);
    }

    @Test
    void everyRootProblemIsListedAtOnce() throws Exception {
        Path a = folder("a");
        Path inside = folder("a/inside");
        Path clusterRoot = folder("x/cluster");
        Path aroundCluster = tmp.resolve("x");
        Path c = folder("c");
        assertThatThrownBy(() -> GuideCluster.builder().build().toBuilder()
                .rootFilesystem(r -> r.path(clusterRoot))
                .group("missing", b -> { }).groupRoot("missing", r -> r.path(tmp.resolve("no-such")))
                .group("outer", b -> { }).groupRoot("outer", r -> r.path(a))
                .group("inner", b -> { }).groupRoot("inner", r -> r.path(inside))
                .group("around", b -> { }).groupRoot("around", r -> r.path(aroundCluster))
                .group("ro", b -> { }).groupRoot("ro", r -> r.path(a).readOnly())
                .group("nopath", b -> { }).groupRoot("nopath", r -> r.readOnly())
                .group("badopt", b -> { }).groupRoot("badopt", r -> r.path(c).exportOptions("frobnicate"))
                .build())
                .isInstanceOfSatisfying(ClusterConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "group nopath: its root filesystem has no path: groupRoot(\"nopath\", r -> r.path(\"/nfsroot/nopath\"))",
                        "group badopt: unknown export option 'frobnicate'; known: " + String.join(", ", RootFilesystem.KNOWN_EXPORT_OPTIONS),
                        "group missing root filesystem " + tmp.resolve("no-such")
                                + " is not a folder: build it first (prepare() builds the cluster's root only)",
                        "group inner root filesystem " + inside + " is inside the root filesystem " + a + " of group outer:"
                                + " exports must not nest (a file would belong to two exports); choose folders side by side",
                        "group around root filesystem " + aroundCluster + " contains the root filesystem " + clusterRoot + " of the cluster:"
                                + " exports must not nest (a file would belong to two exports); choose folders side by side",
                        "group ro root filesystem " + a + " is also the root filesystem of group outer with other export options"
                                + " (ro,no_root_squash,no_subtree_check against rw,no_root_squash,no_subtree_check): one folder is one export;"
                                + " give both the same mode and options",
                        "group ro root filesystem " + a + " contains the root filesystem " + inside + " of group inner:"
                                + " exports must not nest (a file would belong to two exports); choose folders side by side"));
        assertThatThrownBy(() -> GuideCluster.builder().groupRoot("nosuch", r -> r.path("/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no group 'nosuch' to give a root filesystem; define it first with group(\"nosuch\", b -> ...)");
        assertThatThrownBy(() -> GuideCluster.builder().group("a", b -> { }).groupRoot("a", r -> r.path("/x")).groupRoot("a", r -> r.path("/y")))
                .isInstanceOf(IllegalStateException.class).hasMessage("the root filesystem of group a was already set");
        assertThatThrownBy(() -> GuideCluster.builder().group("a", b -> { }).groupRoot("a", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clearGroupRoot");
    }

    @Test
    void aProviderThatExportsOneRootIsRefused() throws Exception {
        Path storage = folder("storage");
        ClusterBuilder b = GuideCluster.builder().group("storage", x -> { }).groupRoot("storage", r -> r.path(storage));
        assertThatThrownBy(() -> b.rootExport(new TestProvider("one-root", false)).build())
                .isInstanceOfSatisfying(ClusterConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "the rootExport provider 'one-root' exports one root filesystem only, and groups [storage] have roots of their own:"
                                + " choose embedded, kernel-nfsd or nfs-ganesha, or give the groups the cluster's root"));
        assertThat(GuideCluster.builder().group("storage", x -> { }).groupRoot("storage", r -> r.path(storage))
                .rootExport(new TestProvider("several", true)).build().rootFilesystems()).hasSize(2);
        // one root: any provider
        assertThat(GuideCluster.builder().rootExport(new TestProvider("one-root", false)).build().rootFilesystems()).hasSize(1);
    }

    @Test
    void toBuilderChangesAndClearsAGroupsRoot() throws Exception {
        Path storage = folder("storage");
        Path other = folder("other");
        Cluster c = GuideCluster.builder().group("storage", b -> b.append("x=1")).groupRoot("storage", r -> r.path(storage))
                .nodeGroup("kerrighednode2", "storage").build();
        Node n2 = c.nodeByName("kerrighednode2").orElseThrow();
        Cluster ro = c.toBuilder().groupRoot("storage", r -> r.readOnly()).build();
        assertThat(ro.rootFilesystem(n2).path()).isEqualTo(storage);
        assertThat(ro.rootFilesystem(n2).readWrite()).isFalse();
        assertThat(ro).isNotEqualTo(c);
        Cluster moved = ro.toBuilder().groupRoot("storage", r -> r.path(other)).build();
        assertThat(moved.rootFilesystem(n2)).isEqualTo(new RootFilesystem(other, false, List.of("no_root_squash", "no_subtree_check"),
                List.of("vers=3", "tcp")));
        Cluster cleared = moved.toBuilder().clearGroupRoot("storage").build();
        assertThat(cleared.rootFilesystem(n2)).isSameAs(cleared.rootFilesystem());
        assertThat(cleared.group("storage").orElseThrow().rootFilesystem()).isEmpty();
        assertThat(cleared.rootFilesystems()).hasSize(1);
        // a group redefined by toBuilder keeps its root; a removed group takes its root along
        assertThat(c.toBuilder().group("storage", b -> b.append("y=2")).build().rootFilesystem(n2).path()).isEqualTo(storage);
        assertThat(c.toBuilder().nodeGroup("kerrighednode2", null).removeGroup("storage").build().rootFilesystems()).hasSize(1);
        assertThat(new NodeGroup("g", c.boot())).isEqualTo(new NodeGroup("g", c.boot(), Optional.empty()));
    }

    @Test
    void aLiveChangeOfAGroupRootNamesItsNodes() throws Exception {
        Path storage = folder("storage");
        Cluster c = GuideCluster.builder().group("storage", b -> { }).nodeGroup("kerrighednode2", "storage").build();
        Cluster next = c.toBuilder().groupRoot("storage", r -> r.path(storage)).build();
        assertThat(LiveChange.unchangeable(c, next)).isEmpty();
        assertThat(LiveChange.event(c, next, java.time.Instant.EPOCH).changed()).containsExactly("kerrighednode2");
    }
}
