package io.netboot4j.kerrighed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Copies the scripts that answer like krgadm and krgcapset into a folder. */
final class FakeTools {

    private FakeTools() {
    }

    static Path install(Path dir) throws IOException {
        for (String name : new String[] {"krgadm", "krgcapset", "caps.default"}) {
            try (InputStream in = FakeTools.class.getResourceAsStream("/fake-tools/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        Files.setPosixFilePermissions(dir.resolve("krgadm"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("krgcapset"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
