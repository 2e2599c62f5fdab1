package io.netboot4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.MacAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OVMF nodes run the firmware's own PXE, not an iPXE option ROM, and keep their variable
 * store in a private copy that is gone after close. Nothing answers DHCP here: the test
 * only watches the firmware start its PXE (a few seconds), the e2e tests boot through it.
 */
@Tag("integration")
class UefiVirtualNodeTest {

    @ParameterizedTest
    @EnumSource(value = VirtualNode.Firmware.class, names = {"UEFI", "UEFI_SECURE_BOOT"})
    void theFirmwaresOwnPxeStartsOnTheVirtioCardWithoutOptionRom(VirtualNode.Firmware firmware) throws Exception {
        assumeTrue(VirtualNode.available(), VirtualNode.unavailableReason());
        assumeTrue(VirtualNode.unavailableReason(firmware).isEmpty(), VirtualNode.unavailableReason(firmware));
        try (NetworkNamespace ns = NetworkNamespace.create("nb-uefi")) {
            ns.addBridge("br0", "10.199.8.1/24");
            VirtualNode node = VirtualNode.builder(ns, MacAddress.parse("52:54:00:99:08:11")).bridge("br0").firmware(firmware).start();
            try (node) {
                assertThat(node.firmware()).isEqualTo(firmware);
                assertThat(String.join(" ", node.command())).contains("romfile=,").contains(firmware.files().get(0).toString())
                        .doesNotContain(firmware.files().get(1).toString());
                node.awaitConsole(Pattern.compile("Start PXE over IPv4"), Duration.ofMinutes(3));
                assertThat(node.console()).noneMatch(l -> l.contains("iPXE"));
            }
            String variables = node.command().stream().filter(a -> a.startsWith("if=pflash,format=raw,unit=1,file=")).findFirst()
                    .orElseThrow().substring("if=pflash,format=raw,unit=1,file=".length());
            assertThat(Path.of(variables)).as("the node's copy of the variable store").doesNotExist();
        }
    }
}
