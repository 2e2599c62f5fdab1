package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node groups (Warewulf profiles): each group's profile starts from the cluster's; build() checks them all at once. */
class NodeGroupTest {

    @TempDir
    Path tmp;

    Path file(String name) throws Exception {
        return Files.writeString(tmp.resolve(name), name);
    }

    @Test
    void aGroupChangesTheClustersProfileForItsNodes() throws Exception {
        Path gpuKernel = file("vmlinuz-gpu");
        Cluster c = GuideCluster.builder()
                .group("gpu", b -> b.kernel(gpuKernel).append("nvidia.modeset=1").uefiChain(UefiChain.GRUB))
                .group("quiet", b -> b.clearAppend().append("quiet"))
                .nodeGroup("kerrighednode2", "gpu").nodeGroup("kerrighednode3", "quiet")
                .build();
        Node n1 = c.nodeByName("kerrighednode1").orElseThrow();
        Node n2 = c.nodeByName("kerrighednode2").orElseThrow();
        Node n3 = c.nodeByName("kerrighednode3").orElseThrow();
        assertThat(n2.group()).contains("gpu");
        assertThat(c.boot(n1)).isSameAs(c.boot());
        assertThat(c.boot(n2).kernel()).isEqualTo(gpuKernel);
        assertThat(c.boot(n2).append()).containsExactly("console=tty1", "nvidia.modeset=1");
        assertThat(c.uefiChain(n2)).isEqualTo(UefiChain.GRUB);
        assertThat(c.uefiChain(n1)).isEqualTo(UefiChain.IPXE);
        assertThat(c.kernelPath(n1)).isEqualTo("vmlinuz-2.6.20-krg");
        assertThat(c.kernelPath(n2)).isEqualTo("gpu/vmlinuz-gpu");
        assertThat(c.kernelPath(n3)).isEqualTo("quiet/vmlinuz-2.6.20-krg");
        assertThat(c.kernelArguments(n3).getFirst()).isEqualTo("quiet");
        assertThat(c.kernelArguments(n1).getFirst()).isEqualTo("console=tty1");
        assertThat(c.groups()).extracting(NodeGroup::name).containsExactly("gpu", "quiet");
    }

    @Test
    void everyGroupProblemIsListedAtOnce() {
        assertThatThrownBy(() -> GuideCluster.builder()
                .group("grub", b -> b.append("x"))
                .group("gpu", b -> b.kernel(tmp.resolve("no-such-kernel")))
                .group("bios", b -> b.biosBootFile("lpxelinux.0"))
                .nodeGroup("kerrighednode1", "nosuch")
                .build())
                .isInstanceOfSatisfying(ClusterConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "group name 'grub' is also a file or folder of the boot tree (pxelinux.cfg, grub, efi, boot, vmlinuz-2.6.20-krg,"
                                + " pxelinux.0, snponly.efi, boot.ipxe): choose another name",
                        "group gpu kernel " + tmp.resolve("no-such-kernel") + " is not a file",
                        "group bios changes the BIOS or iPXE boot file name (lpxelinux.0, boot.ipxe): DHCP names the cluster's"
                                + " (pxelinux.0, boot.ipxe); a group chooses its loaders with uefiChain",
                        "node kerrighednode1 is in group 'nosuch', which is not defined; define it with group(\"nosuch\", b -> ...)"
                                + " or choose one of [grub, gpu, bios]"));
        assertThatThrownBy(() -> GuideCluster.builder().group("a", b -> { }).group("a", b -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage("group a was already defined");
        assertThatThrownBy(() -> GuideCluster.builder().group("a", b -> { }).group("A", b -> { }))
                .hasMessage("group name 'A' differs from group 'a' only in case");
        assertThatThrownBy(() -> GuideCluster.builder().group("a.b", b -> { }))
                .hasMessage("group name 'a.b' must be one RFC 1123 label (letters, digits, hyphens)");
    }

    @Test
    void toBuilderKeepsGroupsAndMovesNodes() throws Exception {
        Cluster c = GuideCluster.builder().group("gpu", b -> b.append("a=1")).group("io", b -> b.append("b=2"))
                .nodeGroup("kerrighednode2", "gpu").build();
        Cluster same = c.toBuilder().build();
        assertThat(same).isEqualTo(c);
        Cluster moved = c.toBuilder().nodeGroup("kerrighednode2", "io").nodeGroup("kerrighednode3", "gpu")
                .group("gpu", b -> b.append("c=3")).build();
        assertThat(moved.nodeByName("kerrighednode2").orElseThrow().group()).contains("io");
        assertThat(moved.boot(moved.nodeByName("kerrighednode3").orElseThrow()).append()).containsExactly("console=tty1", "a=1", "c=3");
        assertThat(moved.toBuilder().nodeGroup("kerrighednode2", null).build().nodeByName("kerrighednode2").orElseThrow().group())
                .isEqualTo(Optional.empty());
        assertThatThrownBy(() -> c.toBuilder().removeGroup("gpu").build())
                .isInstanceOfSatisfying(ClusterConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "node kerrighednode2 is in group 'gpu', which is not defined; define it with group(\"gpu\", b -> ...) or choose one of [io]"));
        assertThat(LiveChange.event(c, c.toBuilder().group("gpu", b -> b.append("d=4")).build(), java.time.Instant.EPOCH).changed())
                .as("a node whose group's profile changed is changed").containsExactly("kerrighednode2");
        assertThat(List.of(c.toString())).allMatch(s -> s.contains("groups=[NodeGroup[name=gpu"));

        // the cluster's profile changes: a copied group follows what it had left as the cluster's
        Path other = file("vmlinuz-other");
        Path own = file("vmlinuz-own");
        Cluster withOwn = c.toBuilder().group("io", b -> b.kernel(own)).build();
        Cluster rebased = withOwn.toBuilder().boot(b -> b.kernel(other).clearAppend().append("console=ttyS0")).build();
        assertThat(rebased.group("gpu").orElseThrow().boot().kernel()).isEqualTo(other);
        assertThat(rebased.group("gpu").orElseThrow().boot().append()).containsExactly("console=ttyS0", "a=1");
        assertThat(rebased.group("io").orElseThrow().boot().kernel()).as("its own kernel stays").isEqualTo(own);
    }
}
