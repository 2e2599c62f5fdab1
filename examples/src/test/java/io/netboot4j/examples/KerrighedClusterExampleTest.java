package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KerrighedClusterExampleTest {

    @Test
    void theGuidesMacAddressesAreRefusedUnlessGroupAddressesAreAllowed() {
        assertThatThrownBy(() -> KerrighedClusterExample.guideCluster(Path.of("/boot/vmlinuz-2.6.20-krg")).build())
                .isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("6 problems")
                .hasMessageContaining("node kerrighednode1 has MAC address 01:2d:61:c7:17:86, a group (multicast) address");
        Cluster c = KerrighedClusterExample.guideCluster(Path.of("/boot/vmlinuz-2.6.20-krg")).allowGroupMacAddresses().build();
        assertThat(c.nodes()).extracting(n -> n.mac().toUpperString()).containsExactlyElementsOf(KerrighedClusterExample.GUIDE_MACS);
        assertThat(c.network().serverName().value()).isEqualTo("kerrighedserver");
    }

    @Test
    void printsTheGuidesFilesAsGenerated() {
        var bytes = new ByteArrayOutputStream();
        KerrighedClusterExample.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("build() without allowGroupMacAddresses() refuses the guide's MAC addresses")
                .contains("== /var/lib/tftpboot/pxelinux.cfg/default\n")
                .contains("KERNEL vmlinuz-2.6.20-krg\nAPPEND console=tty1 root=/dev/nfs nfsroot=192.168.1.1:/nfsroot/kerrighed,vers=3,tcp ip=dhcp rw\n")
                .contains("== /var/lib/tftpboot/pxelinux.cfg/01-01-2d-61-c7-17-91\n")
                .contains("ip=dhcp rw session_id=1 node_id=106\n")
                .contains("session=1\n").contains("nbmin=6\n")
                .contains("ENABLE=true\n")
                .contains("configfs        /config         configfs        defaults        0 0\n")
                .contains("101:1 102:1 103:1 104:1 105:1 106:1\n")
                .contains("hardware ethernet 01:2D:61:C7:17:86;").contains("server-name \"kerrighedserver\";")
                .contains("/nfsroot/kerrighed 192.168.1.0/255.255.255.0(rw,no_root_squash,no_subtree_check)\n")
                .contains("INTERFACESv4=\"eth0\"");
    }
}
