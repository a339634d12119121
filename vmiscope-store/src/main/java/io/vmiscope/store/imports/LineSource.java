package io.vmiscope.store.imports;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file line by line without ever holding more than {@code maxLineChars} of one line: the rest of
 * a longer line is skipped and the line is reported as too long. Bytes that are not UTF-8 become
 * U+FFFD. Lines end at {@code \n}; a trailing {@code \r} is dropped. Not thread-safe; close it.
 */
final class LineSource implements Closeable {

    /** One line: its 1-based number and text, or, when it was too long, no text and its length. */
    record Line(long number, String text, long lengthChars, boolean tooLong) {

        boolean blank() {
            return !tooLong && text.isBlank();
        }
    }

    private final Reader in;
    private final int maxLineChars;
    private final char[] buffer = new char[16 * 1024];
    private final StringBuilder current = new StringBuilder();
    private int position;
    private int limit;
    private long lineNumber;

    LineSource(Path file, int maxLineChars) {
        try {
            this.in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        this.maxLineChars = maxLineChars;
    }

    /** The next line, or {@code null} at the end of the file. */
    Line next() {
        current.setLength(0);
        long length = 0;
        while (true) {
            if (position >= limit && !fill()) {
                return length == 0 ? null : line(length);
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int count = position - start;
            if (length + count <= maxLineChars) {
                current.append(buffer, start, count);
            } else {
                current.setLength(0);
            }
            length += count;
            if (position < limit) {
                position++;
                return line(length);
            }
        }
    }

    private Line line(long length) {
        lineNumber++;
        if (length > maxLineChars) {
            return new Line(lineNumber, "", length, true);
        }
        int end = current.length();
        if (end > 0 && current.charAt(end - 1) == '\r') {
            end--;
        }
        return new Line(lineNumber, current.substring(0, end), length, false);
    }

    private boolean fill() {
        try {
            int n = in.read(buffer);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read line " + (lineNumber + 1) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
