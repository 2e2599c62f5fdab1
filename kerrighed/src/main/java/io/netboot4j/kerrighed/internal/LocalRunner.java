package io.netboot4j.kerrighed.internal;

import io.netboot4j.core.internal.Processes;
import io.netboot4j.kerrighed.Command;
import io.netboot4j.kerrighed.CommandResult;
import io.netboot4j.kerrighed.CommandRunner;
import java.io.File;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs commands as child processes. */
public final class LocalRunner implements CommandRunner {

    /** The one instance. */
    public static final LocalRunner INSTANCE = new LocalRunner();

    private static final Logger LOG = LoggerFactory.getLogger(LocalRunner.class);

    private LocalRunner() {
    }

    @Override
    public CommandResult run(Command command) throws IOException, InterruptedException {
        return run(command, command, describe());
    }

    /** Runs {@code actual} (through core's one process runner), reporting the result as {@code shown} run {@code where}. */
    static CommandResult run(Command actual, Command shown, String where) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(actual.argv());
        actual.directory().ifPresent(d -> pb.directory(new File(d)));
        pb.environment().putAll(actual.environment());
        LOG.debug("running {} ({})", shown, where);
        Processes.Result r = Processes.run(pb, null, actual.timeout(), CommandResult.KEPT_CHARACTERS);
        if (r.timedOut()) {
            LOG.warn("{} ({}) ran longer than {}; stopped it", shown, where, actual.timeout());
        }
        return new CommandResult(shown, where, r.exit(), r.output(), r.error());
    }

    @Override
    public String describe() {
        return "local";
    }

    @Override
    public String toString() {
        return describe();
    }
}
