package io.netboot4j.nfsroot.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/** Two sibling folder names whose ids collide, found by the birthday bound (some 10^5 names for 31-32 bits), for tests. */
public final class Collisions {

    private Collisions() {
    }

    /** Two paths under {@code dir} (not created) with the same {@code id}, the earlier first. */
    public static List<Path> of(Path dir, ToIntFunction<Path> id) {
        Map<Integer, Path> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            Path p = dir.resolve("r" + i);
            Path before = seen.putIfAbsent(id.applyAsInt(p), p);
            if (before != null) {
                return List.of(before, p);
            }
        }
    }
}
