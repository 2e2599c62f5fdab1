package io.netboot4j.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.UefiChain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two kinds of node from one head: each group's kernel and initrd in its folder, each node's files naming its group's. */
class GroupBootTreeTest {

    @TempDir
    Path tmp;

    @Test
    void eachGroupsFilesAreInItsFolderAndEachNodeBootsItsGroups() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz"), "k");
        Path initrd = Files.writeString(tmp.resolve("initrd.img"), "i");
        Path altKernel = Files.writeString(tmp.resolve("vmlinuz-alt"), "alt");
        Cluster c = Cluster.builder("mixed")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1"))
                .nodes("node%d", 3, "02:00:00:00:00:01", "192.168.1.101")
                .boot(b -> b.kernel(kernel).initrd(initrd).append("console=ttyS0"))
                .rootFilesystem(r -> r.path("/nfsroot/mixed"))
                .group("debug", b -> b.append("debug loglevel=7"))
                .group("alt", b -> b.kernel(altKernel).noInitrd().clearAppend().append("quiet").uefiChain(UefiChain.GRUB))
                .nodeGroup("node2", "debug").nodeGroup("node3", "alt")
                .build();
        PxeBootTree tree = PxeBootTree.of(c);
        assertThat(tree.file("vmlinuz")).contains(new BootFile.OnDisk("vmlinuz", kernel, "the cluster's kernel"));
        assertThat(tree.file("debug/vmlinuz")).contains(new BootFile.OnDisk("debug/vmlinuz", kernel, "the kernel of group debug"));
        assertThat(tree.file("debug/initrd.img")).contains(new BootFile.OnDisk("debug/initrd.img", initrd, "the initrd of group debug"));
        assertThat(tree.file("alt/vmlinuz-alt")).contains(new BootFile.OnDisk("alt/vmlinuz-alt", altKernel, "the kernel of group alt"));
        assertThat(tree.file("alt/initrd.img")).isEmpty();

        String node1 = tree.text("pxelinux.cfg/01-02-00-00-00-00-01");
        String node2 = tree.text("pxelinux.cfg/01-02-00-00-00-00-02");
        String node3 = tree.text("pxelinux.cfg/01-02-00-00-00-00-03");
        assertThat(node1).contains("KERNEL vmlinuz\n", "APPEND console=ttyS0 root=/dev/nfs initrd=initrd.img nfsroot=");
        assertThat(node2).contains("KERNEL debug/vmlinuz\n", "APPEND console=ttyS0 debug loglevel=7 root=/dev/nfs initrd=debug/initrd.img ");
        assertThat(node3).contains("KERNEL alt/vmlinuz-alt\n", "APPEND quiet root=/dev/nfs nfsroot=").doesNotContain("initrd");
        assertThat(tree.text("pxelinux.cfg/default")).contains("KERNEL vmlinuz\n");

        String ipxe = tree.text("boot.ipxe");
        assertThat(ipxe).contains(":node2\nkernel debug/vmlinuz initrd=initrd.img console=ttyS0 debug loglevel=7 root=/dev/nfs",
                "initrd debug/initrd.img\n", ":node3\nkernel alt/vmlinuz-alt quiet root=/dev/nfs");
        // the alt group's UEFI chain is GRUB: its node gets a GRUB entry loading the group's kernel
        assertThat(tree.text(GrubConfig.nodeFileName(c.nodeByName("node3").orElseThrow()))).contains("\tlinux /alt/vmlinuz-alt quiet ");
    }
}
