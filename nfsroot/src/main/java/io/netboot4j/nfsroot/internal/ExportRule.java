package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Ipv4Network;
import io.netboot4j.core.Node;
import io.netboot4j.core.RootFilesystem;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client entry of an {@code /etc/exports} line, {@code client(options)}, with the
 * options exports(5) defines that matter to the server: {@code rw}/{@code ro},
 * {@code root_squash} (default), {@code no_root_squash}, {@code all_squash},
 * {@code anonuid}/{@code anongid} (default 65534), {@code secure} (default)/{@code insecure}.
 * Other options ({@code sync}, {@code no_subtree_check}, ...) are kept for rendering.
 *
 * @param client {@code *}, an address, a network in CIDR or address/netmask form, or a host name
 * @param options the options as written, in order
 */
public record ExportRule(String client, List<String> options) {

    public static final int NOBODY = 65534;

    public ExportRule {
        if (client == null || client.isBlank() || client.matches(".*[\\s()].*")) {
            throw new IllegalArgumentException("export client '" + client + "' must be '*', an address, a network or a host name");
        }
        options = List.copyOf(options);
        for (String o : options) {
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
            switch (key) {
                case "rw", "ro", "root_squash", "no_root_squash", "all_squash", "no_all_squash", "secure", "insecure",
                     "sync", "async", "subtree_check", "no_subtree_check", "wdelay", "no_wdelay", "crossmnt", "nohide",
                     "hide", "fsid", "sec" -> { }
                case "anonuid", "anongid" -> {
                    if (!o.matches("anon[ug]id=\\d{1,10}") || Long.parseLong(o.substring(8)) > 0xFFFFFFFFL) {
                        throw new IllegalArgumentException("export option '" + o + "' needs a numeric id, for example " + key + "=65534");
                    }
                }
                default -> throw new IllegalArgumentException("unknown export option '" + o + "' for client " + client);
            }
        }
        if (options.contains("rw") && options.contains("ro")) {
            throw new IllegalArgumentException("export options rw and ro conflict for client " + client);
        }
        if (options.contains("root_squash") && options.contains("no_root_squash")) {
            throw new IllegalArgumentException("export options root_squash and no_root_squash conflict for client " + client);
        }
        if (!client.equals("*") && !client.contains("/") && !isAddress(client)
                && !client.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("export client '" + client + "' is not '*', an address, a network or a host name");
        }
        if (client.contains("/")) {
            Ipv4Network.parse(client);
        }
    }

    /**
     * Parses {@code client(opt,opt)} or a bare {@code client} (no options: read-only and
     * root squashed, as exports(5) defaults).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ExportRule parse(String text) {
        String t = text.strip();
        int open = t.indexOf('(');
        if (open < 0) {
            return new ExportRule(t, List.of());
        }
        if (!t.endsWith(")")) {
            throw new IllegalArgumentException("export entry '" + text + "' must be client(options)");
        }
        String client = t.substring(0, open);
        String opts = t.substring(open + 1, t.length() - 1).strip();
        List<String> list = new ArrayList<>();
        for (String o : opts.split(",")) {
            if (!o.isBlank()) {
                list.add(o.strip().toLowerCase(Locale.ROOT));
            }
        }
        return new ExportRule(client, list);
    }

    /** The cluster's default rule: its subnet with the root filesystem's options. */
    public static ExportRule forCluster(Cluster cluster) {
        return new ExportRule(cluster.network().subnet().toString(), cluster.rootFilesystem().allExportOptions());
    }

    /**
     * The rules of {@code root}, one of {@code cluster}'s roots ({@link Cluster#rootFilesystems()}),
     * from the rules of the cluster's root: the same clients; a rule with the cluster root's
     * options ({@link #forCluster}, the default) gets {@code root}'s own; any other rule keeps its
     * options but {@code fsid}, made {@code ro} if {@code root} is read-only.
     */
    public static List<ExportRule> forRoot(List<ExportRule> clusterRules, Cluster cluster, RootFilesystem root) {
        if (root.equals(cluster.rootFilesystem())) {
            return clusterRules;
        }
        List<String> clusterOptions = cluster.rootFilesystem().allExportOptions();
        List<ExportRule> out = new ArrayList<>();
        for (ExportRule r : clusterRules) {
            if (r.options().equals(clusterOptions)) {
                out.add(new ExportRule(r.client(), root.allExportOptions()));
            } else {
                // an fsid names the cluster's root; the group root gets its own (see ExportsFile)
                out.add(new ExportRule(r.client(), r.options().stream().filter(o -> !o.startsWith("fsid"))
                        .map(o -> o.equals("rw") && !root.readWrite() ? "ro" : o).toList()));
            }
        }
        return List.copyOf(out);
    }

