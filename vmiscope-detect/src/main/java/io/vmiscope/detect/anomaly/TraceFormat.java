package io.vmiscope.detect.anomaly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The trace-file layouts of the public data sets that {@code --format} names. */
public enum TraceFormat {

    /** ADFA-LD: one file per process, one line of space-separated syscall numbers. */
    ADFA,
    /** UNM: lines of {@code pid syscall}, processes interleaved; plain, {@code .gz}, {@code .tar}, {@code .tar.gz}. */
    UNM;

    /** The name as {@code --format} spells it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format {@code --format} names. */
    public static TraceFormat of(String label) {
        for (TraceFormat f : values()) {
            if (f.label().equals(label)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown trace format '" + label + "'; known: adfa, unm");
    }

    /**
     * The traces in {@code path} (a trace file, or a folder read recursively in name order), all of
     * {@code program}.
     */
    public TraceSource source(Path path, String program) {
        return each -> {
            for (Path file : files(path)) {
                switch (this) {
                    case ADFA -> each.accept(AdfaTraces.read(file, program));
                    case UNM -> UnmTraces.read(file, program, each);
                }
            }
        };
    }

    /** The traces of several paths, one after the other. */
    public TraceSource source(List<Path> paths, String program) {
        return each -> paths.forEach(p -> source(p, program).forEach(each));
    }

    /** The regular files of {@code path}: itself, or those below it, sorted by path. */
    static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new TraceFileException(path.toString(), "no such file or folder", null);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
    }
}
