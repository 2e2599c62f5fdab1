package io.netboot4j.kerrighed;

import io.netboot4j.core.Cluster;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guide's section 2.3 as calls: {@code krgadm} and {@code krgcapset} run through a
 * {@link CommandRunner} (locally on a node, or on a node over SSH), their answers parsed.
 *
 * {@snippet :
 * try (SshCommandRunner node = SshCommandRunner.to("192.168.1.101").password("secret").open()) {
 *     KerrighedAdmin admin = new KerrighedAdmin(node);
 *     admin.awaitNodes(cluster, Duration.ofMinutes(5));   // krgadm nodes lists all six
 *     admin.clusterStart();                                // krgadm cluster start
 *     admin.allowMigrationOfChildren(shellPid);            // krgcapset -k <pid> -d +CAN_MIGRATE
 * }
 * }
 *
 * <p>A tool that exits with a non-zero status, or that reports a failure in its output
 * while exiting with 0 (as {@code krgcapset} does), raises a {@link CommandFailedException}
 * carrying the command, exit code and output.
 */
public final class KerrighedAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(KerrighedAdmin.class);

    private final CommandRunner runner;
    private final String krgadm;
    private final String krgcapset;
    private final Duration pollInterval;

    /** Runs {@code krgadm} and {@code krgcapset} found on the {@code PATH} of {@code runner}. */
    public KerrighedAdmin(CommandRunner runner) {
        this(runner, "krgadm", "krgcapset", Duration.ofSeconds(1));
    }

    /**
     * @param runner where the tools run
     * @param krgadm the {@code krgadm} program (a name on the {@code PATH} or a path)
     * @param krgcapset the {@code krgcapset} program
     * @param pollInterval how often {@link #awaitNodes} asks
     */
    public KerrighedAdmin(CommandRunner runner, String krgadm, String krgcapset, Duration pollInterval) {
        if (runner == null || krgadm == null || krgadm.isBlank() || krgcapset == null || krgcapset.isBlank()) {
            throw new IllegalArgumentException("runner and tool names must be given");
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval " + pollInterval + " must be positive");
        }
        this.runner = runner;
        this.krgadm = krgadm;
        this.krgcapset = krgcapset;
        this.pollInterval = pollInterval;
    }

    /**
     * {@code krgadm nodes}: the nodes present, as {@code node_id:session} pairs
     * ({@code 101:1 102:1 ...}), sorted by node id.
     *
     * @throws CommandFailedException if the tool fails or answers in another format
     */
    public List<KrgNode> nodes() throws IOException, InterruptedException {
        CommandResult r = run(Command.of(krgadm, "nodes"));
        List<KrgNode> nodes = new ArrayList<>();
        for (String token : r.stdout().strip().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            try {
                nodes.add(KrgNode.parse(token));
            } catch (IllegalArgumentException e) {
                throw new CommandFailedException(r, "answered '" + token + "', which is not node_id:session");
            }
        }
        nodes.sort(null);
        return List.copyOf(nodes);
    }

    /**
     * {@code krgadm cluster start}.
     *
     * @throws CommandFailedException if the tool fails or reports {@code fail (...)}
     */
    public void clusterStart() throws IOException, InterruptedException {
        run(Command.of(krgadm, "cluster", "start"));
    }

    /**
     * {@code krgadm cluster status}.
     *
     * @throws CommandFailedException if the tool fails or answers in another format
     */
    public ClusterStatus clusterStatus() throws IOException, InterruptedException {
        CommandResult r = run(Command.of(krgadm, "cluster", "status"));
        try {
            return ClusterStatus.parse(r.stdout());
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(r, "answered in an unknown format: " + e.getMessage());
        }
    }

    /** {@code krgcapset -s}: the capabilities of the process that runs {@code krgcapset} (its parent's, as the tool reports them). */
    public KrgCapabilities capabilities() throws IOException, InterruptedException {
        return parseCapabilities(run(Command.of(krgcapset, "-s")));
    }

    /** {@code krgcapset -k <pid> -s}: the capabilities of process {@code pid}. */
    public KrgCapabilities capabilities(long pid) throws IOException, InterruptedException {
        return parseCapabilities(run(Command.of(krgcapset, "-k", pid(pid), "-s")));
    }

    /**
     * {@code krgcapset -k <pid> -e +CAN_MIGRATE}: lets process {@code pid} itself migrate.
     *
     * @throws CommandFailedException if the tool fails, reports it could not set the
     *     capabilities, or stops to ask for confirmation (it does when the change would drop
     *     {@code CHANGE_KERRIGHED_CAP}; nothing is changed then)
     */
    public void allowMigration(long pid) throws IOException, InterruptedException {
        run(Command.of(krgcapset, "-k", pid(pid), "-e", "+" + KrgCapabilities.CAN_MIGRATE));
    }

    /**
     * {@code krgcapset -k <pid> -d +CAN_MIGRATE}, the guide's {@code krgcapset -k $$ -d +CAN_MIGRATE}:
     * every process that {@code pid} (typically a login shell) starts from now on may migrate.
     *
     * @throws CommandFailedException as {@link #allowMigration(long)}
     */
    public void allowMigrationOfChildren(long pid) throws IOException, InterruptedException {
        run(Command.of(krgcapset, "-k", pid(pid), "-d", "+" + KrgCapabilities.CAN_MIGRATE));
    }

    /**
     * Asks {@code krgadm nodes} until every node of the cluster is listed with the
     * cluster's session (see {@link KerrighedFiles#expectedNodes(Cluster)}).
     *
     * @return the last answer
     * @throws TimeoutException naming the nodes still missing (and the last tool failure, if any)
     */
    public List<KrgNode> awaitNodes(Cluster cluster, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return awaitNodes(KerrighedFiles.expectedNodes(cluster), timeout);
    }

    /**
     * Asks {@code krgadm nodes} every poll interval until every one of {@code expected} is
     * listed. A tool failure while waiting (Kerrighed still loading) is remembered and
     * asked again.
     *
     * @return the last answer, which contains all of {@code expected}
     * @throws TimeoutException naming the nodes still missing (and the last tool failure, if any)
     */
    public List<KrgNode> awaitNodes(Collection<KrgNode> expected, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        Set<KrgNode> want = new TreeSet<>(expected);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<KrgNode> last = List.of();
        CommandFailedException lastFailure = null;
        while (true) {
            try {
                last = nodes();
                lastFailure = null;
                if (last.containsAll(want)) {
                    return last;
                }
            } catch (CommandFailedException e) {
                lastFailure = e;
                LOG.debug("krgadm nodes failed while waiting for nodes: {}", e.getMessage());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                Set<KrgNode> missing = new TreeSet<>(want);
                missing.removeAll(last);
                TimeoutException t = new TimeoutException("after " + timeout + " krgadm nodes (" + runner.describe()
                        + ") still lacks " + join(missing) + "; last answer: '" + join(last) + "'"
                        + (lastFailure == null ? "" : "; last failure: " + lastFailure.getMessage()));
                if (lastFailure != null) {
                    t.initCause(lastFailure);
                }
                throw t;
            }
            Thread.sleep(Math.min(pollInterval.toMillis(), Math.max(1, left / 1_000_000)));
        }
    }

    private static String join(Collection<KrgNode> nodes) {
        return String.join(" ", nodes.stream().map(KrgNode::toString).toList());
    }

    private static String pid(long pid) {
        if (pid < 1) {
            throw new IllegalArgumentException("process id " + pid + " must be positive");
        }
        return Long.toString(pid);
    }

    private KrgCapabilities parseCapabilities(CommandResult r) {
        try {
            return KrgCapabilities.parse(r.stdout());
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(r, "answered in an unknown format: " + e.getMessage());
        }
    }

    /** Runs a tool; a non-zero exit, or a failure the tool prints but exits 0 for, throws. */
    private CommandResult run(Command command) throws IOException, InterruptedException {
        CommandResult r = runner.run(command);
        r.orThrow();
        for (String line : r.output().lines().toList()) {
            String l = line.strip();
            if (l.startsWith("Unable to") || l.startsWith("Unrecognized capability") || l.startsWith("Must be run inside")
                    || l.contains(" fail (") || l.endsWith("fail") || l.startsWith("Conflict in implementation")) {
                throw new CommandFailedException(r, "reported '" + l + "'");
            }
            if (l.startsWith("Are you sure you want to loose")) {
                throw new CommandFailedException(r, "asked to confirm dropping CHANGE_KERRIGHED_CAP and changed nothing");
            }
        }
        return r;
    }
}
