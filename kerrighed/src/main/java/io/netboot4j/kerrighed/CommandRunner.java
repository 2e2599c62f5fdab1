package io.netboot4j.kerrighed;

import io.netboot4j.kerrighed.internal.ChrootRunner;
import io.netboot4j.kerrighed.internal.LocalRunner;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs commands somewhere: on this machine, inside a root filesystem with {@code chroot},
 * or on a node over SSH ({@link SshCommandRunner}). The kernel builds and
 * {@link KerrighedAdmin} run every command through one.
 *
 * <p>Commands get no standard input (it is closed at once), so a tool that asks a
 * question reads end-of-file.
 */
public interface CommandRunner {

    /**
     * Runs {@code command} and waits for it, at most its time limit.
     *
     * @return what it did, whatever its exit status (a command stopped at its limit has exit code -1)
     * @throws IOException if it cannot be started at all
     * @throws InterruptedException if the thread is interrupted while waiting (the command is stopped)
     */
    CommandResult run(Command command) throws IOException, InterruptedException;

    /** Where commands run, for messages: {@code local}, {@code chroot /nfsroot/kerrighed}, {@code ssh root@host:22}. */
    String describe();

    /** Runs commands as child processes of this JVM. */
    static CommandRunner local() {
        return LocalRunner.INSTANCE;
    }

    /**
     * Runs commands inside {@code root} with {@code chroot(8)} (needs root), the way the
     * guide works inside {@code /nfsroot/kerrighed}. Each command runs as
     * {@code chroot <root> /bin/sh -c 'cd <folder> && exec <command>'}, with the standard
     * {@code PATH}; the root must have {@code /bin/sh}.
     *
     * @param root the root filesystem on this host
     */
    static CommandRunner chroot(Path root) {
        return new ChrootRunner(root);
    }
}
