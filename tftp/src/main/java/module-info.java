/** netboot4j tftp: Boot-file serving: embedded TFTP server, the PXE boot tree, tftpd-hpa provider. */
module io.netboot4j.tftp {
    requires transitive io.netboot4j.core;
}
