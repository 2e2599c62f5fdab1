package io.netboot4j.nfsroot.rootfs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.nfsroot.rootfs.Debootstrap;
import io.netboot4j.nfsroot.rootfs.NodeSetup;
import io.netboot4j.nfsroot.rootfs.Password;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every rendered file against the guide's own text (part 1.4 and 2.1), quoted here. */
class RootFilesTest {

    private static final Path ROOT = Path.of("/nfsroot/kerrighed");

    /** Guide 1.4, "Edit /etc/apt/sources.list ... Add these lines:". */
    private static final String GUIDE_SOURCES = """
            deb http://archive.canonical.com/ubuntu hardy partner
            deb http://archive.ubuntu.com/ubuntu/ hardy main universe restricted multiverse
            deb http://security.ubuntu.com/ubuntu/ hardy-security universe main multiverse restricted
            deb http://archive.ubuntu.com/ubuntu/ hardy-updates universe main multiverse restricted
            deb-src http://archive.ubuntu.com/ubuntu/ hardy main universe restricted multiverse
            deb-src http://security.ubuntu.com/ubuntu/ hardy-security universe main multiverse restricted
            deb-src http://archive.ubuntu.com/ubuntu/ hardy-updates universe main multiverse restricted
            """;

    /** Guide 1.4, /etc/fstab. */
    private static final String GUIDE_FSTAB = """
            # /etc/fstab
            # <file system> <mount point> <type> <options> <dump> <pass>
            proc            /proc         proc   defaults       0      0
            /dev/nfs        /             nfs    defaults       0      0
            """;

    /** Guide 2.1, the configfs line. */
    private static final String GUIDE_CONFIGFS = "configfs        /config         configfs        defaults        0 0";

    /** Guide 1.4, /etc/hosts (the published guide lost the addresses; the names remain). */
    private static final String GUIDE_HOSTS = "# /etc/hosts # localhost    kerrighedserver  kerrighednode1  kerrighednode2  "
            + "kerrighednode3  kerrighednode4  kerrighednode5  kerrighednode6";

    /** Guide 1.4, /etc/network/interfaces. */
    private static final String GUIDE_INTERFACES = """
            # ...
            # The loopback interface:
            auto lo
            iface lo inet loopback

            # The primary network interface, manually configured to protect NFS:
            iface eth0 inet manual
            """;

    /** Guide 1.4, /etc/sudoers. */
    private static final String GUIDE_SUDOERS_USER_LINE = "<username> ALL=(ALL) ALL";

    @Test
    void aptSourcesOfTheGuidesPresetAreTheGuidesLines() {
        String rendered = RootFiles.aptSources(Debootstrap.guide(), NodeSetup.guide());
        assertThat(entries(rendered)).containsExactlyElementsOf(entries(GUIDE_SOURCES));
        assertThat(rendered).startsWith("# /etc/apt/sources.list of the nodes, written by netboot4j");
    }

    @Test
    void aptSourcesAreATemplateForTheSuite() {
        Debootstrap bookworm = Debootstrap.builder().suite("bookworm").architecture("amd64").mirror("http://deb.debian.org/debian")
                .securityMirror("http://deb.debian.org/debian-security").build();
        assertThat(RootFiles.aptSources(bookworm, NodeSetup.defaults())).isEqualTo("""
                # /etc/apt/sources.list of the nodes, written by netboot4j (step apt-sources)
                deb http://deb.debian.org/debian bookworm main
                deb http://deb.debian.org/debian-security bookworm-security main
                deb http://deb.debian.org/debian bookworm-updates main
                """);
        Debootstrap buster = Debootstrap.builder().suite("buster").architecture("amd64").mirror("http://deb.debian.org/debian")
                .securityMirror("http://deb.debian.org/debian-security").components("main", "contrib").build();
        assertThat(RootFiles.aptSources(buster, NodeSetup.defaults()))
                .contains("deb http://deb.debian.org/debian-security buster/updates main contrib\n");
        Debootstrap sid = Debootstrap.builder().suite("sid").architecture("amd64").mirror("http://deb.debian.org/debian")
                .securityMirror("http://deb.debian.org/debian-security").build();
        assertThat(RootFiles.aptSources(sid, NodeSetup.defaults()).lines().filter(l -> l.startsWith("deb")))
                .containsExactly("deb http://deb.debian.org/debian sid main");
    }

    @Test
    void fstabIsTheGuidesFstab() {
        assertThat(entries(RootFiles.fstab(false))).containsExactlyElementsOf(entries(GUIDE_FSTAB));
    }

    /**
     * The guide's configfs line with one change: {@code nofail}, because Debian's stock kernel
     * has configfs as a module the shared root does not hold, and systemd stops in emergency
     * mode when the mount fails (seen in the QEMU boot test).
     */
    @Test
    void fstabOfAKerrighedClusterAddsTheGuidesConfigfsLine() {
        assertThat(entries(RootFiles.fstab(true)))
                .containsExactlyElementsOf(entries(GUIDE_FSTAB + GUIDE_CONFIGFS.replace("defaults", "defaults,nofail") + "\n"));
    }

