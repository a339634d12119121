package io.vmiscope.detect.anomaly;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceFilesTest {

    @TempDir
    Path dir;

    private List<Trace> read(TraceFormat format, Path path) {
        List<Trace> traces = new ArrayList<>();
        format.source(path, "*").forEach(traces::add);
        return traces;
    }

    @Test
    void adfa_readsOneTracePerFile() throws IOException {
        Files.writeString(dir.resolve("UTD-0001.txt"), "6 6 63 6 42 120 \n");
        Files.writeString(dir.resolve("UTD-0002.txt"), "3 4\n5\n");
        List<Trace> traces = read(TraceFormat.ADFA, dir);
        assertThat(traces).extracting(t -> t.syscalls().length).containsExactly(6, 3);
        assertThat(traces.get(1).syscalls()).containsExactly(3, 4, 5);
    }

    @Test
    void adfa_malformedToken_isFileLineReason() throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "6 6\n63 x6 42\n");
        assertThatThrownBy(() -> read(TraceFormat.ADFA, file))
                .isInstanceOf(TraceFileException.class).hasMessage(file + ":2: 'x6' is not a syscall number");
    }

    @Test
    void adfa_numberAboveTheRange_isFileLineReason() throws IOException {
        Path file = dir.resolve("big.txt");
        Files.writeString(file, "99999\n");
        assertThatThrownBy(() -> read(TraceFormat.ADFA, file)).hasMessage(file + ":1: syscall number 99999 is above 4095");
    }

    @Test
    void unm_splitsInterleavedProcessesByPid_inOrder() throws IOException {
        Path file = dir.resolve("x.int");
        Files.writeString(file, "7 4\n8 1\n7 5\n\n8 2\n7 6\n");
        List<Trace> traces = read(TraceFormat.UNM, file);
        assertThat(traces).extracting(Trace::path).containsExactly(file + "#7", file + "#8");
        assertThat(traces.get(0).syscalls()).containsExactly(4, 5, 6);
        assertThat(traces.get(1).syscalls()).containsExactly(1, 2);
    }

    @Test
    void unm_lineWithoutTwoNumbers_isFileLineReason() throws IOException {
        Path file = dir.resolve("x.int");
        Files.writeString(file, "7 4\n7 4 9\n");
        assertThatThrownBy(() -> read(TraceFormat.UNM, file))
                .hasMessage(file + ":2: expected 'pid syscall', got '7 4 9'");
    }

    @Test
    void missingPath_isOneLine() {
        Path none = dir.resolve("none");
        assertThatThrownBy(() -> read(TraceFormat.ADFA, none)).hasMessage(none + ": no such file or folder");
    }

    @Test
    void family_isTheRunNameWithoutExtensionAndNumber() {
        assertThat(Evaluator.family(Path.of("Hydra_SSH_3"))).isEqualTo("Hydra_SSH");
        assertThat(Evaluator.family(Path.of("fwd-loops-4.int"))).isEqualTo("fwd-loops");
        assertThat(Evaluator.family(Path.of("xlock-intrusions.tar.gz"))).isEqualTo("xlock-intrusions");
    }
}
