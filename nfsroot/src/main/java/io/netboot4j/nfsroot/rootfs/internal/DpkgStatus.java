package io.netboot4j.nfsroot.rootfs.internal;

import java.util.LinkedHashSet;
import java.util.Set;

/** Reads {@code /var/lib/dpkg/status}: which packages are installed. */
public final class DpkgStatus {

    private DpkgStatus() {
    }

    /** The names of the packages whose status is {@code install ok installed}. */
    public static Set<String> installed(String status) {
        Set<String> out = new LinkedHashSet<>();
        String pkg = null;
        String state = null;
        for (String line : (status + "\n\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (pkg != null && "install ok installed".equals(state)) {
                    out.add(pkg);
                }
                pkg = null;
                state = null;
            } else if (line.startsWith("Package:")) {
                pkg = line.substring(8).strip();
            } else if (line.startsWith("Status:")) {
                state = line.substring(7).strip();
            }
        }
        return out;
    }
}
