package io.vmiscope.guest;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongBinaryOperator;

/**
 * A VM's complete physical memory written to an ELF core file by QEMU ({@code dump-guest-memory},
 * detached, polled with {@code query-dump} so callers can show progress). QEMU pauses the VM while it
 * dumps and resumes it afterwards.
 */
public final class MemoryDump {

    private MemoryDump() {
    }

    /**
     * @param progress called with (bytes done, bytes total) while QEMU writes; its result is ignored
     * @return the file's size in bytes
     * @throws IllegalStateException when QEMU reports the dump failed
     */
    public static long write(Qmp qmp, Path file, LongBinaryOperator progress) {
        Path target = file.toAbsolutePath();
        try {
            Files.deleteIfExists(target);
            qmp.execute("dump-guest-memory", Map.of("paging", false, "protocol", "file:" + target, "detach", true));
            while (true) {
                JsonNode dump = qmp.execute("query-dump");
                String status = dump.path("status").asText();
                if (dump.path("total").asLong() > 0) {
                    progress.applyAsLong(dump.path("completed").asLong(), dump.path("total").asLong());
                }
                if (status.equals("completed")) {
                    return Files.size(target);
                }
                if (status.equals("failed")) {
                    throw new IllegalStateException("QEMU failed to dump the guest's memory to " + target);
                }
                Thread.sleep(200);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dumping to " + target, e);
        }
    }
}
