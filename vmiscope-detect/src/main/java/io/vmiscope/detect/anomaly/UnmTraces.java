package io.vmiscope.detect.anomaly;

import io.vmiscope.events.OneLine;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Reads UNM system-call data: lines of {@code pid syscall}, several processes interleaved, one trace per pid
 * in order of first appearance. A file may be plain, gzip-compressed, or a tar archive (optionally gzipped)
 * of such files, each read in turn; a trace inside an archive is named {@code archive!entry#pid}.
 */
final class UnmTraces {

    /** The most syscalls one file (or archive entry) may hold. */
    static final int MAX_CALLS = AdfaTraces.MAX_CALLS;

    private UnmTraces() {
    }

    static void read(Path file, String program, Consumer<Trace> each) {
        String name = file.toString();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            if (name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
                InputStream archive = name.endsWith(".tar") ? raw : new GzipCompressorInputStream(raw);
                TarArchiveInputStream tar = new TarArchiveInputStream(archive);
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    if (entry.isFile()) {
                        String entryName = name + "!" + entry.getName();
                        parse(entry.getName().endsWith(".gz") ? new GzipCompressorInputStream(tar, false)
                                : tar, entryName, program, each);
                    }
                }
            } else {
                parse(name.endsWith(".gz") ? new GzipCompressorInputStream(raw) : raw, name, program, each);
            }
        } catch (IOException e) {
            throw new TraceFileException(name, "cannot read: " + e.getMessage(), e);
        }
    }

    private static void parse(InputStream in, String name, String program, Consumer<Trace> each) throws IOException {
        Map<Integer, IntStream.Builder> byPid = new LinkedHashMap<>();
        // not closed: closing would close an archive that has more entries; the caller closes the file
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        long lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (lineNumber > MAX_CALLS) {
                throw new TraceFileException(name, lineNumber, "more than " + MAX_CALLS + " syscalls");
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 2) {
                throw new TraceFileException(name, lineNumber,
                        "expected 'pid syscall', got '" + OneLine.of(trimmed, 40) + "'");
            }
            int pid = AdfaTraces.unsigned(parts[0], name, lineNumber, "a pid");
            byPid.computeIfAbsent(pid, p -> IntStream.builder()).add(AdfaTraces.number(parts[1], name, lineNumber));
        }
        byPid.forEach((pid, calls) -> each.accept(new Trace(program, name + "#" + pid, calls.build().toArray())));
    }
}
