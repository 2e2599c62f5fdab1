/** Boot-file serving: embedded TFTP server and tftpd-hpa provider, serving the boot module's tree. */
package io.netboot4j.tftp;
