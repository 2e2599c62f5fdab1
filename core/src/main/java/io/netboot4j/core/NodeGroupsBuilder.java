package io.netboot4j.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The node groups a {@link ClusterBuilder} describes: defined, copied by {@code toBuilder()}, checked and built, with their own roots. */
final class NodeGroupsBuilder {

    /** Names of the boot tree's own top-level folders, which a group's folder must not shadow. */
    private static final List<String> TREE_FOLDERS = List.of("pxelinux.cfg", "grub", "efi", "boot");

    /** A group: the profile it was copied with (or null: the cluster's at build), then the specs given here. */
    private record Entry(BootProfile base, List<Consumer<ClusterBuilder.BootBuilder>> specs, boolean inherited) {
    }

    /**
     * A group's own root: the one copied by {@code toBuilder()} (or null), the spec given here
     * (null if none), and whether this builder set or cleared it.
     */
    private record RootEntry(RootFilesystem copied, Consumer<ClusterBuilder.RootBuilder> spec, boolean changedHere) {
    }

    private final Map<String, Entry> groups = new LinkedHashMap<>();
    private final Map<String, RootEntry> roots = new java.util.HashMap<>();
    /** The cluster's profile when the groups were copied, so that a group follows what it had not changed. */
    private BootProfile copiedCluster;

    void copy(List<NodeGroup> from, BootProfile cluster) {
        copiedCluster = cluster;
        from.forEach(g -> groups.put(g.name(), new Entry(g.boot(), List.of(), true)));
        from.forEach(g -> g.rootFilesystem().ifPresent(r -> roots.put(g.name(), new RootEntry(r, null, false))));
    }

    /** Gives group {@code name} its own root ({@code spec}), or the cluster's again ({@code spec} null). */
    void root(String name, Consumer<ClusterBuilder.RootBuilder> spec) {
        if (!groups.containsKey(name)) {
            throw new IllegalArgumentException("no group '" + name + "' to give a root filesystem; define it first with group(\""
                    + name + "\", b -> ...)");
        }
        RootEntry old = roots.get(name);
        if (old != null && old.changedHere()) {
            throw new IllegalStateException("the root filesystem of group " + name + " was already set");
        }
        roots.put(name, new RootEntry(old == null ? null : old.copied(), spec, true));
    }

    /**
     * A copied group's profile on top of the cluster's new one: each setting the group had
     * left as the cluster's follows the cluster (kernel, initrd, boot files, chain; the
     * cluster's arguments before the group's own).
     */
    private BootProfile rebase(BootProfile group, BootProfile now) {
        BootProfile was = copiedCluster;
        if (was == null || now == null || was.equals(now)) {
            return group;
        }
        List<String> append = group.append();
        if (append.size() >= was.append().size() && append.subList(0, was.append().size()).equals(was.append())) {
            List<String> merged = new ArrayList<>(now.append());
            merged.addAll(append.subList(was.append().size(), append.size()));
            append = merged;
        }
        return new BootProfile(pick(group.kernel(), was.kernel(), now.kernel()), pick(group.initrd(), was.initrd(), now.initrd()),
                append, pick(group.biosBootFile(), was.biosBootFile(), now.biosBootFile()),
                pick(group.uefiBootFile(), was.uefiBootFile(), now.uefiBootFile()),
                pick(group.ipxeBootFile(), was.ipxeBootFile(), now.ipxeBootFile()),
                pick(group.uefiChain(), was.uefiChain(), now.uefiChain()));
    }

    private static <T> T pick(T group, T was, T now) {
        return java.util.Objects.equals(group, was) ? now : group;
    }

    void define(String name, Consumer<ClusterBuilder.BootBuilder> spec) {
        NodeGroup.requireName(name);
        if (spec == null) {
            throw new IllegalArgumentException("group " + name + " needs a boot spec, for example b -> b.append(\"quiet\")");
        }
        Entry old = groups.get(name);
        if (old != null && !old.inherited()) {
            throw new IllegalStateException("group " + name + " was already defined");
        }
        for (String other : groups.keySet()) {
            if (!other.equals(name) && other.equalsIgnoreCase(name)) {
                throw new IllegalArgumentException("group name '" + name + "' differs from group '" + other + "' only in case");
            }
        }
        groups.put(name, new Entry(old == null ? null : old.base(), List.of(spec), false));
    }

    void remove(String name) {
        if (groups.remove(name) == null) {
            throw new IllegalArgumentException("no group '" + name + "' to remove");
        }
        roots.remove(name);
    }

