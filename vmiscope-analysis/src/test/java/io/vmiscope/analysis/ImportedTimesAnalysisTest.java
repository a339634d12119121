package io.vmiscope.analysis;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.ImportSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static io.vmiscope.analysis.Fixtures.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DRAKVUF log whose first lines are apimon DLL records without a time, for a process (DllHost.exe, pid 5388) that
 * is only created later in the trace: the records take the time of its creation, so the pid is one process.
 */
class ImportedTimesAnalysisTest {

    private static final String VM = "win10";
    private static final long BASE = 1_716_940_000L * SECOND;

    @TempDir
    Path dir;

    @Test
    void aPidInUntimedRecordsBeforeTheFirstTime_thatIsCreatedLater_isOneProcess_holdingThoseRecords()
            throws Exception {
        try (DuckDbEventStore store = Fixtures.store(dir)) {
            ImportSummary summary = Fixtures.importDrakvuf(store, "drakvuf-windows-untimed-start.jsonl", VM);
            try (Analysis analysis = Analysis.open(store)) {
                analysis.refresh(VM);

                assertThat(analysis.processesWithPid(VM, 5388)).singleElement().satisfies(p -> {
                    assertThat(p.name()).isEqualTo("dllhost.exe");
                    assertThat(p.lifetime()).isEqualTo(Lifetime.STARTED_STILL_RUNNING);
                    assertThat(p.startNanos()).isEqualTo(BASE + 2 * SECOND);
                    assertThat(analysis.processEvents(VM, p.key(), EventQuery.ALL.withKinds("imported"), 0, 10).items())
                            .as("its DLL records, the two from the top of the log included").hasSize(3);
                });
                assertThat(analysis.processesWithPid(VM, 1980)).singleElement()
                        .satisfies(p -> assertThat(p.events()).as("its DLL record and its syscall").isEqualTo(2));
            }
            assertThat(summary.lines().timesInferred()).isEqualTo(4);
            try (Connection c = store.openConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT min(time_ns), count(*) FILTER (fields->>'$.timeInferred' = 'true')"
                         + " FROM events")) {
                r.next();
                assertThat(r.getLong(1)).as("no event at time 0").isEqualTo(BASE);
                assertThat(r.getLong(2)).isEqualTo(4);
            }
        }
    }
}
