package io.vmiscope.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.linux.profile.KernelProfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the benchmarks' gdb Python scripts (resources beside this class) with Debian's
 * {@code gdb -nx -batch}, handing it a JSON config through {@code VMISCOPE_BENCH_CONFIG}.
 */
final class GdbScript {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The scripts' shared prelude (config, connection, reads), imported from beside them. */
    private static final String SHARED_MODULE = "vmiscope_gdb.py";

    private GdbScript() {
    }

    /** What gdb's {@code target remote} takes for {@code address}: a Unix socket's path, or {@code HOST:PORT}. */
    static String target(GdbAddress address) {
        return address instanceof GdbAddress.Unix unix ? unix.path().toString() : address.toString();
    }

    /**
     * Runs the script and waits for it.
     *
     * @param expectedOutput a file the script must have written; its absence is reported with gdb's last line
     * @return the wall-clock time of the whole gdb process, nanoseconds
     */
    static long run(String script, Map<String, Object> config, Path workDir, Path expectedOutput, long timeoutMinutes) {
        try {
            Files.createDirectories(workDir);
            Path scriptFile = workDir.resolve(script);
            for (String resource : new String[] {script, SHARED_MODULE}) {
                try (InputStream in = GdbScript.class.getResourceAsStream(resource)) {
                    Files.write(workDir.resolve(resource), in.readAllBytes());
                }
            }
            Files.deleteIfExists(expectedOutput);
            Path configFile = workDir.resolve(script + ".config.json");
            JSON.writeValue(configFile.toFile(), config);
            Path log = workDir.resolve(script + ".log");
            ProcessBuilder pb = new ProcessBuilder("gdb", "-nx", "-batch", "-x", scriptFile.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("VMISCOPE_BENCH_CONFIG", configFile.toString());
            long t0 = System.nanoTime();
            Process gdb = pb.start();
            if (!gdb.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                gdb.destroyForcibly();
                throw new IllegalStateException("gdb (" + script + ") did not finish in " + timeoutMinutes + " minutes");
            }
            long total = System.nanoTime() - t0;
            if (!Files.exists(expectedOutput)) {
                throw new IllegalStateException("gdb (" + script + ") failed: " + Files.readString(log).lines()
                        .filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output"));
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("gdb baseline: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Byte offsets of {@code struct.member} for the given {@code key → "struct.member"} pairs. */
    static Map<String, Object> offsets(KernelProfile profile, String... keyAndMember) {
        Map<String, Object> offsets = new LinkedHashMap<>();
        for (int i = 0; i < keyAndMember.length; i += 2) {
            String[] m = keyAndMember[i + 1].split("\\.");
            offsets.put(keyAndMember[i], profile.offset(m[0], m[1]));
        }
        return offsets;
    }

    /** Kernel addresses are above 2^63: JSON must carry them as unsigned numbers for Python. */
    static BigInteger unsigned(long address) {
        return new BigInteger(Long.toUnsignedString(address));
    }
}
