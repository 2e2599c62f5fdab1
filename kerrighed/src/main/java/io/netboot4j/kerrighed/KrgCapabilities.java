package io.netboot4j.kerrighed;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A process's Kerrighed capabilities as {@code krgcapset -s} prints them: four sets of
 * capability names such as {@code CAN_MIGRATE}.
 *
 * <pre>
 * Permitted Capabilities: 037
 * 	CHANGE_KERRIGHED_CAP, CAN_MIGRATE, DISTANT_FORK, FORK_DELAY, CHECKPOINTABLE
 * Effective Capabilities: 03
 * 	CHANGE_KERRIGHED_CAP, CAN_MIGRATE
 * Inheritable Permitted Capabilities: 037
 * 	...
 * Inheritable Effective Capabilities: 0
 * </pre>
 *
 * @param permitted what the process may enable
 * @param effective what is in force for the process
 * @param inheritablePermitted what its children may enable
 * @param inheritableEffective what is in force for its children
 */
public record KrgCapabilities(Set<String> permitted, Set<String> effective, Set<String> inheritablePermitted,
                              Set<String> inheritableEffective) {

    /** The capability that lets a process migrate between nodes. */
    public static final String CAN_MIGRATE = "CAN_MIGRATE";

    private static final List<String> HEADERS = List.of("Permitted Capabilities:", "Effective Capabilities:",
            "Inheritable Permitted Capabilities:", "Inheritable Effective Capabilities:");

    /** Copies the sets. */
    public KrgCapabilities {
        permitted = Set.copyOf(permitted);
        effective = Set.copyOf(effective);
        inheritablePermitted = Set.copyOf(inheritablePermitted);
        inheritableEffective = Set.copyOf(inheritableEffective);
    }

    /** Whether the process may migrate now ({@code CAN_MIGRATE} effective). */
    public boolean canMigrate() {
        return effective.contains(CAN_MIGRATE);
    }

    /** Whether processes the process starts may migrate ({@code CAN_MIGRATE} inheritable effective). */
    public boolean childrenCanMigrate() {
        return inheritableEffective.contains(CAN_MIGRATE);
    }

    /**
     * Parses {@code krgcapset -s}'s answer: each header with its octal value, then the
     * names, comma-separated on lines that start with a tab.
     *
     * @throws IllegalArgumentException naming the line that does not fit, or a missing header
     */
    public static KrgCapabilities parse(String answer) {
        List<Set<String>> sets = new ArrayList<>();
        Set<String> current = null;
        int lineNo = 0;
        for (String line : (answer == null ? "" : answer).split("\n")) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            int header = sets.size() < HEADERS.size() && l.startsWith(HEADERS.get(sets.size())) ? sets.size() : -1;
            if (header >= 0) {
                String value = l.substring(HEADERS.get(header).length()).strip();
                if (!value.matches("0[0-7]*")) {
                    throw new IllegalArgumentException("krgcapset line " + lineNo + " '" + l + "' has no octal value");
                }
                current = new LinkedHashSet<>();
                sets.add(current);
                continue;
            }
            if (current == null || !line.startsWith("\t") && !line.startsWith(" ")) {
                throw new IllegalArgumentException("krgcapset line " + lineNo + " '" + l + "' is neither a capability header nor a list of names");
            }
            for (String name : l.split(",")) {
                String n = name.strip();
                if (!n.matches("[A-Z][A-Z0-9_]*")) {
                    throw new IllegalArgumentException("krgcapset line " + lineNo + " has '" + n + "', which is not a capability name");
                }
                current.add(n);
            }
        }
        if (sets.size() != HEADERS.size()) {
            throw new IllegalArgumentException("krgcapset answer lacks '" + HEADERS.get(sets.size()) + "'");
        }
        return new KrgCapabilities(sets.get(0), sets.get(1), sets.get(2), sets.get(3));
    }
}
