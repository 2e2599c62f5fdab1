package io.netboot4j.kerrighed.internal;

import io.netboot4j.kerrighed.Command;
import io.netboot4j.kerrighed.CommandResult;
import io.netboot4j.kerrighed.CommandRunner;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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

    /** Runs {@code actual}, reporting the result as {@code shown} run {@code where}. */
    static CommandResult run(Command actual, Command shown, String where) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(actual.argv());
        actual.directory().ifPresent(d -> pb.directory(new File(d)));
        pb.environment().putAll(actual.environment());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        LOG.debug("running {} ({})", shown, where);
        Process p = pb.start();
        OutputTail out = new OutputTail(CommandResult.KEPT_CHARACTERS);
        OutputTail err = new OutputTail(CommandResult.KEPT_CHARACTERS);
        Thread outReader = Thread.ofVirtual().name("stdout " + shown.argv().getFirst()).start(() -> drain(p.getInputStream(), out));
        Thread errReader = Thread.ofVirtual().name("stderr " + shown.argv().getFirst()).start(() -> drain(p.getErrorStream(), err));
        int exit;
        try {
            if (p.waitFor(actual.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                exit = p.exitValue();
            } else {
                LOG.warn("{} ({}) ran longer than {}; stopping it", shown, where, actual.timeout());
                stop(p);
                exit = -1;
            }
            outReader.join();
            errReader.join();
        } catch (InterruptedException e) {
            stop(p);
            throw e;
        }
        return new CommandResult(shown, where, exit, out.text(), err.text());
    }

    private static void drain(java.io.InputStream in, OutputTail into) {
        try {
            into.readFrom(in);
        } catch (IOException e) {
            LOG.debug("reading command output failed: {}", e.toString());
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
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
