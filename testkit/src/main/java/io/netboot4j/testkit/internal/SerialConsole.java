package io.netboot4j.testkit.internal;

import io.netboot4j.testkit.VirtualNode.ConsoleLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A machine's serial console, read line by line on a thread of its own from the stream the
 * machine writes it to: escape sequences and control characters removed, each line stamped
 * with its time after power-on, at most {@value #MAX_LINES} kept, the raw bytes copied to an
 * optional log. What {@link io.netboot4j.testkit.VirtualNode}'s console methods read.
 */
public final class SerialConsole {

    private static final Logger LOG = LoggerFactory.getLogger(SerialConsole.class);
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[()][0-9A-Za-z]|\u001B[=>c78]");
    static final int MAX_LINES = 20_000;
    private static final long QUIET_NANOS = Duration.ofMillis(500).toNanos();

    private final String owner;
    private final long startedNanos;
    private final OutputStream log;
    private final List<ConsoleLine> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private long lastOutputNanos = System.nanoTime();
    private final Thread reader;

    /**
     * Starts reading {@code output} until it ends.
     *
     * @param owner the machine in thread names, logs and messages, for example {@code virtual node n1}
     * @param output what the machine writes to its console
     * @param log receives the raw bytes as well (closed when the output ends), or null
     * @param startedNanos the machine's power-on ({@link System#nanoTime()})
     */
    public SerialConsole(String owner, InputStream output, OutputStream log, long startedNanos) {
        this.owner = owner;
        this.log = log;
        this.startedNanos = startedNanos;
        this.reader = Thread.ofPlatform().daemon().name("console-" + owner.replace(' ', '-')).start(() -> read(output));
    }

    /** Every complete line so far. */
    public List<ConsoleLine> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The last {@code n} lines (and the unfinished one), joined with newlines, for messages. */
    public String tail(int n) {
        synchronized (lines) {
            List<String> tail = new ArrayList<>();
            for (int i = Math.max(0, lines.size() - n); i < lines.size(); i++) {
                tail.add(lines.get(i).text());
            }
            if (!partial.isEmpty()) {
                tail.add(clean(partial.toString()));
            }
            return String.join("\n", tail);
        }
    }

    /**
     * Waits until a line from index {@code fromLine} on matches {@code pattern}
     * ({@link Matcher#find()}); the unfinished last line counts once the console has been quiet
     * for half a second (a {@code login:} prompt ends without a newline).
     *
     * @param ended how the machine ended, for the message when the console ends first
     * @throws TimeoutException with the console's tail, if no line matched in time or the console ended first
     */
    public ConsoleLine await(Pattern pattern, int fromLine, Duration timeout, Supplier<String> ended)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = fromLine;
        synchronized (lines) {
            while (true) {
                for (; next < lines.size(); next++) {
                    ConsoleLine l = lines.get(next);
                    if (pattern.matcher(l.text()).find()) {
                        return l;
                    }
                }
                // The unfinished line counts once the console has been quiet for a while: a prompt
                // waits for input, while a line still being printed may match too early.
                boolean quiet = System.nanoTime() - lastOutputNanos > QUIET_NANOS;
                String unfinished = quiet ? clean(partial.toString()) : "";
                if (!unfinished.isEmpty() && pattern.matcher(unfinished).find()) {
                    return new ConsoleLine(lines.size(), sinceStart(), unfinished);
                }
                if (!reader.isAlive()) {
                    throw new TimeoutException(owner + " stopped (" + ended.get() + ") before its console showed /" + pattern
                            + "/; console tail:\n" + tail(25));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(owner + ": no console line matched /" + pattern + "/ within "
                            + timeout + "; console tail:\n" + tail(25));
                }
                lines.wait(Math.max(1, Math.min(left / 1_000_000, 200)));
            }
        }
    }

    /** Waits up to {@code timeout} for the output to end and its last line to be read. */
    public void join(Duration timeout) throws InterruptedException {
        reader.join(timeout);
    }

    private Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private void read(InputStream output) {
        byte[] buf = new byte[8192];
        var pending = new java.io.ByteArrayOutputStream();
        try (InputStream in = output) {
            int n;
            while ((n = in.read(buf)) > 0) {
                copyToLog(buf, n);
                synchronized (lines) {
                    lastOutputNanos = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        byte c = buf[i];
                        if (c == '\n') {
                            partial.append(pending.toString(StandardCharsets.UTF_8));
                            pending.reset();
                            addLine(clean(partial.toString()));
                            partial.setLength(0);
                        } else {
                            pending.write(c);
                        }
                    }
                    partial.append(pending.toString(StandardCharsets.UTF_8));
                    pending.reset();
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            LOG.debug("console of {} closed: {}", owner, e.toString());
        } finally {
            synchronized (lines) {
                if (!partial.isEmpty()) {
                    addLine(clean(partial.toString()));
                    partial.setLength(0);
                }
                lines.notifyAll();
            }
            if (log != null) {
                try {
                    log.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    private void copyToLog(byte[] buf, int n) {
        if (log != null) {
            try {
                log.write(buf, 0, n);
                log.flush();
            } catch (IOException e) {
                LOG.debug("cannot write console log of {}: {}", owner, e.toString());
            }
        }
    }

    private void addLine(String text) {
        if (lines.size() >= MAX_LINES) {
            return;
        }
        lines.add(new ConsoleLine(lines.size(), sinceStart(), text));
        LOG.trace("[{}] {}", owner, text);
    }

    /**
     * Removes ANSI escape sequences and control characters; the pieces of a line that
     * carriage returns separate (iPXE redraws its prompts) are joined with a space.
     */
    public static String clean(String raw) {
        String s = ANSI.matcher(raw).replaceAll("");
        List<String> pieces = new ArrayList<>();
        for (String piece : s.split("\r")) {
            StringBuilder b = new StringBuilder(piece.length());
            for (int i = 0; i < piece.length(); i++) {
                char c = piece.charAt(i);
                if (c >= 0x20 && c != 0x7F || c == '\t') {
                    b.append(c);
                }
            }
            String t = b.toString().strip();
            if (!t.isEmpty()) {
                pieces.add(t);
            }
        }
        return String.join(" ", pieces);
    }
}
