package io.vmiscope.store.imports;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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

class ImportReadersProperties {

    /** Fragments that steer random lines into every parser's corners. */
    private static final List<String> PIECES = List.of("{", "}", "[", "]", "\"", ":", ",", " ", "\\", "\n", "\r",
            "{\"Plugin\":", "\"procmon\"", "\"RunningProcess\":", "\"PID\":", "\"TimeStamp\":", "\"1.5\"", "-1",
            "99999999999999999999", "0x", "\"__children\":", "[PROCMON]", "TIME:", "\"p\":", "SessionID:", "null",
            "true", "1e308", "\"kind\":\"exec\"", "\uFFFF", "\u0000", "é");

    @Provide
    Arbitrary<List<String>> garbageLines() {
        Arbitrary<String> piece = Arbitraries.of(PIECES);
        Arbitrary<String> random = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> line = Arbitraries.oneOf(piece, random).list().ofMaxSize(30)
                .map(parts -> String.join("", parts));
        return line.list().ofMaxSize(20);
    }

    @Property(tries = 300)
    void randomGarbage_neverMakesAReaderThrow_andEveryItemNamesAValidLine(
            @ForAll("garbageLines") List<String> lines) {
        Path file = write(lines);
        try {
            long maxLine = lines.stream().mapToLong(l -> l.lines().count() + 1).sum() + 1;
            for (ImportFormat format : ImportFormat.values()) {
                try (Stream<ImportItem> items = format.reader().read(file, "fuzz")) {
                    List<ImportItem> all = items.toList();
                    assertThat(Fixtures.itemsOfLines(all)).allSatisfy(item -> {
                        long line = item instanceof ImportItem.Parsed p ? p.line()
                                : ((ImportItem.Rejected) item).line();
                        assertThat(line).isBetween(1L, maxLine);
                        if (item instanceof ImportItem.Rejected r) {
                            assertThat(r.reason()).isNotBlank().doesNotContain("\n");
                        }
                    });
                    assertThat(Fixtures.lineCounts(all).lines()).isLessThanOrEqualTo(maxLine);
                }
            }
        } finally {
            delete(file);
        }
    }

    private static Path write(List<String> lines) {
        try {
            Path file = Files.createTempFile("garbage", ".log");
            Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
