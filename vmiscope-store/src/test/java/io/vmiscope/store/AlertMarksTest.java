package io.vmiscope.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertMarksTest {

    @TempDir
    Path dir;

    @Test
    void aMark_isKept_replacedByTheNextOne_andSurvivesReopening() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_764_000_000L), ZoneOffset.UTC);
        Path file = dir.resolve("s.duckdb");
        try (DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults())) {
            AlertMarks marks = new AlertMarks(store, clock);
            assertThat(marks.of("a1")).isEmpty();
            marks.set("a1", AlertMarks.Mark.ACKNOWLEDGED, "seen");
            marks.set("a1", AlertMarks.Mark.FALSE_POSITIVE, "the nightly backup");
            marks.set("a2", AlertMarks.Mark.ACKNOWLEDGED, null);
        }
        try (DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults())) {
            AlertMarks marks = new AlertMarks(store, clock);
            assertThat(marks.of("a1")).contains(new AlertMarks.Marked("a1", AlertMarks.Mark.FALSE_POSITIVE,
                    1_764_000_000_000_000_000L, "the nightly backup"));
            assertThat(marks.of("a2").orElseThrow().note()).isEmpty();
        }
    }

    @Test
    void clearingAMark_opensTheAlertAgain_andSaysWhetherItHadOne() {
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            AlertMarks marks = new AlertMarks(store, Clock.systemUTC());
            marks.set("a1", AlertMarks.Mark.FALSE_POSITIVE, "cron");
            assertThat(marks.clear("a1")).isTrue();
            assertThat(marks.of("a1")).isEmpty();
            assertThat(marks.clear("a1")).isFalse();
        }
    }

    @Test
    void aHugeNote_isCut_andAnUnknownMark_isAOneLineError() {
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            AlertMarks marks = new AlertMarks(store, Clock.systemUTC());
            assertThat(marks.set("a", AlertMarks.Mark.ACKNOWLEDGED, "x".repeat(50_000)).note())
                    .hasSize(AlertMarks.MAX_NOTE_CHARS);
        }
        assertThatThrownBy(() -> AlertMarks.Mark.of("ignored\nnow")).hasMessage(
                "unknown alert mark 'ignored now'; known: acknowledged, false_positive");
    }
}
