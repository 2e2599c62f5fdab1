package io.netboot4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Requirements}: the first unmet requirement wins, an earlier reason stands, all met is empty. */
class RequirementsTest {

    @Test
    void theFirstUnmetRequirementIsTheReason() {
        assertThat(Requirements.after("").command("sh", "no sh").holds(true, "never").reason()).isEmpty();
        assertThat(Requirements.after("").command("no-such-program-nb4j", "install nb4j").holds(false, "second").reason())
                .isEqualTo("install nb4j");
        assertThat(Requirements.after("not root").holds(false, "second").and("third").reason()).isEqualTo("not root");
        assertThat(Requirements.after("").and("").and("pxelinux missing").reason()).isEqualTo("pxelinux missing");
    }
}
