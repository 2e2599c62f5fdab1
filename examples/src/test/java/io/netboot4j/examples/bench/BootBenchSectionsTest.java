package io.netboot4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bench/boot.sh} keeps the sections of boot.md it does not run: the cut at the headings. */
class BootBenchSectionsTest {

    private static final String MAIN = "# Boot benchmark\n\ntable\n\nratio boot-1 vs dnsmasq+ganesha: 1.50\n";
    private static final String STORM = BootBench.STORM_SECTION + "\nstorm tables\n";
    private static final String UEFI = BootBench.UEFI_SECTION + "\nuefi tables\n";

    @Test
    void theMainPartAndEachSectionAreCutAtTheirHeadingsInAnyOrder() {
        assertParts(MAIN + STORM + UEFI, MAIN, STORM, UEFI);
        assertParts(MAIN + UEFI + STORM, MAIN, STORM, UEFI);
        assertParts(MAIN + UEFI, MAIN, "", UEFI);
    }

    @Test
    void aFileWithoutMainPartOrWithoutSectionsGivesEmptyParts() {
        assertParts(UEFI, "", "", UEFI);
        assertParts(MAIN, MAIN, "", "");
        assertParts("", "", "", "");
    }

    private static void assertParts(String text, String main, String storm, String uefi) {
        Map<String, String> parts = BootBench.sections(text);
        assertThat(parts.get("")).isEqualTo(main);
        assertThat(parts.get(BootBench.STORM_SECTION)).isEqualTo(storm);
        assertThat(parts.get(BootBench.UEFI_SECTION)).isEqualTo(uefi);
    }
}
