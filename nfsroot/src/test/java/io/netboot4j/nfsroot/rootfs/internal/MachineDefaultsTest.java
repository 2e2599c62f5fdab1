package io.netboot4j.nfsroot.rootfs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.nfsroot.rootfs.internal.MachineDefaults.AptSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineDefaultsTest {

    /** This machine's /etc/apt/sources.list.d/debian.sources (deb822). */
    private static final String DEB822 = """
            Types: deb
            # http://snapshot.debian.org/archive/debian/20250520T000000Z
            URIs: http://deb.debian.org/debian
            Suites: bookworm bookworm-updates
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb
            # http://snapshot.debian.org/archive/debian-security/20250520T000000Z
            URIs: http://deb.debian.org/debian-security
            Suites: bookworm-security
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
            """;

    private static final String BOOKWORM_OS_RELEASE = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            VERSION="12 (bookworm)"
            VERSION_CODENAME=bookworm
            ID=debian
            """;

    @Test
    void osReleaseValuesAreUnquoted() {
        Map<String, String> os = MachineDefaults.parseOsRelease(BOOKWORM_OS_RELEASE);
        assertThat(os).containsEntry("ID", "debian").containsEntry("VERSION_CODENAME", "bookworm")
                .containsEntry("PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)");
    }

    @Test
    void deb822ParagraphsBecomeSources() {
        assertThat(MachineDefaults.parseDeb822Sources(DEB822)).containsExactly(
                new AptSource(URI.create("http://deb.debian.org/debian"), List.of("bookworm", "bookworm-updates"), List.of("main")),
                new AptSource(URI.create("http://deb.debian.org/debian-security"), List.of("bookworm-security"), List.of("main")));
        assertThat(MachineDefaults.parseDeb822Sources("Types: deb-src\nURIs: http://x/debian\nSuites: bookworm\n")).isEmpty();
        assertThat(MachineDefaults.parseDeb822Sources("Enabled: no\nTypes: deb\nURIs: http://x/debian\nSuites: bookworm\n")).isEmpty();
    }

    @Test
    void oneLineSourcesSkipCommentsSourcesAndOptions() {
        assertThat(MachineDefaults.parseOneLineSources("""
                # deb http://commented/debian bookworm main
                deb-src http://src/debian bookworm main
                deb [arch=amd64 signed-by=/k.gpg] http://ftp.de.debian.org/debian/ bookworm main contrib
                deb cdrom:[Debian 12]/ bookworm main
                """)).containsExactly(new AptSource(URI.create("http://ftp.de.debian.org/debian/"), List.of("bookworm"), List.of("main", "contrib")));
    }

    @Test
    void theMirrorIsTheOneServingTheMachinesSuite() {
        var sources = List.of(new AptSource(URI.create("https://packages.cloud.google.com/apt"), List.of("cloud-sdk-bookworm"), List.of("main")),
                new AptSource(URI.create("http://ftp.fr.debian.org/debian"), List.of("bookworm"), List.of("main")),
                new AptSource(URI.create("http://security.debian.org/debian-security"), List.of("bookworm-security"), List.of("main")));
        MachineDefaults d = MachineDefaults.from(MachineDefaults.parseOsRelease(BOOKWORM_OS_RELEASE), sources, "arm64");
        assertThat(d).isEqualTo(new MachineDefaults("debian", "bookworm", "arm64", URI.create("http://ftp.fr.debian.org/debian"),
                URI.create("http://security.debian.org/debian-security")));
    }

    @Test
    void aMachineThatIsNotDebianGetsBookwormFromDebiansRedirector() {
        MachineDefaults d = MachineDefaults.from(Map.of("ID", "fedora", "VERSION_CODENAME", ""), List.of(), "amd64");
        assertThat(d).isEqualTo(new MachineDefaults("debian", "bookworm", "amd64", MachineDefaults.DEBIAN_MIRROR, MachineDefaults.DEBIAN_SECURITY));
    }

    @Test
    void ubuntuMachinesGetUbuntusArchive() {
        MachineDefaults d = MachineDefaults.from(Map.of("ID", "ubuntu", "VERSION_CODENAME", "noble"), List.of(), "amd64");
        assertThat(d.distribution()).isEqualTo("ubuntu");
        assertThat(d.mirror()).isEqualTo(MachineDefaults.UBUNTU_MIRROR);
    }

    @Test
    void readsTheAptFolderIgnoringDisabledFiles(@TempDir Path apt) throws Exception {
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list.d/debian.sources"), DEB822);
        Files.writeString(apt.resolve("sources.list.d/other.list.disabled-by-farm"), "deb http://other/debian bookworm main\n");
        Files.writeString(apt.resolve("sources.list.d/extra.list"), "deb http://extra/debian trixie main\n");
        assertThat(MachineDefaults.readAptSources(apt)).extracting(a -> a.uri().toString())
                .containsExactly("http://deb.debian.org/debian", "http://deb.debian.org/debian-security", "http://extra/debian");
    }

    @Test
    void thisMachinesDefaultsAreARealRelease() {
        MachineDefaults d = MachineDefaults.detect();
        assertThat(d.suite()).matches("[a-z]+");
        assertThat(d.architecture()).matches("[a-z0-9]+");
        assertThat(d.mirror().getScheme()).isIn("http", "https", "file", "ftp");
    }
}
