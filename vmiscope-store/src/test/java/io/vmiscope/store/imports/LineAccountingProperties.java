package io.vmiscope.store.imports;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For every importer, over generated files of good, bad, blank and (DRAKVUF) start-up list lines with LF, CRLF and
 * lone-CR ends: the lines counted are the file's lines, each counted as what it is, and every good record is an
 * event.
 */
class LineAccountingProperties {

    enum Kind { GOOD, TWO_ON_A_LINE, BAD, BLANK, EMPTY, RUNNING_PROCESS }

    record Line(Kind kind, String end) {
    }

    private static final String DRAKVUF = "{\"Plugin\":\"syscall\",\"TimeStamp\":\"5.0\",\"PID\":7,\"Method\":\"NtClose\"}";
    private static final String RUNNING = "{\"Plugin\":\"procmon\",\"TimeStamp\":\"5.0\",\"PID\":4,\"PPID\":0,"
            + "\"RunningProcess\":\"System\"}";
    private static final String EVENT = "{\"time\":5,\"vm\":\"x\",\"action\":\"a\",\"kind\":\"control\",\"pid\":-1,\"tid\":-1,"
            + "\"ppid\":-1,\"uid\":-1,\"process\":\"\",\"change\":\"started\",\"reason\":\"r\"}";
    private static final String ROW = "{\"PID\": 3, \"PPID\": 1, \"COMM\": \"sh\"}";

    @Provide
    Arbitrary<List<Line>> files() {
        Arbitrary<Line> line = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.of("\n", "\r\n", "\r"))
                .as(Line::new);
        return line.list().ofMaxSize(25);
    }

    @Property(tries = 150)
    void drakvuf_countsEveryLineOnce(@ForAll("files") List<Line> lines) {
        Expected e = expected(lines, true);
        List<ImportItem> items = read(ImportFormat.DRAKVUF, lines, DRAKVUF, RUNNING);

        assertThat(Fixtures.lineCounts(items)).isEqualTo(new LineCounts(lines.size(), e.gave, e.folded, e.snapshots,
                e.bad, e.blank, 0, 0));
        assertThat(Fixtures.parsed(items)).hasSize((int) (e.records + e.snapshots));
        assertThat(Fixtures.rejected(items)).hasSize((int) e.bad);
    }

    @Property(tries = 150)
    void vmiscopeJsonl_countsEveryLineOnce(@ForAll("files") List<Line> lines) {
        List<Line> noStartUpList = withoutStartUpList(lines);
        Expected e = expected(noStartUpList, false);
        List<ImportItem> items = read(ImportFormat.JSONL, noStartUpList, EVENT, null);

        assertThat(Fixtures.lineCounts(items)).isEqualTo(new LineCounts(lines.size(), e.gave, 0, 0, e.bad, e.blank, 0,
                0));
        assertThat(Fixtures.parsed(items)).hasSize((int) e.records);
    }

    @Property(tries = 150)
    void volatilityJsonl_countsEveryLineOnce_andFoldsTheRowsIntoOneSnapshot(@ForAll("files") List<Line> lines) {
        List<Line> noStartUpList = withoutStartUpList(lines);
        Expected e = expected(noStartUpList, false);
        List<ImportItem> items = read(ImportFormat.VOLATILITY, noStartUpList, ROW, null);

        long snapshots = e.gave > 0 ? 1 : 0;
        assertThat(Fixtures.lineCounts(items)).isEqualTo(new LineCounts(lines.size(), 0, e.gave, snapshots, e.bad,
                e.blank, snapshots, 0));
        assertThat(Fixtures.parsed(items)).hasSize((int) snapshots);
        if (snapshots == 1) {
            assertThat(Fixtures.parsed(items).get(0).event()).extracting(ev ->
                    ((io.vmiscope.events.ProcessSnapshotEvent) ev).processes().size()).isEqualTo((int) e.records);
        }
    }

    /** The lines, DRAKVUF's start-up list lines made good records (the other formats have none). */
    private static List<Line> withoutStartUpList(List<Line> lines) {
        return lines.stream().map(l -> l.kind() == Kind.RUNNING_PROCESS ? new Line(Kind.GOOD, l.end()) : l).toList();
    }

    /** What the lines should give. */
    private static final class Expected {
        long gave;
        long folded;
        long snapshots;
        long bad;
        long blank;
        long records;
    }

    private static Expected expected(List<Line> lines, boolean startUpList) {
        Expected e = new Expected();
        boolean inList = false;
        for (Line l : lines) {
            switch (l.kind()) {
                case GOOD -> {
                    e.gave++;
                    e.records++;
                    inList = false;
                }
                case TWO_ON_A_LINE -> {
                    e.gave++;
                    e.records += 2;
                    inList = false;
                }
                case BAD -> {
                    e.bad++;
                    inList = false;
                }
                case BLANK, EMPTY -> e.blank++;
                case RUNNING_PROCESS -> {
                    e.folded++;
                    if (startUpList && !inList) {
                        e.snapshots++;
                    }
                    inList = true;
                }
            }
        }
        return e;
    }

    private static List<ImportItem> read(ImportFormat format, List<Line> lines, String record, String running) {
        StringBuilder text = new StringBuilder();
        String previousEnd = "";
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            String content = switch (l.kind()) {
                case GOOD -> record;
                case TWO_ON_A_LINE -> record + " " + record;
                case BAD -> record + " garbage";
                case BLANK -> " \t ";
                case EMPTY -> "";
                case RUNNING_PROCESS -> running;
            };
            String end = l.end();
            if (previousEnd.equals("\r") && content.isEmpty() && end.equals("\n")) {
                end = "\r\n"; // "\r" then "\n" would be one CRLF: this empty line needs an end of its own
            }
            boolean last = i == lines.size() - 1;
            text.append(content).append(last && !content.isEmpty() && i % 2 == 0 ? "" : end);
            previousEnd = end;
        }
        try {
            Path file = Files.createTempFile("accounting", ".log");
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8);
                try (Stream<ImportItem> items = format.reader().read(file, "prop")) {
                    return items.toList();
                }
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
