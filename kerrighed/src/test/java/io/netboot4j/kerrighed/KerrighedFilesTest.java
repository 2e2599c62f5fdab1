package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerrighedFilesTest {

    private static List<String> settings(String text) {
        return text.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void nodesFileHasTheGuidesSettings() {
        List<String> guide = Guide.linesAfter("# /etc/kerrighed_nodes #", 2);
        assertThat(guide.getFirst()).startsWith("session=1");
        String rendered = KerrighedFiles.nodesFile(Guide.cluster());
        assertThat(settings(rendered)).isEqualTo(settings(String.join("\n", guide))).containsExactly("session=1", "nbmin=6");
        assertThat(rendered.lines().findFirst()).contains("# /etc/kerrighed_nodes #");
        assertThat(rendered).isEqualTo("""
                # /etc/kerrighed_nodes #
                # Session id of the cluster: can be 1 - 254
                session=1
                # Number of nodes which load before kerrighed autostarts
                nbmin=6
                """);
    }

    @Test
    void nbminDefaultsToNodeCountAndFollowsTheSetting() {
        Cluster dflt = Guide.clusterBuilder().with(Kerrighed.session(9)).build();
        assertThat(settings(KerrighedFiles.nodesFile(dflt))).containsExactly("session=9", "nbmin=6");
        Cluster three = Guide.clusterBuilder().with(Kerrighed.session(2).minimumNodes(3)).build();
        assertThat(settings(KerrighedFiles.nodesFile(three))).containsExactly("session=2", "nbmin=3");
    }

    @Test
    void clusterWithoutKerrighedIsNamed() {
        Cluster plain = Guide.clusterBuilder().build();
        assertThatThrownBy(() -> KerrighedFiles.nodesFile(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster 'kerrighed' has no Kerrighed settings: add .with(Kerrighed.session(1)) to its builder");
    }

    @Test
    void defaultFileHasTheGuidesLinesAndEnablesLoading() {
        List<String> guide = Guide.linesAfter("# /etc/default/kerrighed #", 1);
        String rendered = KerrighedFiles.defaultFile();
        assertThat(rendered.lines().toList()).containsSubsequence("# /etc/default/kerrighed #", guide.getFirst().strip());
        assertThat(settings(rendered)).containsExactly("ENABLE=true");
    }

    @Test
    void shippedDefaultFileIsEnabledKeepingOtherSettings() {
        String shipped = """
                # Start kerrighed cluster
                ENABLE=false
                #ENABLE=true

                LEGACY_SCHED=true
                """;
        assertThat(KerrighedFiles.defaultFileEnabled(shipped)).isEqualTo("""
                # Start kerrighed cluster
                ENABLE=true
                #ENABLE=true

                LEGACY_SCHED=true
                """);
        assertThat(KerrighedFiles.defaultFileEnabled("LEGACY_SCHED=true")).isEqualTo(
                "LEGACY_SCHED=true\n# If true, enable Kerrighed module loading\nENABLE=true\n");
        assertThat(KerrighedFiles.defaultFileEnabled("")).isEqualTo(KerrighedFiles.defaultFile());
    }

    @Test
    void fstabLineIsTheGuidesLine() {
        assertThat(KerrighedFiles.FSTAB_CONFIGFS_LINE).isEqualTo(Guide.lineStarting("configfs"));
        assertThat(Guide.text()).contains("# mkdir " + KerrighedFiles.CONFIG_MOUNT_POINT + "\n");
        String fstab = """
                # /etc/fstab
                proc            /proc         proc   defaults       0      0
                /dev/nfs        /             nfs    defaults       0      0
                """;
        String with = KerrighedFiles.fstabWithConfigfs(fstab);
        assertThat(with).isEqualTo(fstab + Guide.lineStarting("configfs") + "\n");
        assertThat(KerrighedFiles.fstabWithConfigfs(with)).isEqualTo(with);
        assertThat(KerrighedFiles.fstabWithConfigfs("proc /proc proc defaults 0 0")).isEqualTo(
                "proc /proc proc defaults 0 0\n" + KerrighedFiles.FSTAB_CONFIGFS_LINE + "\n");
        assertThat(KerrighedFiles.fstabWithConfigfs("#configfs /config configfs defaults 0 0\n"))
                .endsWith(KerrighedFiles.FSTAB_CONFIGFS_LINE + "\n");
    }

    @Test
    void grubStanzaIsTheGuidesStanza() {
        List<String> guide = Guide.lines();
        int at = guide.indexOf(Guide.lineStarting("title "));
        String guideStanza = String.join("\n", guide.subList(at, at + 3)) + "\n";
        assertThat(GrubStanza.guide(Kerrighed.session(1), 1).render()).isEqualTo(guideStanza);
    }

    @Test
    void grubStanzaIsAddedOnceAndReplaced() {
        String menu = "default 0\ntimeout 3\n";
        GrubStanza s1 = GrubStanza.guide(Kerrighed.session(1), 1);
        String once = s1.addTo(menu);
        assertThat(once).isEqualTo(menu + "\n" + s1.render());
        assertThat(s1.addTo(once)).isEqualTo(once);
        GrubStanza s2 = GrubStanza.guide(Kerrighed.session(2), 3);
        String replaced = s2.addTo(once);
        assertThat(replaced).isEqualTo(menu + "\n" + s2.render()).contains("session_id=2 node_id=3");
        assertThat(s1.addTo("")).isEqualTo(s1.render());
        assertThatThrownBy(() -> new GrubStanza("a\nb", "(hd0,0)", "/k", List.of(), java.util.Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expectedNodesAnswerIsTheGuidesAnswer() {
        String guideAnswer = Guide.lineStarting("101:1");
        assertThat(KerrighedFiles.expectedNodesAnswer(Guide.cluster())).isEqualTo(guideAnswer)
                .isEqualTo("101:1 102:1 103:1 104:1 105:1 106:1");
        assertThat(KerrighedFiles.expectedNodes(Guide.cluster())).first().isEqualTo(new KrgNode(101, 1));
    }

    @Test
    void installWritesIntoARootAndIsIdempotent(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc/default"));
        Files.writeString(root.resolve("etc/fstab"), "proc /proc proc defaults 0 0\n");
        Files.writeString(root.resolve("etc/default/kerrighed"), "ENABLE=false\nLEGACY_SCHED=true\n");
        Cluster c = Guide.cluster();
        KerrighedFiles.install(root, c);
        assertThat(root.resolve("etc/kerrighed_nodes")).hasContent(KerrighedFiles.nodesFile(c));
        assertThat(root.resolve("etc/default/kerrighed")).hasContent("ENABLE=true\nLEGACY_SCHED=true\n");
        assertThat(root.resolve("config")).isDirectory();
        assertThat(root.resolve("etc/fstab")).hasContent("proc /proc proc defaults 0 0\n" + KerrighedFiles.FSTAB_CONFIGFS_LINE + "\n");
        long modified = Files.getLastModifiedTime(root.resolve("etc/fstab")).toMillis();
        KerrighedFiles.install(root, c);
        assertThat(root.resolve("etc/fstab")).hasContent("proc /proc proc defaults 0 0\n" + KerrighedFiles.FSTAB_CONFIGFS_LINE + "\n");
        assertThat(Files.getLastModifiedTime(root.resolve("etc/fstab")).toMillis()).isEqualTo(modified);
        try (var s = Files.list(root.resolve("etc"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("default", "fstab", "kerrighed_nodes");
        }
    }

    @Test
    void krgNodeParses() {
        assertThat(KrgNode.parse("101:1")).isEqualTo(new KrgNode(101, 1)).hasToString("101:1");
        for (String bad : new String[] {"101", ":1", "101:", "a:1", "101:online", "1:2:3", ""}) {
            assertThatThrownBy(() -> KrgNode.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a krgadm node entry");
        }
    }
}
