package io.netboot4j.nfsroot.rootfs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Sha512CryptTest {

    /** The SHA-512 test vectors of Drepper's specification (https://www.akkadia.org/drepper/SHA-crypt.txt). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            $6$saltstring|Hello world!|$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1
            $6$rounds=10000$saltstringsaltstring|Hello world!|$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.
            $6$rounds=5000$toolongsaltstring|This is just a test|$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0
            $6$rounds=1400$anotherlongsaltstring|a very much longer text to encrypt.  This one even stretches over morethan one line.|$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1
            $6$rounds=77777$short|we have a short salt string but not a short password|$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0
            $6$rounds=123456$asaltof16chars..|a short string|$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1
            $6$rounds=10$roundstoolow|the minimum number is still observed|$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.
            """)
    void specificationVectors(String setting, String password, String expected) {
        assertThat(Sha512Crypt.crypt(password.getBytes(StandardCharsets.UTF_8), setting)).isEqualTo(expected);
        assertThat(Sha512Crypt.matches(password.getBytes(StandardCharsets.UTF_8), expected)).isTrue();
        assertThat(Sha512Crypt.matches((password + "x").getBytes(StandardCharsets.UTF_8), expected)).isFalse();
    }

    @Test
    void agreesWithOpensslPasswd() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "needs /usr/bin/openssl (Debian package openssl)");
        Random random = new Random(6);
        for (String password : passwords(random)) {
            String salt = salt(random);
            String ours = Sha512Crypt.crypt(password.getBytes(StandardCharsets.UTF_8), "$6$" + salt);
            List<String> out = new ArrayList<>();
            // The password goes through stdin (-stdin), never the command line.
            Path in = Files.createTempFile("pw", ".txt");
            try {
                Files.writeString(in, password + "\n");
                ExternalCommand.of("sh", "-c", "openssl passwd -6 -salt '" + salt + "' -stdin < '" + in + "'")
                        .stdout(out::add).runChecked();
            } finally {
                Files.delete(in);
            }
            assertThat(ours).as("password of %d chars, salt %s", password.length(), salt).isEqualTo(out.getFirst());
        }
    }

    @Test
    void agreesWithMkpasswd() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkpasswd")), "needs /usr/bin/mkpasswd (Debian package whois)");
        Random random = new Random(7);
        for (String password : passwords(random)) {
            String salt = salt(random).repeat(16).substring(0, 8 + random.nextInt(9)); // mkpasswd wants 8-16
            int rounds = 1000 + random.nextInt(9000);
            String ours = Sha512Crypt.crypt(password.getBytes(StandardCharsets.UTF_8), "$6$rounds=" + rounds + "$" + salt);
            List<String> out = new ArrayList<>();
            Path in = Files.createTempFile("pw", ".txt");
            try {
                Files.writeString(in, password + "\n");
                ExternalCommand.of("sh", "-c", "mkpasswd -m sha-512 -R " + rounds + " -S '" + salt + "' --stdin < '" + in + "'")
                        .stdout(out::add).runChecked();
            } finally {
                Files.delete(in);
            }
            assertThat(ours).as("password of %d chars, salt %s, %d rounds", password.length(), salt, rounds).isEqualTo(out.getFirst());
        }
    }

    @Property(tries = 30)
    void aHashMatchesItsPasswordAndNoOther(@ForAll @StringLength(min = 1, max = 80) String password) {
        byte[] p = password.getBytes(StandardCharsets.UTF_8);
        String hash = Sha512Crypt.hash(p, new Random(password.hashCode()));
        assertThat(hash).matches("\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}");
        assertThat(Sha512Crypt.matches(p, hash)).isTrue();
        assertThat(Sha512Crypt.matches((password + "!").getBytes(StandardCharsets.UTF_8), hash)).isFalse();
    }

    @Test
    void otherSchemesNeverMatch() {
        byte[] p = "secret".getBytes(StandardCharsets.UTF_8);
        assertThat(Sha512Crypt.matches(p, "$y$j9T$abc$def")).isFalse();
        assertThat(Sha512Crypt.matches(p, "!")).isFalse();
        assertThat(Sha512Crypt.matches(p, null)).isFalse();
        assertThatThrownBy(() -> Sha512Crypt.crypt(p, "$5$salt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SHA-512 crypt setting must start with $6$");
    }

    private static List<String> passwords(Random random) {
        List<String> out = new ArrayList<>(List.of("a", "kerrighed", "correct horse battery staple", "x".repeat(64),
                "y".repeat(65), "z".repeat(200), "pässwörd €"));
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%&()*+,-./:;<=>?@[]^_{|}~ ";
        for (int i = 0; i < 8; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = 1 + random.nextInt(130); j > 0; j--) {
                s.append(chars.charAt(random.nextInt(chars.length())));
            }
            out.add(s.toString().strip().isEmpty() ? "p" : s.toString().strip());
        }
        return out;
    }

    private static String salt(Random random) {
        String chars = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder s = new StringBuilder();
        for (int i = 1 + random.nextInt(16); i > 0; i--) {
            s.append(chars.charAt(random.nextInt(chars.length())));
        }
        return s.toString();
    }
}
