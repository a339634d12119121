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
 * U+FFFD. A line ends at {@code \n}, {@code \r\n} or a lone {@code \r} (old Mac line ends), the end not
 * being part of the line; a last line without an end is still a line, an empty file has none. A UTF-8 byte
 * order mark at the start of the file is dropped. Every physical line is returned, blank ones included, so
 * {@link #linesRead()} at the end is the file's number of lines. Not thread-safe; close it.
 */
final class LineSource implements Closeable {

    /** One line: its 1-based number and text, or, when it was too long, no text and its length. */
    record Line(long number, String text, long lengthChars, boolean tooLong) {

        boolean blank() {
            return !tooLong && text.isBlank();
        }
    }

    private static final char BOM = '\uFEFF';

    private final Reader in;
    private final int maxLineChars;
    private final char[] buffer = new char[16 * 1024];
    private final StringBuilder current = new StringBuilder();
    private int position;
    private int limit;
    private long lineNumber;
    private boolean started;
    /** The previous line ended at a {@code \r}: a {@code \n} right after it belongs to that end. */
    private boolean afterCarriageReturn;

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
        boolean any = false;
        while (true) {
            if (position >= limit && !fill()) {
                return any ? line(length) : null;
            }
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
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
                afterCarriageReturn = buffer[position] == '\r';
                position++;
                return line(length);
            }
        }
    }

    /** Lines returned so far: at the end of the file, its number of lines. */
    long linesRead() {
        return lineNumber;
    }

    private Line line(long length) {
        lineNumber++;
        if (length > maxLineChars) {
            return new Line(lineNumber, "", length, true);
        }
        return new Line(lineNumber, current.toString(), length, false);
    }

    private boolean fill() {
        try {
            int n = in.read(buffer);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            if (!started) {
                started = true;
                if (buffer[0] == BOM) {
                    position = 1;
                    return position < limit || fill();
                }
            }
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
