package io.netboot4j.nfsroot;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterExtension;
import io.netboot4j.nfsroot.internal.ExportRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may mount the root filesystem, in {@code /etc/exports} client syntax: a cluster
 * extension read by every root-export provider ({@code embedded}, {@code kernel-nfsd},
 * {@code nfs-ganesha}). Without it the export goes to the cluster subnet with the root
 * filesystem's options ({@code rw,no_root_squash,no_subtree_check} by default, as the
 * guide's export).
 *
 * {@snippet :
 * Cluster.builder("kerrighed")
 *     // ...
 *     .with(NfsExports.clients("192.168.1.0/24(rw,no_root_squash)", "backup-host(ro,all_squash)"))
 *     .build();
 * }
 *
 * <p>Clients are {@code *}, an address, a network ({@code 192.168.1.0/24} or
 * {@code 192.168.1.0/255.255.255.0}) or a host name (a node of the cluster, else what
 * DNS resolves). The first entry that matches a client applies, as in exports(5).
 *
 * @param entries the client entries, {@code client(options)}
 */
public record NfsExports(List<String> entries) implements ClusterExtension {

    /**
     * @throws IllegalArgumentException naming the malformed entry and why
     */
    public NfsExports {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("NfsExports needs at least one client entry, for example 192.168.1.0/24(rw)");
        }
        for (String e : entries) {
            ExportRule.parse(e);
        }
    }

    /**
     * Exports to these clients; options follow exports(5) ({@code ro} and
     * {@code root_squash} unless written otherwise).
     *
     * @throws IllegalArgumentException naming the malformed entry and why
     */
    public static NfsExports clients(String... entries) {
        return new NfsExports(List.of(entries));
    }

    @Override
    public String name() {
        return "nfs-exports";
    }

    @Override
    public void validate(Cluster cluster, List<String> problems) {
        for (String e : entries) {
            ExportRule r = ExportRule.parse(e);
            if (r.readWrite() && !cluster.rootFilesystem().readWrite()) {
                problems.add("export entry '" + e + "' is rw but the root filesystem is read-only");
            }
        }
    }

    /** The export lines of {@code cluster}: its {@link NfsExports}, or the default for its subnet and each relayed subnet. */
    static List<ExportRule> rules(Cluster cluster) {
        List<ExportRule> rules = new ArrayList<>();
        cluster.extension(NfsExports.class).ifPresentOrElse(
                x -> x.entries.forEach(e -> rules.add(ExportRule.parse(e))),
                () -> {
                    rules.add(ExportRule.forCluster(cluster));
                    cluster.network().relayedSubnets().forEach(r -> rules.add(
                            new ExportRule(r.subnet().toString(), cluster.rootFilesystem().allExportOptions())));
                });
        return rules;
    }
}
