package io.vmiscope.detect.anomaly;

import io.vmiscope.events.OneLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/** Reads ADFA-LD trace files: one process per file, its syscall numbers separated by white space. */
final class AdfaTraces {

    /** The most syscalls one trace file may hold. */
    static final int MAX_CALLS = 50_000_000;

    private AdfaTraces() {
    }

    static Trace read(Path file, String program) {
        String name = file.toString();
        IntStream.Builder calls = IntStream.builder();
        long count = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            long lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                for (String token : line.trim().split("\\s+")) {
                    if (token.isEmpty()) {
                        continue;
                    }
                    if (++count > MAX_CALLS) {
                        throw new TraceFileException(name, lineNumber, "more than " + MAX_CALLS + " syscalls");
                    }
                    calls.add(number(token, name, lineNumber));
                }
            }
        } catch (IOException e) {
            throw new TraceFileException(name, "cannot read: " + e.getMessage(), e);
        }
        return new Trace(program, name, calls.build().toArray());
    }

    /** A syscall number token, checked: {@code file:line: reason} when it is not one. */
    static int number(String token, String file, long line) {
        int value = unsigned(token, file, line, "a syscall number");
        if (value > Syscalls.MAX_NUMBER) {
            throw new TraceFileException(file, line, "syscall number " + value + " is above " + Syscalls.MAX_NUMBER);
        }
        return value;
    }

    /** A token of at most 9 decimal digits, as an int: {@code file:line: 'x' is not WHAT} when it is not one. */
    static int unsigned(String token, String file, long line, String what) {
        if (token.isEmpty() || token.length() > 9 || !token.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new TraceFileException(file, line, "'" + OneLine.of(token, 40) + "' is not " + what);
        }
        return Integer.parseInt(token);
    }
}
