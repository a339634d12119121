package io.vmiscope.detect.sigma;

import io.vmiscope.events.AlertEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static io.vmiscope.detect.sigma.Guest.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input: malformed files, invalid regular expressions, unsupported features — each said on one line. */
class RuleLoaderTest {

    @TempDir
    Path dir;

    private RuleSet load(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return RuleLoader.load(List.of(dir), false, Set.of());
    }

    @Test
    void malformedYaml_isOneFileLineReason() throws Exception {
        RuleSet rules = load("bad.yml", "title: x\ndetection:\n  s: [a\n  condition: s\n");
        assertThat(rules.malformed()).singleElement().asString()
                .startsWith(dir.resolve("bad.yml") + ":4: not valid YAML").doesNotContain("\n");
    }

    @Test
    void invalidRegex_isAOneLineErrorNamingItsLine() throws Exception {
        RuleSet rules = load("re.yml", "title: x\nlogsource: {product: linux, category: process_creation}\n"
                + "detection:\n  s:\n    CommandLine|re: 'a(b'\n  condition: s\n");
        assertThat(rules.malformed()).containsExactly(dir.resolve("re.yml")
                + ":5: invalid regular expression 'a(b': Unclosed group at index 3");
    }

    @Test
    void wrongShapes_areMalformed_withTheirLine() throws Exception {
        assertThat(load("a.yml", "title: x\nlogsource: {product: linux, category: process_creation}\n"
                + "detection:\n  s: {Image: '/x'}\n  condition: s and t\n").malformed()).singleElement().asString()
                .endsWith(":5: the condition names 't', which the detection does not define");
        Files.delete(dir.resolve("a.yml"));
        assertThat(load("b.yml", "title: x\nlevel: severe\nlogsource: {product: linux, category: process_creation}\n"
                + "detection:\n  s: {Image: '/x'}\n  condition: s\n").malformed()).singleElement().asString()
                .endsWith(":2: unknown alert level 'severe'; known: informational, low, medium, high, critical");
        Files.delete(dir.resolve("b.yml"));
        assertThat(load("c.yml", "title: x\ntitle: y\n").malformed()).singleElement().asString().contains(":2: ");
    }

    @Test
    void unsupportedRules_areListedWithTheirReason_notDropped_andANonSigmaModifierIsToldApart() throws Exception {
        Files.writeString(dir.resolve("1.yml"), "title: mac\nid: m\nlogsource: {product: macos, category: "
                + "process_creation}\ndetection: {s: {Image: x}, condition: s}\n");
        Files.writeString(dir.resolve("2.yml"), "title: field\nid: f\nlogsource: {product: linux, category: "
                + "process_creation}\ndetection: {s: {LogonId: x}, condition: s}\n");
        Files.writeString(dir.resolve("3.yml"), "title: mod\nid: d\nlogsource: {product: linux, category: "
                + "process_creation}\ndetection: {s: {Image|fieldref: CommandLine}, condition: s}\n");
        Files.writeString(dir.resolve("4.yml"), "title: agg\nid: g\nlogsource: {product: linux, category: "
                + "process_creation}\ndetection: {s: {Image: x}, condition: 's | count() > 5'}\n");
        Files.writeString(dir.resolve("5.yml"), "title: any\nid: n\nlogsource: {product: linux, category: "
                + "process_creation}\ndetection: {s: {CommandLine|contains_any: [a, b]}, condition: s}\n");
        Files.writeString(dir.resolve("6.yml"), "title: dns\nid: h\nlogsource: {product: linux, category: "
                + "network_connection}\ndetection: {s: {DestinationHostname|endswith: .ngrok.io}, condition: s}\n");
        Files.writeString(dir.resolve("7.yml"), "title: proto\nid: p\nlogsource: {product: linux, category: "
                + "network_connection}\ndetection: {s: {DestinationPort: 23, Protocol: tcp}, condition: s}\n");
        RuleSet rules = RuleLoader.load(List.of(dir), false, Set.of());
        assertThat(rules.unsupported()).extracting(RuleSet.Unsupported::reason).containsExactly(
                "logsource macos/process_creation is not available (docs/detection.md lists the logsources)",
                "field 'LogonId' is not filled for linux/process_creation: Linux has no logon ids; the login session "
                        + "is not read (docs/detection.md)",
                "modifier 'fieldref' is not supported",
                "aggregation in the condition ('| …', Sigma v1) is not supported: use a correlation rule",
                "modifier 'contains_any' is not a modifier of the Sigma specification",
                "field 'DestinationHostname' is not filled for linux/network_connection: vmiscope sees a "
                        + "connection's address, not the host name it was resolved from (docs/detection.md)",
                "field 'Protocol' is not filled for linux/network_connection: the socket's protocol (tcp, udp) is "
                        + "not read, only its address (docs/detection.md)");
        assertThat(rules.loaded()).isZero();
    }

    @Test
    void hostileEventValues_hugeAndWithControlCharacters_matchAndAreCappedInTheExplanation() {
        RuleSet rules = rules(dir, "title: t\nid: h\nlogsource: {product: linux, category: process_creation}\n"
                + "detection:\n  s: {CommandLine|contains: 'needle', Image|re: '^/tmp/.*x$'}\n  condition: s\n");
        String huge = "a".repeat(5_000_000) + "\u0000\u001b[31m\nneedle\r\n";
        List<AlertEvent> alerts = run(rules, exec(1, 5, 1, 0, "sh", "/tmp/\u0007x", "x", huge));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.explanation()).hasSizeLessThanOrEqualTo(601).doesNotContain("\n").doesNotContain("\r");
        });
    }

    @Test
    void aMissingDirectory_isAOneLineError() {
        assertThatThrownBy(() -> RuleLoader.load(List.of(dir.resolve("none")), false, Set.of()))
                .hasMessage("no such rule file or directory: " + dir.resolve("none"));
    }
}
