/** Boot-file serving: embedded TFTP server, the PXE boot tree, tftpd-hpa provider. */
package io.netboot4j.tftp;
