package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Every parser of tool answers and config text: round trips, and nothing but IllegalArgumentException on junk. */
class ParserPropertiesTest {

    private static final List<String> CAPS = List.of("CHANGE_KERRIGHED_CAP", "CAN_MIGRATE", "DISTANT_FORK", "FORK_DELAY",
            "CHECKPOINTABLE", "USE_REMOTE_MEMORY", "USE_INTRA_CLUSTER_KERSTREAMS", "SEE_LOCAL_PROC_STAT", "DEBUG");

    @Property
    void krgNodeRoundTrips(@ForAll @IntRange(min = 0, max = 999_999) int node, @ForAll @IntRange(max = 254) int session) {
        KrgNode n = new KrgNode(node, session);
        assertThat(KrgNode.parse(n.toString())).isEqualTo(n);
    }

    @net.jqwik.api.Example
    void leadingZerosAreNumbers() {
        assertThat(KrgNode.parse("007:01")).isEqualTo(new KrgNode(7, 1));
    }

    @Property
    void krgNodeParseRejectsJunkCleanly(@ForAll String junk) {
        try {
            KrgNode n = KrgNode.parse(junk);
            assertThat(junk.strip()).as("only node_id:session parses").matches("\\d+:\\d+");
            String[] parts = junk.strip().split(":");
            assertThat(n).isEqualTo(new KrgNode(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
        } catch (IllegalArgumentException expected) {
            // dropped with a message
        }
    }

    @Property
    void clusterStatusParseRejectsJunkCleanly(@ForAll String junk) {
        try {
            ClusterStatus.parse(junk);
        } catch (IllegalArgumentException expected) {
            // dropped with a message
        }
    }

    @Property
    void clusterStatusRoundTrips(@ForAll @IntRange(min = 1, max = 256) int nodes) {
        assertThat(ClusterStatus.parse("status: up on " + nodes + " nodes\n")).isEqualTo(new ClusterStatus(true, nodes,
                "status: up on " + nodes + " nodes"));
    }

    @Provide
    Arbitrary<Set<String>> capSets() {
        return Arbitraries.of(CAPS).set().ofMaxSize(CAPS.size());
    }

    /** krgcapset's print_capability: names after a tab, comma-separated, wrapped before column 80. */
    private static String krgcapsetList(Set<String> names) {
        StringBuilder b = new StringBuilder();
        int col = 8;
        boolean first = true;
        for (String n : CAPS) {
            if (!names.contains(n)) {
                continue;
            }
            int len = n.length() + 2;
            if (col + len < 80) {
                b.append(first ? "\t" : ", ");
                if (!first) {
                    len += 2;
                }
            } else {
                b.append("\n\t");
                col = 8;
            }
            first = false;
            b.append(n);
            col += len;
        }
        return b.append('\n').toString();
    }

    @Property
    void capabilitiesRoundTrip(@ForAll("capSets") Set<String> p, @ForAll("capSets") Set<String> e,
                               @ForAll("capSets") Set<String> ip, @ForAll("capSets") Set<String> ie) {
        String answer = "Permitted Capabilities: 0" + Integer.toOctalString(p.size()) + "\n" + krgcapsetList(p)
                + "Effective Capabilities: 0" + Integer.toOctalString(e.size()) + "\n" + krgcapsetList(e)
                + "Inheritable Permitted Capabilities: 0" + Integer.toOctalString(ip.size()) + "\n" + krgcapsetList(ip)
                + "Inheritable Effective Capabilities: 0" + Integer.toOctalString(ie.size()) + "\n" + krgcapsetList(ie);
        assertThat(KrgCapabilities.parse(answer)).isEqualTo(new KrgCapabilities(p, e, ip, ie));
    }

    @Property
    void capabilitiesParseRejectsMutationsCleanly(@ForAll("capSets") Set<String> p, @ForAll @IntRange(max = 400) int at,
                                                  @ForAll char c) {
        String answer = "Permitted Capabilities: 037\n" + krgcapsetList(p) + "Effective Capabilities: 01\n\tCHANGE_KERRIGHED_CAP\n"
                + "Inheritable Permitted Capabilities: 037\n" + krgcapsetList(p) + "Inheritable Effective Capabilities: 0\n\n";
        StringBuilder m = new StringBuilder(answer);
        m.insert(Math.min(at, m.length()), c);
        try {
            KrgCapabilities.parse(m.toString());
        } catch (IllegalArgumentException expected) {
            // dropped with a message
        }
    }

    @Provide
    Arbitrary<String> symbols() {
        return Arbitraries.strings().withCharRange('A', 'Z').numeric().withChars('_').ofMinLength(1).ofMaxLength(12);
    }

    @Property
    void fragmentAppliedIsSatisfiedAndIdempotent(@ForAll @Size(max = 8) List<@net.jqwik.api.From("symbols") String> want,
                                                 @ForAll @Size(max = 8) List<@net.jqwik.api.From("symbols") String> present,
                                                 @ForAll @Size(max = 8) List<@net.jqwik.api.From("values") String> values) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < want.size(); i++) {
            settings.put(want.get(i), values.isEmpty() ? "y" : values.get(i % values.size()));
        }
        KernelConfigFragment f = new KernelConfigFragment(settings);
        List<String> lines = new ArrayList<>(List.of("#", "# Automatically generated file; DO NOT EDIT."));
        for (int i = 0; i < present.size(); i++) {
            lines.add(i % 3 == 0 ? "# CONFIG_" + present.get(i) + " is not set" : "CONFIG_" + present.get(i) + "=" + (i % 2 == 0 ? "m" : "y"));
        }
        String config = String.join("\n", lines) + "\n";
        String applied = f.applyTo(config);
        assertThat(f.check(KernelConfig.parse(applied))).isEmpty();
        assertThat(f.applyTo(applied)).isEqualTo(applied);
        for (String p : present) {
            if (!settings.containsKey(p)) {
                assertThat(KernelConfig.parse(applied).value(p)).isEqualTo(KernelConfig.parse(config).value(p));
            }
        }
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("y", "m", "n", "42", "0x1f", "\"console=ttyS0\"");
    }

    @Property
    void kernelConfigParseNeverFails(@ForAll String text) {
        KernelConfig.parse(text);
    }

    @Property(tries = 25)
    void shellQuotingSurvivesARealShell(@ForAll @Size(max = 4) List<@net.jqwik.api.From("shellArgs") String> args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(args);
        String script = Command.of(argv).shellScript();
        CommandResult r = CommandRunner.local().run(Command.of("/bin/sh", "-c", script)).orThrow();
        String expected = args.isEmpty() ? "\0" : String.join("\0", args) + "\0";
        assertThat(r.stdout().getBytes(StandardCharsets.UTF_8)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> shellArgs() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\t', '\n', 'é').ofMaxLength(12);
    }

    @Property
    void grubStanzaAddIsIdempotent(@ForAll @IntRange(min = 1, max = 254) int session, @ForAll @IntRange(min = 1, max = 254) int node,
                                   @ForAll @Size(max = 5) List<@net.jqwik.api.From("menuLines") String> menu) {
        GrubStanza s = GrubStanza.guide(Kerrighed.session(session), node);
        String once = s.addTo(String.join("\n", menu));
        assertThat(s.addTo(once)).isEqualTo(once);
        assertThat(once).contains(s.render());
    }

    @Provide
    Arbitrary<String> menuLines() {
        return Arbitraries.of("default 0", "timeout 3", "", "title Debian", "root (hd0,0)", "kernel /vmlinuz ro", "# comment");
    }
}
