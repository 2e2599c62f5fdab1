package io.netboot4j.core;

/**
 * The UDP/TCP ports the embedded servers listen on. The defaults are the well-known
 * ports; tests may choose unprivileged ones or 0 (any free port, reported by the
 * running service).
 *
 * @param dhcpServer DHCP server port, default 67
 * @param dhcpClient port replies are sent to, default 68
 * @param tftp TFTP port, default 69
 * @param nfs NFS port, default 2049
 * @param mount MOUNT port, default 20048 (as Linux {@code rpc.mountd})
 * @param portmap portmapper port, default 111
 * @param http HTTP port of the embedded boot-file server (iPXE over HTTP, UEFI HTTP Boot), default 80;
 *        DHCP and the iPXE script name it in URLs, so a cluster booted over HTTP needs a real
 *        port here (0 is for tests that do not boot over HTTP)
 */
public record ServicePorts(int dhcpServer, int dhcpClient, int tftp, int nfs, int mount, int portmap, int http) {

    /** The well-known ports. */
    public static final ServicePorts DEFAULTS = new ServicePorts(67, 68, 69, 2049, 20048, 111, 80);

    /** @throws IllegalArgumentException if a port is outside 0–65535 */
    public ServicePorts {
        int[] all = {dhcpServer, dhcpClient, tftp, nfs, mount, portmap, http};
        for (int p : all) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is outside 0-65535");
            }
        }
    }

    /** The ports without HTTP's, which is then 80. */
    public ServicePorts(int dhcpServer, int dhcpClient, int tftp, int nfs, int mount, int portmap) {
        this(dhcpServer, dhcpClient, tftp, nfs, mount, portmap, 80);
    }

    /** A copy with the DHCP server and client ports changed. */
    public ServicePorts withDhcp(int server, int client) {
        return new ServicePorts(server, client, tftp, nfs, mount, portmap, http);
    }

    /** A copy with the TFTP port changed. */
    public ServicePorts withTftp(int port) {
        return new ServicePorts(dhcpServer, dhcpClient, port, nfs, mount, portmap, http);
    }

    /** A copy with the NFS, MOUNT and portmap ports changed. */
    public ServicePorts withNfs(int nfsPort, int mountPort, int portmapPort) {
        return new ServicePorts(dhcpServer, dhcpClient, tftp, nfsPort, mountPort, portmapPort, http);
    }

    /**
     * The URL of the embedded HTTP server's boot tree on {@code server}: {@code http://<server>/},
     * or {@code http://<server>:<port>/} when the HTTP port is not 80.
     */
    public String httpBase(java.net.Inet4Address server) {
        return "http://" + Ipv4.format(server) + (http == 80 ? "" : ":" + http) + "/";
    }

    /** A copy with the HTTP port changed. */
    public ServicePorts withHttp(int port) {
        return new ServicePorts(dhcpServer, dhcpClient, tftp, nfs, mount, portmap, port);
    }
}
