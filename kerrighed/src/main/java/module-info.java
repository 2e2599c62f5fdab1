/**
 * netboot4j kerrighed: Kerrighed's cluster settings ({@link io.netboot4j.kerrighed.Kerrighed}),
 * the files and kernel arguments the guide writes for it, kernel build backends
 * ({@code prebuilt}, {@code kerrighed-2.4}, {@code kbuild}), kernel configuration fragments,
 * and a {@code krgadm}/{@code krgcapset} administration API over local or SSH command runners.
 */
module io.netboot4j.kerrighed {
    requires transitive io.netboot4j.core;
    requires org.apache.sshd.osgi;
    requires java.net.http;

    exports io.netboot4j.kerrighed;

    provides io.netboot4j.core.spi.KernelBuildProvider with
            io.netboot4j.kerrighed.internal.PrebuiltProvider,
            io.netboot4j.kerrighed.internal.Kerrighed24Provider,
            io.netboot4j.kerrighed.internal.KbuildProvider;
}
