package io.netboot4j.core.net;

import java.util.concurrent.Callable;

/** The JVM's own network: blocks run on the calling thread. */
enum HostNetwork implements NetworkSeam {
    INSTANCE;

    @Override
    public <T> T call(Callable<T> block) throws Exception {
        return block.call();
    }

    @Override
    public String describe() {
        return "host network";
    }
}
