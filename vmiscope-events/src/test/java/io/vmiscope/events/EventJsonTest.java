package io.vmiscope.events;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventJsonTest {

    private static final ProcessRef SHELL = new ProcessRef(709, 710, 110, 0, "sh");

    @Test
    void syscallEvent_isOneLine_headerFirst_thenItsFields() {
        SyscallEvent e = new SyscallEvent(1_000L, "demo", "syscalls:openat", SHELL, "openat", 257,
                List.of(new SyscallArgument("filename", "PATH", 0x7ffe0000L, "\"/tmp/f1\"", false, false)), "4");

        assertThat(EventJson.toLine(e)).isEqualTo("{\"time\":1000,\"vm\":\"demo\",\"action\":\"syscalls:openat\","
                + "\"kind\":\"syscall\",\"pid\":709,\"tid\":710,\"ppid\":110,\"uid\":0,\"process\":\"sh\","
                + "\"syscall\":\"openat\",\"number\":257,\"args\":[{\"name\":\"filename\",\"type\":\"PATH\","
                + "\"value\":\"\\\"/tmp/f1\\\"\",\"raw\":2147352576}],\"result\":\"4\"}");
    }

    @Test
    void hostileGuestText_isEscapedJson_neverRawMarkup() {
        ProcessRef hostile = new ProcessRef(1, 1, 0, 0, "<img src=x onerror=alert(1)>\u001b[31m\"\n");
        ExitEvent e = new ExitEvent(1L, "demo", "procevents", hostile, 0, 0, false);

        String line = EventJson.toLine(e);

        assertThat(line).doesNotContain("\n").doesNotContain("\u001b").contains("\\u001B[31m\\\"\\n");
    }

    @Test
    void writer_flushesEveryEvent_soNothingReportedIsLost() {
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            private int flushes;

            @Override
            public void flush() {
                flushes++;
                assertThat(toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(flushes);
            }
        };
        EventSink sink = EventJson.writer(out);

        sink.accept(new ControlEvent(1L, "demo", "a", ProcessRef.NONE, "started", "2 hooks"));
        sink.accept(new ControlEvent(2L, "demo", "a", ProcessRef.NONE, "stopped", "on request"));

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
    }

    @Test
    void everyKind_namesItself_andItsFieldsDoNotRepeatTheHeader() {
        List<Event> all = List.of(
                new ExecEvent(1, "v", "a", SHELL, "/bin/ls", List.of("ls", "-l"), true),
                new ForkEvent(1, "v", "a", SHELL, 800, 800, false),
                new ExitEvent(1, "v", "a", SHELL, 3, 0, false),
                new FileEvent(1, "v", "a", SHELL, "rename", "/a", "/b", "", "rename"),
                new NetworkEvent(1, "v", "a", SHELL, "connect", "127.0.0.1:80", 3, "connect"),
                new ProcessSnapshotEvent(1, "v", "a", ProcessRef.NONE, List.of(), List.of(1), List.of(), true, true),
                new ModuleSnapshotEvent(1, "v", "a", ProcessRef.NONE, List.of(), List.of("dummy"), List.of(), true),
                new AnomalyEvent(1, "v", "a", ProcessRef.NONE, "CYCLE", "task 0x1", "loops"),
                new ControlEvent(1, "v", "a", ProcessRef.NONE, "started", "x"));

        assertThat(all).extracting(Event::kind).doesNotHaveDuplicates()
                .containsExactly("exec", "fork", "exit", "file", "network", "processes", "modules", "anomaly", "control");
        assertThat(all).allSatisfy(e -> assertThat(e.fields().keySet())
                .doesNotContain("time", "vm", "action", "kind", "pid", "tid", "ppid", "uid", "process"));
    }
}
