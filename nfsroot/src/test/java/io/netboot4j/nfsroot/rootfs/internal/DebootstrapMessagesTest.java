package io.netboot4j.nfsroot.rootfs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DebootstrapMessagesTest {

    /** Captured from debootstrap 1.0.128 --debian-installer --unpack-tarball, file descriptor 3. */
    private static final String CAPTURED = """
            I: CHOSENEXTRACTOR
            IA: dpkg-deb
            IF: Chosen extractor for .deb packages: %s
            P: 1 88 EXTRACTPKGS
            PF: Extracting packages
            I: EXTRACTING
            IA: adduser
            IF: Extracting %s...
            P: 2 88 EXTRACTPKGS
            PF: Extracting packages
            P: 12 89 CONFREQ
            PF: Configuring required packages
            W: RETRYING
            WA: http://deb.debian.org/debian/pool/x.deb
            WF: Retrying failed download of %s
            E: COULDNT_DL
            EA: libc6
            EF: Couldn't download package %s
            P: 3000000000 6000000000 DOWNDEBS
            PF: Downloading packages
            """;

    record Progress(String step, int done, int total, String detail) {
    }

    @Test
    void progressGoesToTheListenerAndErrorsAreKept() {
        List<Progress> seen = new ArrayList<>();
        DebootstrapMessages m = new DebootstrapMessages("debootstrap", (s, d, t, x) -> seen.add(new Progress(s, d, t, x)),
                LoggerFactory.getLogger(DebootstrapMessagesTest.class));
        CAPTURED.lines().forEach(m::accept);
        assertThat(seen).containsExactly(
                new Progress("debootstrap", 1, 88, "Extracting packages"),
                new Progress("debootstrap", 1, 88, "Extracting packages: adduser"),
                new Progress("debootstrap", 2, 88, "Extracting packages"),
                new Progress("debootstrap", 12, 89, "Configuring required packages"),
                new Progress("debootstrap", 500, 1000, "Downloading packages"));
        assertThat(m.errors()).containsExactly("Couldn't download package libc6");
    }
}
