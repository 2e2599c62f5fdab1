package io.netboot4j.core.internal;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Hostname;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.Node;
import io.netboot4j.core.UefiChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a running cluster learned, as one text file in its work folder: the nodes it adopted
 * and the machines it discovered. Written atomically ({@link AtomicFiles}); read at start.
 * One entry a line, fields separated by one space:
 *
 * <pre>
 * node &lt;host name&gt; &lt;mac&gt; &lt;address&gt; &lt;group or -&gt; &lt;UEFI chain or -&gt; [kernel arguments...]
 * discovered &lt;epoch ms&gt; &lt;mac&gt; &lt;address&gt; &lt;architecture&gt; &lt;relay or -&gt; &lt;vendor class, hex, or -&gt; &lt;guid or -&gt;
 * </pre>
 *
 * A file that cannot be read is an error naming the file, the line and how to go on (it is
 * never replaced silently: a restart must not forget adopted nodes).
 *
 * @param adopted the adopted nodes, in adoption order
 * @param discovered the discovery records, oldest first
 */
public record LearnedState(List<Node> adopted, List<BootEvent.NodeDiscovered> discovered) {

    /** The file's name inside the work folder. */
    public static final String FILE = "learned-state";
    private static final String HEADER = "# netboot4j learned state (adopted nodes, discovered machines); written by the running cluster\n";
    private static final HexFormat HEX = HexFormat.of();

    /** Copies the lists. */
    public LearnedState {
        adopted = List.copyOf(adopted);
        discovered = List.copyOf(discovered);
    }

    /** Nothing learned. */
    public static LearnedState empty() {
        return new LearnedState(List.of(), List.of());
    }

    /**
     * Reads {@code file}; a missing file is {@link #empty()}.
     *
     * @throws IllegalStateException naming the file, the line and its problem if a line cannot be read
     * @throws UncheckedIOException if the file exists but cannot be read
     */
    public static LearnedState read(Path file) {
        if (!Files.exists(file)) {
            return empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the learned state " + file + ": " + e.getMessage(), e);
        }
        List<Node> adopted = new ArrayList<>();
        List<BootEvent.NodeDiscovered> discovered = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "node" -> adopted.add(node(f));
                    case "discovered" -> {
                        fields(f, 8);
                        discovered.add(new BootEvent.NodeDiscovered(Instant.ofEpochMilli(Long.parseLong(f[1])), MacAddress.parse(f[2]),
                                Ipv4.parse(f[3]), Integer.parseInt(f[4]), f[6].equals("-") ? "" : new String(HEX.parseHex(f[6]),
                                StandardCharsets.ISO_8859_1), f[7].equals("-") ? "" : f[7],
                                f[5].equals("-") ? Optional.empty() : Optional.of(Ipv4.parse(f[5]))));
                    }
                    default -> throw new IllegalArgumentException("unknown entry '" + f[0] + "' (expected node or discovered)");
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("the learned state " + file + " is corrupt at line " + (i + 1) + " ('" + line + "'): "
                        + e.getMessage() + "; fix or delete that line, or move the file away to start without what was learned", e);
            }
        }
        return new LearnedState(adopted, discovered);
    }

    /** A node line: name, MAC and address, then (optional for the first form of the file) group, chain and arguments. */
    private static Node node(String[] f) {
        if (f.length != 4 && f.length < 6) {
            throw new IllegalArgumentException("node needs its name, MAC, address, group and UEFI chain, not " + (f.length - 1) + " fields");
        }
        Optional<String> group = f.length < 6 || f[4].equals("-") ? Optional.empty() : Optional.of(f[4]);
        Optional<UefiChain> chain = f.length < 6 || f[5].equals("-") ? Optional.empty() : Optional.of(UefiChain.parse(f[5]));
        List<String> arguments = f.length <= 6 ? List.of() : List.of(f).subList(6, f.length);
        return new Node(Hostname.parse(f[1]), MacAddress.parse(f[2]), Ipv4.parse(f[3]), arguments, chain, group);
    }

    private static void fields(String[] f, int count) {
        if (f.length != count) {
            throw new IllegalArgumentException(f[0] + " needs " + count + " fields, not " + f.length);
        }
    }

    /**
     * Writes this to {@code file} atomically.
     *
     * @throws UncheckedIOException if it cannot be written
     */
    public void write(Path file) {
        StringBuilder out = new StringBuilder(HEADER);
        for (Node n : adopted) {
            out.append("node ").append(n.hostname()).append(' ').append(n.mac()).append(' ').append(Ipv4.format(n.address()))
                    .append(' ').append(n.group().orElse("-")).append(' ').append(n.uefiChain().map(UefiChain::toString).orElse("-"));
            n.kernelArguments().forEach(a -> out.append(' ').append(a));
            out.append('\n');
        }
        for (BootEvent.NodeDiscovered d : discovered) {
            out.append("discovered ").append(d.time().toEpochMilli()).append(' ').append(d.macAddress()).append(' ')
                    .append(Ipv4.format(d.address())).append(' ').append(d.architecture()).append(' ')
                    .append(d.relay().map(Ipv4::format).orElse("-")).append(' ')
                    .append(d.vendorClass().isEmpty() ? "-" : HEX.formatHex(d.vendorClass().getBytes(StandardCharsets.ISO_8859_1)))
                    .append(' ').append(d.guid().isEmpty() ? "-" : d.guid().replace(' ', '_')).append('\n');
        }
        try {
            AtomicFiles.writeString(file, out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the learned state " + file + ": " + e.getMessage(), e);
        }
    }
}
