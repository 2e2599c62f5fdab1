package io.netboot4j.kerrighed;

/**
 * One entry of {@code krgadm nodes}: a Kerrighed node id and its session, printed
 * {@code node_id:session} (the guide: {@code 101:1}).
 *
 * @param nodeId the node id (the last octet of the node's address)
 * @param session the session id
 */
public record KrgNode(int nodeId, int session) implements Comparable<KrgNode> {

    /** @throws IllegalArgumentException if either number is negative */
    public KrgNode {
        if (nodeId < 0 || session < 0) {
            throw new IllegalArgumentException("node id and session must not be negative: " + nodeId + ":" + session);
        }
    }

    /**
     * Parses {@code node_id:session}, for example {@code 101:1}.
     *
     * @throws IllegalArgumentException naming the text if it is not two decimal numbers joined by a colon
     */
    public static KrgNode parse(String text) {
        String t = text == null ? "" : text.strip();
        int colon = t.indexOf(':');
        if (colon <= 0 || colon == t.length() - 1 || !digits(t.substring(0, colon)) || !digits(t.substring(colon + 1))) {
            throw new IllegalArgumentException("'" + text + "' is not a krgadm node entry: expected node_id:session such as 101:1");
        }
        return new KrgNode(Integer.parseInt(t.substring(0, colon)), Integer.parseInt(t.substring(colon + 1)));
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Orders by node id, then session. */
    @Override
    public int compareTo(KrgNode o) {
        int c = Integer.compare(nodeId, o.nodeId);
        return c != 0 ? c : Integer.compare(session, o.session);
    }

    /** {@code node_id:session}. */
    @Override
    public String toString() {
        return nodeId + ":" + session;
    }
}
