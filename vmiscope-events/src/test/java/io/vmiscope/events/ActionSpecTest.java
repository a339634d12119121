package io.vmiscope.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionSpecTest {

    @Test
    void parse_givesEachMember_withItsParts() {
        assertThat(ActionSpec.parse("syscalls:file,network[pid=42]"))
                .isEqualTo(new ActionSpec.Syscalls(List.of("file", "network"), ProcessFilter.pid(42)));
        assertThat(ActionSpec.parse("procevents")).isEqualTo(new ActionSpec.ProcessEvents(ProcessFilter.ALL));
        assertThat(ActionSpec.parse("files[process=httpd]:/etc,/tmp")).isEqualTo(new ActionSpec.FileEvents(
                new ProcessFilter(Set.of(), Set.of("httpd")), List.of("/etc", "/tmp")));
        assertThat(ActionSpec.parse("network")).isEqualTo(new ActionSpec.NetworkEvents(ProcessFilter.ALL));
        assertThat(ActionSpec.parse("pslist:500ms:unpaused")).isEqualTo(new ActionSpec.ProcessList(Duration.ofMillis(500), false));
        assertThat(ActionSpec.parse("modules:30s")).isEqualTo(new ActionSpec.ModuleList(Duration.ofSeconds(30)));
        assertThat(ActionSpec.parse("checks:5s")).isEqualTo(new ActionSpec.Checks(List.of(), Duration.ofSeconds(5)));
        assertThat(ActionSpec.parse("checks:hidden-processes,credentials:2s")).isEqualTo(
                new ActionSpec.Checks(List.of("hidden-processes", "credentials"), Duration.ofSeconds(2)));
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource(delimiter = '|', value = {
            "pslist:1m | pslist:60s",
            "modules:2000ms | modules:2s",
            "files:/etc[pid=5] | files[pid=5]:/etc",
            "'syscalls:file, network' | syscalls:file,network",
            "network[process=sh;pid=3,1] | network[pid=1,3;process=sh]",
            "PROCEVENTS | procevents",
            "checks:1m | checks:60s",
            "'checks:syscall-table, hidden-modules:5000ms' | checks:syscall-table,hidden-modules:5s"})
    void parse_acceptsOtherSpellings_andTheTextIsTheActionIdForm(String text, String canonical) {
        assertThat(ActionSpec.parse(text)).hasToString(canonical);
    }

    @Test
    void restrictedTo_narrowsHookingSpecs_andLeavesSnapshotsAsTheyAre() {
        ProcessFilter sh = new ProcessFilter(Set.of(), Set.of("sh"));
        assertThat(ActionSpec.parse("syscalls:openat").restrictedTo(ProcessFilter.pid(7))).hasToString("syscalls:openat[pid=7]");
        assertThat(ActionSpec.parse("files:/etc").restrictedTo(sh)).hasToString("files[process=sh]:/etc");
        assertThat(ActionSpec.parse("procevents[pid=7]").restrictedTo(ProcessFilter.ALL)).hasToString("procevents[pid=7]");
        assertThat(ActionSpec.parse("pslist:5s").restrictedTo(sh)).hasToString("pslist:5s");
        assertThatThrownBy(() -> ActionSpec.parse("network[pid=7]").restrictedTo(sh))
                .hasMessage("action 'network[pid=7]' keeps processes pid=7 already: it cannot be restricted to process=sh too");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '#', value = {
            "'' # empty action spec; known: " + ActionSpec.HELP,
            "dance # unknown action 'dance'; known: " + ActionSpec.HELP,
            "syscalls # action 'syscalls' needs a syscall name after the colon",
            "syscalls: # action 'syscalls:' needs a syscall name after the colon",
            "'syscalls:openat,,execve' # action 'syscalls:openat,,execve' has an empty syscall name in its list",
            "'syscalls:open at' # action 'syscalls': 'open at' is no syscall name or group (letters, digits, _; a group may start with %)",
            "procevents:5s # action 'procevents:5s' takes no argument, not ':5s'",
            "network:x # action 'network:x' takes no argument, not ':x'",
            "files: # action 'files:' needs a watched path after the colon",
            "files:etc # action 'files': 'etc' is no watched path (absolute, at most 256 characters, no comma, bracket or space)",
            "pslist # action 'pslist' needs a period, e.g. pslist:5s",
            "modules:soon # action 'modules:soon' needs a duration like 500ms, 5s or 1m, not 'soon'",
            "pslist:50ms # action 'pslist:50ms': the duration must be at least 100ms, not 50ms",
            "pslist:2000m # action 'pslist': the period must be whole milliseconds from 100ms to 1 day, not PT33H20M",
            "modules:5s:unpaused # action 'modules:5s:unpaused' needs a duration like 500ms, 5s or 1m, not '5s:unpaused'",
            "checks # action 'checks' needs a period, e.g. checks:5s or checks:hidden-processes:5s",
            "checks:often # action 'checks:often' needs a duration like 500ms, 5s or 1m, not 'often'",
            "checks:Hidden!:5s # action 'checks': 'Hidden!' is no check name (lower-case letters, digits and -, e.g. hidden-processes)",
            "checks:,:5s # action 'checks:,:5s' has an empty check name in its list",
            "checks[pid=1]:5s # action 'checks[pid=1]:5s': checks read the whole kernel and take no process filter",
            "pslist:5s[pid=1] # action 'pslist:5s[pid=1]': a snapshot walks every process and takes no process filter",
            "syscalls:openat[pid=x] # action 'syscalls:openat[pid=x]': 'x' is no pid",
            "procevents[] # action 'procevents[]': the process filter needs pid=N,N and/or process=NAME,NAME (each once, joined by ;), not ''",
            "procevents[uid=0] # action 'procevents[uid=0]': the process filter needs pid=N,N and/or process=NAME,NAME (each once, joined by ;), not 'uid=0'",
            "procevents[pid=1;pid=2] # action 'procevents[pid=1;pid=2]': the process filter needs pid=N,N and/or process=NAME,NAME (each once, joined by ;), not 'pid=2'",
            "network[process=a,] # process filter: '' is no process name (1 to 64 characters, no comma, semicolon, bracket or space)",
            "syscalls:file[pid=1]:x # action 'syscalls:file[pid=1]:x': one process filter [...] goes right after the action's name or at the end",
            "network[pid=1 # action 'network[pid=1': one process filter [...] goes right after the action's name or at the end",
            "network]pid=1[ # action 'network]pid=1[': one process filter [...] goes right after the action's name or at the end",
            "network[pid=1][pid=2] # action 'network[pid=1][pid=2]': one process filter [...] goes right after the action's name or at the end"})
    void parse_rejectsBadText_withOneLineNamingTheBadPart(String text, String message) {
        assertThatThrownBy(() -> ActionSpec.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message).hasMessageNotContaining("\n");
    }

    @Test
    void parse_capsHostileText_inItsMessage() {
        String hostile = "x".repeat(300) + "\n<script>";
        assertThatThrownBy(() -> ActionSpec.parse(hostile)).hasMessageStartingWith("unknown action '" + "x".repeat(80) + "…'")
                .hasMessageNotContaining("\n").hasMessageNotContaining("<script>");
        assertThatThrownBy(() -> ActionSpec.parse("y".repeat(5000)))
                .hasMessage("action spec of 5000 characters: at most 4096");
    }

    @Test
    void durations_parseTheOptionForms_andWriteWholeSecondsWhereExact() {
        assertThat(Durations.parse("--window", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("120s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> Durations.parse("--window", "5 s"))
                .hasMessage("--window needs a duration like 500ms, 5s or 1m, not '5 s'");
    }
}
