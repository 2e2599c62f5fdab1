package io.netboot4j.core;

import java.util.List;

/**
 * Thrown by {@link ClusterBuilder#build()} when the cluster description is invalid; lists
 * every problem found, not just the first.
 */
public final class ClusterConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The problems, one sentence each. */
    private final List<String> problems;

    /** @param clusterName the cluster's name; @param problems at least one problem */
    public ClusterConfigException(String clusterName, List<String> problems) {
        super(message(clusterName, problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(String name, List<String> problems) {
        StringBuilder b = new StringBuilder("cluster '").append(name).append("' has ")
                .append(problems.size()).append(problems.size() == 1 ? " problem:" : " problems:");
        for (String p : problems) {
            b.append("\n  - ").append(p);
        }
        return b.toString();
    }

    /** Every problem found, in the order the checks ran. */
    public List<String> problems() {
        return problems;
    }
}
