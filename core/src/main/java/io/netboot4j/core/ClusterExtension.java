package io.netboot4j.core;

import java.util.List;

/**
 * A typed addition to a cluster description, such as Kerrighed's session settings.
 * Added with {@link ClusterBuilder#with(ClusterExtension)} and read back with
 * {@link Cluster#extension(Class)}; one instance per class.
 */
public interface ClusterExtension {

    /** A short name used in messages, for example {@code kerrighed}. */
    String name();

    /**
     * Adds every problem this extension finds in the otherwise valid-looking cluster to
     * {@code problems}, one sentence each. Called by {@link ClusterBuilder#build()}.
     */
    default void validate(Cluster cluster, List<String> problems) {
    }

    /** Kernel arguments this extension adds for {@code node} (for example {@code node_id=101}). */
    default List<String> kernelArguments(Cluster cluster, Node node) {
        return List.of();
    }
}
