package io.vmiscope.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventJsonParseTest {

    private static final ProcessRef SHELL = new ProcessRef(709, 710, 110, 0, "sh");

    static Stream<Event> everyKind() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("Key", "\\Registry\\Machine\\Software");
        attributes.put("Count", 3);
        attributes.put("Nested", Map.of("a", List.of(1, "b")));
        attributes.put("Missing", null);
        return Stream.of(
                new SyscallEvent(1_000L, "demo", "syscalls:openat", SHELL, "openat", 257,
                        List.of(new SyscallArgument("filename", "PATH", 0x7ffe0000L, "\"/tmp/f1\"", false, false),
                                new SyscallArgument("buf", "BUFFER", -1L, "\"ab\"…", true, true)), "4"),
                new SyscallEvent(1, "v", "a", SHELL, "getpid", 39, List.of(), null),
                new SyscallEvent(1, "v", "a", SHELL, "execve", 11, List.of(), "0", "ia32"),
                new ExecEvent(2, "v", "a", SHELL, "/bin/ls", List.of("ls", "-l"), true),
                new ForkEvent(3, "v", "a", SHELL, 800, 801, true),
                new ExitEvent(4, "v", "a", SHELL, -1, 9, false),
                new FileEvent(5, "v", "a", SHELL, "rename", "/a", "/b", "", "rename"),
                new FileEvent(5, "v", "a", SHELL, "open", "/a", null, "O_RDONLY", "openat"),
                new NetworkEvent(6, "v", "a", SHELL, "connect", "[::1]:22", 3, "connect"),
                new ProcessSnapshotEvent(7, "v", "pslist:5s", ProcessRef.NONE, List.of(
                        new ProcessSnapshotEvent.Entry(1, 1, 0, 0, 0, "init", List.of("/sbin/init"), 'S', false, 5L),
                        new ProcessSnapshotEvent.Entry(2, 2, 0, 0, 0, "kthreadd", List.of(), 'I', true, 6L)),
                        List.of(1, 2), List.of(9), true, false),
                new ModuleSnapshotEvent(8, "v", "a", ProcessRef.NONE,
                        List.of(new ModuleSnapshotEvent.Entry("dummy", "LIVE", 0xffffffffc0000000L, 4096)),
                        List.of("dummy"), List.of("old"), false),
                new AnomalyEvent(9, "v", "a", ProcessRef.NONE, "CYCLE", "task 0x1", "loops"),
                new ControlEvent(10, "v", "a", ProcessRef.NONE, "started", "x"),
                new ImportedEvent(11, "v", "drakvuf:regmon", SHELL, "drakvuf", "regmon", "NtSetValueKey", attributes),
                new AlertEvent(12, "v", "detect:sigma", SHELL, "5f1a-rule", "Shell spawned by a web server",
                        AlertEvent.Level.HIGH, List.of("T1505.003", "T1059.004"), List.of("e1", "e2"),
                        "httpd started /bin/sh", "syscalls:file for 60 s: ran"),
                new IntegrityFindingEvent(13, "v", "checks:5s", SHELL, "hidden-processes", "pid 42 (sleep)",
                        "missing from the task list", views(), List.of("T1014")));
    }

    private static Map<String, String> views() {
        Map<String, String> views = new LinkedHashMap<>();
        views.put("task list (init_task.tasks)", "absent");
        views.put("pid allocator (init_pid_ns.idr)", "pid 42 → task 0xffff888001234000");
        return views;
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void parse_isTheInverseOfToLine_forEveryKind(Event event) {
        String line = EventJson.toLine(event);

        Event parsed = EventJson.parse(line);

        assertThat(parsed).isEqualTo(event);
        assertThat(EventJson.toLine(parsed)).isEqualTo(line);
    }

    @Test
    void parse_keepsHostileGuestText_asText() {
        ProcessRef hostile = new ProcessRef(1, 1, 0, 0, "<img src=x onerror=alert(1)>\u001b[31m\"\n");
        ExitEvent e = new ExitEvent(1L, "demo", "procevents", hostile, 0, 0, false);

        assertThat(EventJson.parse(EventJson.toLine(e)).process().name()).isEqualTo(hostile.name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "garbage                                             | not JSON:",
            "[1,2]                                               | not a JSON object",
            "{\"time\":1}                                        | missing field 'vm'",
            "{\"time\":\"x\",\"vm\":\"v\"}                       | field 'time' is not a 64-bit integer",
            "{\"time\":1,\"vm\":\"v\",\"action\":\"a\",\"kind\":\"nope\",\"pid\":1,\"tid\":1,\"ppid\":1,\"uid\":1,\"process\":\"p\"} | unknown kind 'nope'",
            "{\"time\":1,\"vm\":\"v\",\"action\":\"a\",\"kind\":\"fork\",\"pid\":1,\"tid\":1,\"ppid\":1,\"uid\":1,\"process\":\"p\",\"childPid\":99999999999,\"childTid\":1,\"thread\":false} | field 'childPid' is not a 32-bit integer",
            "{\"time\":1,\"vm\":\"v\",\"action\":\"a\",\"kind\":\"exec\",\"pid\":1,\"tid\":1,\"ppid\":1,\"uid\":1,\"process\":\"p\",\"path\":\"/x\",\"argv\":[1],\"argvComplete\":true} | field 'argv' is not a string",
            "{\"time\":1,\"vm\":\"v\",\"action\":\"a\",\"kind\":\"exit\",\"pid\":1,\"tid\":1,\"ppid\":1,\"uid\":1,\"process\":\"p\",\"exitCode\":0,\"signal\":0,\"thread\":\"no\"} | field 'thread' is not a boolean",
    })
    void parse_rejectsMalformedLines_withAOneLineReason(String line, String reason) {
        assertThatThrownBy(() -> EventJson.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(reason)
                .hasMessageNotContaining("\n");
    }

    @Test
    void parse_refusesAnythingAfterTheEvent_insteadOfDroppingIt() {
        String line = EventJson.toLine(new ExitEvent(1L, "demo", "procevents", new ProcessRef(1, 1, 0, 0, "sh"), 0, 0,
                false));

        assertThat(EventJson.parse(line + "  ")).isNotNull();
        assertThatThrownBy(() -> EventJson.parse(line + " " + line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON: Trailing token");
        assertThatThrownBy(() -> EventJson.parse(line + " garbage")).hasMessageStartingWith("not JSON:");
    }
}