    /** Read-write ({@code rw}); exports(5) defaults to {@code ro}. */
    public boolean readWrite() {
        return options.contains("rw");
    }

    public boolean rootSquash() {
        return !options.contains("no_root_squash");
    }

    public boolean allSquash() {
        return options.contains("all_squash");
    }

    /** Requests must come from a port below 1024 (exports(5) default). */
    public boolean secure() {
        return !options.contains("insecure");
    }

    public int anonUid() {
        return id("anonuid=");
    }

    public int anonGid() {
        return id("anongid=");
    }

    private int id(String prefix) {
        for (String o : options) {
            if (o.startsWith(prefix)) {
                return (int) Long.parseLong(o.substring(prefix.length()));
            }
        }
        return NOBODY;
    }

    /**
     * Whether {@code address} is this rule's client. Host names match the cluster's node
     * of that name, else what the name resolves to (resolved here, waiting for DNS).
     */
    public boolean matches(Inet4Address address, Cluster cluster) {
        return matches(address, cluster, name -> {
            try {
                return java.util.Set.of(InetAddress.getAllByName(name));
            } catch (java.net.UnknownHostException e) {
                return java.util.Set.of();
            }
        });
    }

    /** As {@link #matches(Inet4Address, Cluster)}, other host names resolved by {@code dns}. */
    public boolean matches(Inet4Address address, Cluster cluster, java.util.function.Function<String, java.util.Set<InetAddress>> dns) {
        if (client.equals("*")) {
            return true;
        }
        Object parsed = parsed(client);
        if (parsed instanceof Ipv4Network network) {
            return network.contains(address);
        }
        if (parsed instanceof Inet4Address a) {
            return a.equals(address);
        }
        if (cluster != null) {
            for (Node n : cluster.nodes()) {
                if (n.hostname().equalsIgnoreCase(client) || (n.hostname() + "." + cluster.network().domain()).equalsIgnoreCase(client)) {
                    return n.address().equals(address);
                }
            }
        }
        return dns.apply(client).contains(address);
    }

    /** Whether the client is a host name that is not a cluster node's (resolved through DNS). */
    boolean needsDns(Cluster cluster) {
        if (client.equals("*") || client.contains("/") || isAddress(client)) {
            return false;
        }
        return cluster == null || cluster.nodes().stream().noneMatch(n -> n.hostname().equalsIgnoreCase(client)
                || (n.hostname() + "." + cluster.network().domain()).equalsIgnoreCase(client));
    }

    /**
     * The client text parsed: an {@link Ipv4Network}, an {@link Inet4Address}, or the text
     * itself (a host name). Every NFS call is matched against the rules, and parsing takes
     * regular expressions (18% of a directory walk's server time when done per call).
     */
    private static final Map<String, Object> PARSED = new ConcurrentHashMap<>();

    private static Object parsed(String client) {
        Object p = PARSED.get(client);
        if (p == null) {
            p = client.contains("/") ? Ipv4Network.parse(client) : isAddress(client) ? Ipv4.parse(client) : client;
            if (PARSED.size() >= 1024) {
                PARSED.clear(); // rules are configuration: this bounds a long run of changing ones
            }
            PARSED.put(client, p);
        }
        return p;
    }

    private static boolean isAddress(String s) {
        if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        try {
            Ipv4.parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The client as an external server must see it: a cluster node's name becomes its
     * address (exportfs and ganesha resolve names through DNS, which may not know the nodes).
     */
    public String resolvedClient(Cluster cluster) {
        if (cluster != null && !client.equals("*") && !client.contains("/") && !isAddress(client)) {
            for (Node n : cluster.nodes()) {
                if (n.hostname().equalsIgnoreCase(client) || (n.hostname() + "." + cluster.network().domain()).equalsIgnoreCase(client)) {
                    return Ipv4.format(n.address());
                }
            }
        }
        return client;
    }

    /** The entry as {@code /etc/exports} writes it. */
    public String render() {
        return client + "(" + String.join(",", options) + ")";
    }
}
