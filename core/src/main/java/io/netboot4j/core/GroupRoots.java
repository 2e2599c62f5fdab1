package io.netboot4j.core;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules between the cluster's root filesystem and the node groups' own ones, which the
 * head exports side by side: a group's root is a folder that exists; two exports never nest
 * (a file would belong to both, and a handle of one could name a file of the other); one
 * folder named twice is one export, so it has one set of export options.
 */
final class GroupRoots {

    /** A root and who named it, for messages. */
    private record Owned(String owner, RootFilesystem root) {
    }

    private GroupRoots() {
    }

    /** Adds a problem for each group root that is missing, nests with another root, or repeats one with other options. */
    static void check(RootFilesystem clusterRoot, List<NodeGroup> groups, List<String> problems) {
        List<Owned> all = new ArrayList<>();
        if (clusterRoot != null) {
            all.add(new Owned("the cluster", clusterRoot));
        }
        for (NodeGroup g : groups) {
            g.rootFilesystem().ifPresent(r -> {
                if (!Files.isDirectory(r.path(), LinkOption.NOFOLLOW_LINKS)) {
                    problems.add("group " + g.name() + " root filesystem " + r.path()
                            + " is not a folder: build it first (prepare() builds the cluster's root only)");
                }
                all.add(new Owned("group " + g.name(), r));
            });
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                problem(all.get(j), all.get(i)).ifPresent(problems::add);
            }
        }
    }

    /** What is wrong between a group's root {@code a} and an earlier root {@code b}, if anything. */
    private static java.util.Optional<String> problem(Owned a, Owned b) {
        Path pa = a.root().path();
        Path pb = b.root().path();
        if (pa.equals(pb)) {
            List<String> oa = a.root().allExportOptions();
            List<String> ob = b.root().allExportOptions();
            return oa.equals(ob) ? java.util.Optional.empty() : java.util.Optional.of(a.owner() + " root filesystem " + pa
                    + " is also the root filesystem of " + b.owner() + " with other export options (" + String.join(",", oa)
                    + " against " + String.join(",", ob) + "): one folder is one export; give both the same mode and options");
        }
        if (pa.startsWith(pb) || pb.startsWith(pa)) {
            return java.util.Optional.of(a.owner() + " root filesystem " + pa + (pa.startsWith(pb) ? " is inside " : " contains ")
                    + "the root filesystem " + pb + " of " + b.owner()
                    + ": exports must not nest (a file would belong to two exports); choose folders side by side");
        }
        return java.util.Optional.empty();
    }
}
