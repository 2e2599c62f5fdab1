package io.netboot4j.kerrighed;

/**
 * The answer of {@code krgadm cluster status}: {@code status: up on 6 nodes} or
 * {@code status: down}.
 *
 * @param up whether the cluster runs
 * @param onlineNodes how many nodes take part in it (0 when down)
 * @param text the tool's answer, stripped
 */
public record ClusterStatus(boolean up, int onlineNodes, String text) {

    /**
     * Parses {@code krgadm cluster status}'s answer.
     *
     * @throws IllegalArgumentException quoting the text if it is neither form
     */
    public static ClusterStatus parse(String answer) {
        String t = answer == null ? "" : answer.strip();
        String s = t.toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("status:")) {
            s = s.substring("status:".length()).strip();
        }
        if (s.equals("down")) {
            return new ClusterStatus(false, 0, t);
        }
        var m = java.util.regex.Pattern.compile("up on (\\d{1,6}) nodes?").matcher(s);
        if (m.matches()) {
            return new ClusterStatus(true, Integer.parseInt(m.group(1)), t);
        }
        throw new IllegalArgumentException("'" + t + "' is not a krgadm cluster status: expected 'status: up on N nodes' or 'status: down'");
    }
}