    /**
     * The groups, each profile made from its base (else {@code cluster}'s) and its specs, each
     * own root checked against {@code clusterRoot} (if known) and the others; problems added to
     * {@code problems}.
     */
    List<NodeGroup> build(BootProfile cluster, RootFilesystem clusterRoot, List<Node> nodes, List<String> problems) {
        List<NodeGroup> out = new ArrayList<>();
        for (var e : groups.entrySet()) {
            String name = e.getKey();
            Entry entry = e.getValue();
            BootProfile base = entry.base() != null ? rebase(entry.base(), cluster) : cluster;
            ClusterBuilder.BootBuilder b = base == null ? new ClusterBuilder.BootBuilder() : ClusterBuilder.BootBuilder.of(base);
            try {
                entry.specs().forEach(s -> s.accept(b));
            } catch (IllegalArgumentException | IllegalStateException x) {
                problems.add("group " + name + ": " + x.getMessage());
                continue;
            }
            BootProfile p = b.build();
            if (p.kernel() == null) {
                problems.add("group " + name + " has no kernel: give the cluster one, or the group with group(\"" + name + "\", b -> b.kernel(path))");
                continue;
            }
            check(name, p, cluster, problems);
            out.add(new NodeGroup(name, p, root(name, problems)));
        }
        GroupRoots.check(clusterRoot, out, problems);
        for (Node n : nodes) {
            n.group().filter(g -> !groups.containsKey(g)).ifPresent(g -> problems.add("node " + n.hostname() + " is in group '" + g
                    + "', which is not defined; define it with group(\"" + g + "\", b -> ...) or choose one of " + groups.keySet()));
        }
        return out;
    }

    /** Group {@code name}'s own root: the copied one changed by the spec given here, or none; problems named after the group. */
    private Optional<RootFilesystem> root(String name, List<String> problems) {
        RootEntry e = roots.get(name);
        if (e == null || (e.changedHere() && e.spec() == null)) {
            return Optional.empty();
        }
        if (e.spec() == null) {
            return Optional.of(e.copied());
        }
        ClusterBuilder.RootBuilder b = e.copied() == null ? new ClusterBuilder.RootBuilder() : ClusterBuilder.RootBuilder.of(e.copied());
        List<String> own = new ArrayList<>();
        try {
            e.spec().accept(b);
        } catch (IllegalArgumentException | IllegalStateException x) {
            own.add(x.getMessage());
        }
        RootFilesystem r = null;
        if (own.isEmpty() && b.path() == null) {
            own.add("its root filesystem has no path: groupRoot(\"" + name + "\", r -> r.path(\"/nfsroot/" + name + "\"))");
        } else if (own.isEmpty()) {
            r = b.build(own);
        }
        own.forEach(x -> problems.add("group " + name + ": " + x));
        return own.isEmpty() ? Optional.of(r) : Optional.empty();
    }

    private static void check(String name, BootProfile p, BootProfile cluster, List<String> problems) {
        if (cluster == null) {
            return;
        }
        if (!p.biosBootFile().equals(cluster.biosBootFile()) || !p.ipxeBootFile().equals(cluster.ipxeBootFile())) {
            problems.add("group " + name + " changes the BIOS or iPXE boot file name (" + p.biosBootFile() + ", " + p.ipxeBootFile()
                    + "): DHCP names the cluster's (" + cluster.biosBootFile() + ", " + cluster.ipxeBootFile()
                    + "); a group chooses its loaders with uefiChain");
        }
        List<String> taken = new ArrayList<>(TREE_FOLDERS);
        taken.add(cluster.kernelFileName());
        cluster.initrdFileName().ifPresent(taken::add);
        for (String f : List.of(cluster.biosBootFile(), cluster.uefiBootFile(), cluster.ipxeBootFile())) {
            taken.add(f.contains("/") ? f.substring(0, f.indexOf('/')) : f);
        }
        if (taken.stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))) {
            problems.add("group name '" + name + "' is also a file or folder of the boot tree (" + String.join(", ", taken)
                    + "): choose another name");
        }
        missing(name, "kernel", Optional.of(p.kernel()), Optional.of(cluster.kernel()), problems);
        missing(name, "initrd", p.initrd(), cluster.initrd(), problems);
    }

    /** A group's own kernel or initrd (not the cluster's, which the boot services check) must be a file. */
    private static void missing(String name, String what, Optional<Path> own, Optional<Path> clusters, List<String> problems) {
        own.filter(f -> !own.equals(clusters) && !Files.isRegularFile(f)).ifPresent(f -> problems.add("group " + name + " " + what
                + " " + f + " is not a file"));
    }
}
