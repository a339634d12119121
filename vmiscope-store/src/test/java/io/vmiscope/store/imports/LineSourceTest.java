package io.vmiscope.store.imports;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineSourceTest {

    @TempDir
    Path dir;

    @Test
    void lf_crlf_andALoneCr_eachEndALine_andALastLineWithoutAnEndIsALine() {
        assertThat(lines("a\nb\r\nc\rd")).containsExactly("a", "b", "c", "d");
    }

    @Test
    void blankLinesAreLines_andAnEmptyFileHasNone() {
        assertThat(lines("\n\r\n\r")).containsExactly("", "", "");
        assertThat(lines("x\r\r\n\n")).containsExactly("x", "", "");
        assertThat(lines("")).isEmpty();
    }

    @Test
    void aByteOrderMark_isDroppedAtTheStartOfTheFile_only() {
        assertThat(lines("\uFEFF{\"a\":1}\n\uFEFFx")).containsExactly("{\"a\":1}", "\uFEFFx");
        assertThat(lines("\uFEFF")).isEmpty();
    }

    @Test
    void aLineLongerThanTheLimit_isReportedWithItsLength_andTheNextLineIsWhole() throws IOException {
        Path file = Files.writeString(dir.resolve("long.log"), "12345678901\r\nshort\r", StandardCharsets.UTF_8);
        try (LineSource source = new LineSource(file, 10)) {
            assertThat(source.next()).isEqualTo(new LineSource.Line(1, "", 11, true));
            assertThat(source.next()).isEqualTo(new LineSource.Line(2, "short", 5, false));
            assertThat(source.next()).isNull();
            assertThat(source.linesRead()).isEqualTo(2);
        }
    }

    @Provide
    Arbitrary<List<String>> linesAroundBufferEnds() {
        // Lengths that put line ends at and around the ends of the reader's buffers (8 KiB of bytes, 16 Ki chars).
        Arbitrary<Integer> length = Arbitraries.oneOf(Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(8_180, 8_200), Arbitraries.integers().between(16_370, 16_400));
        Arbitrary<String> line = length.flatMap(n -> Arbitraries.strings().withChars("ab é{}").ofLength(n));
        return line.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 80)
    void everyLine_comesBackWhole_whateverItsEndAndWhereverTheReadBufferEnds(
            @ForAll("linesAroundBufferEnds") List<String> lines, @ForAll("ends") List<String> ends) {
        StringBuilder text = new StringBuilder();
        String previousEnd = "";
        for (int i = 0; i < lines.size(); i++) {
            String end = ends.get(i % ends.size());
            if (previousEnd.equals("\r") && lines.get(i).isEmpty() && end.equals("\n")) {
                end = "\r\n"; // "\r" then "\n" is one CRLF: this empty line needs an end of its own
            }
            text.append(lines.get(i)).append(end);
            previousEnd = end;
        }
        assertThat(lines(text.toString())).containsExactlyElementsOf(lines);
    }

    @Provide
    Arbitrary<List<String>> ends() {
        return Arbitraries.of("\n", "\r\n", "\r").list().ofMinSize(1).ofMaxSize(6);
    }

    private List<String> lines(String content) {
        try {
            Path file = Files.createTempFile(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir,
                    "lines", ".log");
            Files.writeString(file, content, StandardCharsets.UTF_8);
            List<String> found = new ArrayList<>();
            try (LineSource source = new LineSource(file, 1 << 20)) {
                for (LineSource.Line line = source.next(); line != null; line = source.next()) {
                    assertThat(line.number()).isEqualTo(found.size() + 1);
                    found.add(line.text());
                }
                assertThat(source.linesRead()).isEqualTo(found.size());
            } finally {
                Files.delete(file);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
