package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.internal.ServiceState;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link ServiceState}: start once, and {@link ServiceState#closeOnce} closing a service's parts once. */
class ServiceStateTest {

    @Test
    void startsOnceAndNotAfterClose() {
        ServiceState state = new ServiceState("the test service");
        state.start();
        assertThat(state.isRunning()).isTrue();
        assertThatThrownBy(state::start).isInstanceOf(IllegalStateException.class).hasMessage("the test service was already started");
        state.closeOnce();
        assertThatThrownBy(state::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("the test service was closed; make a new one");
    }

    @Test
    void closeOnceClosesEveryPartInOrderSkipsMissingOnesAndCollectsFailures() {
        List<String> closed = new CopyOnWriteArrayList<>();
        ServiceState state = new ServiceState("the test service");
        state.start();
        AutoCloseable http = () -> closed.add("http");
        AutoCloseable failing = () -> {
            closed.add("failing");
            throw new IOException("socket already gone");
        };
        AutoCloseable tftp = () -> closed.add("tftp");

        assertThatThrownBy(() -> state.closeOnce(http, null, failing, tftp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("some parts of the test service failed to close")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).isInstanceOf(IOException.class).hasMessage("socket already gone")));
        assertThat(closed).containsExactly("http", "failing", "tftp");
        assertThat(state.isClosed()).isTrue();

        assertThat(state.closeOnce(http, tftp)).as("closed already: nothing done").isFalse();
        assertThat(closed).hasSize(3);
    }

    @Test
    void closingANeverStartedServiceClosesWhatItWasGiven() {
        List<String> closed = new CopyOnWriteArrayList<>();
        ServiceState state = new ServiceState("the test service");
        assertThat(state.closeOnce(() -> closed.add("part"))).isTrue();
        assertThat(closed).containsExactly("part");
    }
}
