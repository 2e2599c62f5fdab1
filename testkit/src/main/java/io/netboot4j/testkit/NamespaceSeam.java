package io.netboot4j.testkit;

import io.netboot4j.core.internal.LinuxSyscalls;
import io.netboot4j.core.net.NetworkSeam;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Opens sockets inside a network namespace: blocks run on one platform thread that called
 * {@code setns(2)} on {@code /var/run/netns/<name>} before anything else. Sockets keep
 * the namespace they were made in, so they work from any thread afterwards; threads
 * started from a block (Grizzly's workers, for example) inherit the namespace too.
 */
final class NamespaceSeam implements NetworkSeam, AutoCloseable {

    private final String name;
    private final ExecutorService thread;

    NamespaceSeam(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("netns-" + name).unstarted(r));
        Future<?> entered = thread.submit(() -> {
            LinuxSyscalls.enterNetworkNamespace("/var/run/netns/" + name);
            return null;
        });
        try {
            entered.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
            throw new IllegalStateException("interrupted while entering namespace " + name, e);
        } catch (ExecutionException e) {
            thread.shutdownNow();
            throw new IllegalStateException("cannot enter network namespace " + name + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public <T> T call(Callable<T> block) throws Exception {
        try {
            return thread.submit(block).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw new IOException(e.getCause());
        }
    }

    @Override
    public String describe() {
        return "network namespace " + name;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