    @Test
    void hostsNameTheServerAndEveryNodeInTheGuidesOrder() {
        String rendered = RootFiles.hosts(GuideCluster.of(ROOT, false));
        List<String> guideNames = Arrays.stream(GUIDE_HOSTS.replace("# /etc/hosts #", "").strip().split("\\s+")).toList();
        List<String> ipv4Lines = rendered.lines().filter(l -> l.matches("\\d+\\.\\d+\\.\\d+\\.\\d+\\s.*")).toList();
        assertThat(ipv4Lines.stream().map(l -> l.split("\\s+")[l.split("\\s+").length - 1])).containsExactlyElementsOf(guideNames);
        assertThat(ipv4Lines).containsExactly(
                "127.0.0.1\tlocalhost",
                "192.168.1.1\tkerrighedserver.kerrighed kerrighedserver",
                "192.168.1.101\tkerrighednode1.kerrighed kerrighednode1",
                "192.168.1.102\tkerrighednode2.kerrighed kerrighednode2",
                "192.168.1.103\tkerrighednode3.kerrighed kerrighednode3",
                "192.168.1.104\tkerrighednode4.kerrighed kerrighednode4",
                "192.168.1.105\tkerrighednode5.kerrighed kerrighednode5",
                "192.168.1.106\tkerrighednode6.kerrighed kerrighednode6");
        assertThat(rendered).contains("::1\tlocalhost ip6-localhost ip6-loopback\n");
    }

    @Test
    void interfacesAreTheGuidesWithTheBootInterfaceManual() {
        assertThat(entries(RootFiles.interfaces("eth0")))
                .containsExactlyElementsOf(concat(List.of("source /etc/network/interfaces.d/*"), entries(GUIDE_INTERFACES)));
        assertThat(RootFiles.interfaces("ens3")).endsWith("iface ens3 inet manual\n").doesNotContain("auto ens3");
    }

    @Test
    void sudoersIsTheGuidesUserLine() {
        assertThat(entries(RootFiles.sudoers("kerrighed")))
                .containsExactly(GUIDE_SUDOERS_USER_LINE.replace("<username>", "kerrighed"));
    }

    @Test
    void inittabLineGivesTheSerialLineAGetty() {
        assertThat(RootFiles.inittabSerialLine("ttyS0")).isEqualTo("T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100");
    }

    @Test
    void shadowSetsOnlyTheGivenPasswordsAndKeepsMatchingHashes() {
        String shadow = """
                root:*:20000:0:99999:7:::
                daemon:*:20000:0:99999:7:::
                kerrighed:!:20000:0:99999:7:::
                """;
        Password rootPw = Password.clear("root secret".toCharArray());
        Password userPw = Password.hashed("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");
        String once = RootFiles.shadow(shadow, Map.of("root", rootPw, "kerrighed", userPw), 20400, new SecureRandom());
        List<String[]> lines = once.lines().map(l -> l.split(":", -1)).toList();
        assertThat(lines.get(0)[1]).startsWith("$6$");
        assertThat(rootPw.matches(lines.get(0)[1])).isTrue();
        assertThat(lines.get(0)[2]).isEqualTo("20400");
        assertThat(String.join(":", lines.get(1))).isEqualTo("daemon:*:20000:0:99999:7:::");
        assertThat(lines.get(2)[1]).isEqualTo(userPw.hash());
        assertThat(once).endsWith(":::\n").doesNotContain("root secret");

        String twice = RootFiles.shadow(once, Map.of("root", rootPw, "kerrighed", userPw), 20500, new SecureRandom());
        assertThat(twice).isEqualTo(once);
        assertThatThrownBy(() -> RootFiles.shadow(shadow, Map.of("nobody2", userPw), 1, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("/etc/shadow has no line for nobody2");
    }

    @Test
    void passwdAndGroupLookups() {
        assertThat(RootFiles.hasUser("root:x:0:0:root:/root:/bin/bash\nkerrighed:x:1000:1000::/home/kerrighed:/bin/bash\n", "kerrighed")).isTrue();
        assertThat(RootFiles.hasUser("root:x:0:0:root:/root:/bin/bash\nkerrighed2:x:1000:1000::/home/k:/bin/bash\n", "kerrighed")).isFalse();
        assertThat(RootFiles.groupId("root:x:0:\nshadow:x:42:\n", "shadow")).isEqualTo(42);
        assertThat(RootFiles.groupId("root:x:0:\n", "shadow")).isEqualTo(-1);
    }

    /** The meaningful lines of a file, comments and blank lines dropped, white space runs folded, apt components as a set. */
    private static List<String> entries(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.replaceAll("\\s+", " ")).map(RootFilesTest::sortAptComponents).toList();
    }

    private static String sortAptComponents(String line) {
        if (!line.startsWith("deb")) {
            return line;
        }
        String[] f = line.split(" ");
        Set<String> comps = Arrays.stream(f).skip(3).sorted().collect(Collectors.toCollection(LinkedHashSet::new));
        return f[0] + " " + f[1] + " " + f[2] + " " + String.join(" ", comps);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
