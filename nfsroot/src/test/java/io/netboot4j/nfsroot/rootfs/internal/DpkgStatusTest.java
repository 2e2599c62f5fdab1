package io.netboot4j.nfsroot.rootfs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DpkgStatusTest {

    @Test
    void onlyFullyInstalledPackagesCount() {
        String status = """
                Package: sudo
                Status: install ok installed
                Priority: optional

                Package: nfs-common
                Status: install ok half-configured
                Architecture: amd64

                Package: vim
                Status: deinstall ok config-files
                Version: 2:9.0

                Package: openssh-server
                Architecture: amd64
                Status: install ok installed""";
        assertThat(DpkgStatus.installed(status)).containsExactly("sudo", "openssh-server");
    }
}
