package io.vmiscope.detect.anomaly;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The anomaly model's file: a compact binary with a header. The first 8 bytes are {@code VMSANOM1}'s magic
 * ({@code "VMSANOM"} and the format version as one byte); the rest is gzip-compressed big-endian
 * {@link DataOutputStream} data: the model's name, method, window, frame, threshold (score, false-alarm target,
 * held-out traces), since version 2 the syscall action it was trained on, then per program its key, traces,
 * calls, sequence bound, alphabet (syscall, id) and sequence counts (key, count). Writing goes through a temporary file and a rename, so a crash never leaves
 * half a model under the name. Reading checks every count and bound, and a bad file is one line naming it.
 */
public final class ModelFile {

    /** The format this vmiscope writes; it also reads version 1 (no training action). */
    public static final int VERSION = 2;
    private static final int FIRST_VERSION = 1;
    private static final byte[] MAGIC = "VMSANOM".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_TEXT = 4096;

    private ModelFile() {
    }

    /** Writes {@code model} to {@code file}, replacing it. */
    public static void write(AnomalyModel model, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), ".model", ".tmp");
        try {
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                raw.write(MAGIC);
                raw.write(VERSION);
                GZIPOutputStream gzip = new GZIPOutputStream(raw, 1 << 16);
                DataOutputStream out = new DataOutputStream(gzip);
                writeBody(model, out);
                out.flush();
                gzip.finish();
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a model.
     *
     * @throws IllegalArgumentException with {@code file: reason} when it is not a model this vmiscope can read
     */
    public static AnomalyModel read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] header = raw.readNBytes(MAGIC.length + 1);
            if (header.length < MAGIC.length + 1 || !Arrays.equals(Arrays.copyOf(header, MAGIC.length), MAGIC)) {
                throw new IllegalArgumentException(file + ": not a vmiscope anomaly model");
            }
            int version = header[MAGIC.length];
            if (version < FIRST_VERSION || version > VERSION) {
                throw new IllegalArgumentException(file + ": model format version " + version
                        + ", this vmiscope reads versions " + FIRST_VERSION + " to " + VERSION);
            }
            return readBody(new DataInputStream(new GZIPInputStream(raw, 1 << 16)), version);
        } catch (EOFException | java.util.zip.ZipException e) {
            throw new IllegalArgumentException(file + ": truncated or corrupt model", e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(file + ": corrupt model: " + e.getMessage(), e);
        }
    }

    private static void writeBody(AnomalyModel model, DataOutputStream out) throws IOException {
        out.writeUTF(model.name());
        out.writeUTF(model.settings().method().label());
        out.writeInt(model.settings().window());
        out.writeInt(model.settings().frame());
        out.writeDouble(model.threshold().score());
        out.writeDouble(model.threshold().farTarget());
        out.writeInt(model.threshold().heldOutTraces());
        out.writeUTF(model.syscallAction());
        out.writeInt(model.programs().size());
        for (Map.Entry<String, ProgramModel> e : model.programs().entrySet()) {
            ProgramModel p = e.getValue();
            out.writeUTF(e.getKey());
            out.writeLong(p.traces());
            out.writeLong(p.calls());
            out.writeInt(p.maxSequences());
            out.writeInt(p.symbols());
            IoEntry symbols = (key, value) -> {
                out.writeInt((int) key);
                out.writeInt(value);
            };
            p.forEachSymbol(unchecked(symbols));
            out.writeInt(p.sequences());
            IoEntry grams = (key, value) -> {
                out.writeLong(key);
                out.writeInt(value);
            };
            p.forEachGram(unchecked(grams));
        }
    }

    private static AnomalyModel readBody(DataInputStream in, int version) throws IOException {
        String name = text(in);
        Method method = Method.of(text(in));
        int window = in.readInt();
        int frame = in.readInt();
        AnomalyModel.Settings settings = new AnomalyModel.Settings(method, window, frame);
        AnomalyModel.Threshold threshold = new AnomalyModel.Threshold(in.readDouble(), in.readDouble(), in.readInt());
        String syscallAction = version >= 2 ? text(in) : "";
        int programCount = bounded(in.readInt(), 1_000_000, "programs");
        Map<String, ProgramModel> programs = new HashMap<>();
        for (int i = 0; i < programCount; i++) {
            String program = text(in);
            long traces = in.readLong();
            long calls = in.readLong();
            int maxSequences = bounded(in.readInt(), Integer.MAX_VALUE, "sequence bound");
            ProgramModel model = ProgramModel.restore(window, Math.max(1, maxSequences), traces, calls);
            int symbols = bounded(in.readInt(), ProgramModel.MAX_SYMBOLS, "syscalls");
            for (int s = 0; s < symbols; s++) {
                model.restoreSymbol(in.readInt(), in.readInt());
            }
            int sequences = bounded(in.readInt(), maxSequences, "sequences");
            for (int s = 0; s < sequences; s++) {
                model.restoreGram(in.readLong(), in.readInt());
            }
            programs.put(program, model);
        }
        return new AnomalyModel(name, settings, threshold, syscallAction, programs);
    }

    private static String text(DataInputStream in) throws IOException {
        String value = in.readUTF();
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException("a name longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static int bounded(int value, int max, String what) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(value + " " + what + ", allowed 0 to " + max);
        }
        return value;
    }

    /** A table entry writer that may fail with an I/O error. */
    private interface IoEntry {
        void accept(long key, int value) throws IOException;
    }

    private static LongIntTable.Entry unchecked(IoEntry entry) {
        return (key, value) -> {
            try {
                entry.accept(key, value);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }
}
