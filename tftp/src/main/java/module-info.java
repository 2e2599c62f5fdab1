/**
 * netboot4j tftp: boot-file serving. An embedded TFTP server ({@link io.netboot4j.tftp.TftpServer})
 * and two boot-file providers serving the boot tree of a cluster ({@link io.netboot4j.boot.PxeBootTree},
 * in the boot module): {@code embedded} (TFTP, and HTTP with the http module's server) and
 * {@code tftpd-hpa}.
 */
module io.netboot4j.tftp {
    requires transitive io.netboot4j.core;
    requires transitive io.netboot4j.boot;
    requires transitive io.netboot4j.http;

    exports io.netboot4j.tftp;

    provides io.netboot4j.core.spi.BootFileServiceProvider with
            io.netboot4j.tftp.EmbeddedTftpProvider,
            io.netboot4j.tftp.TftpdHpaProvider;
}
