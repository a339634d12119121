package io.vmiscope.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.linux.profile.KernelProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's gdb tracing the same syscalls over the same stub with {@code gdb_trace.py}: the baseline of
 * {@code vmiscope bench trace}. It decodes the same fields as vmiscope (the current task's identity,
 * the arguments, the path and argv strings).
 */
public final class GdbTraceBaseline {

    /**
     * Events gdb produced, the time it traced, and how long it kept the VM stopped per hit (timed by a
     * {@link StopRelay} between gdb and the stub).
     */
    public record Result(long events, double seconds, List<Long> stoppedNanos) {

        /** The stopped time per hit, if gdb was seen to stop and resume at all. */
        public java.util.Optional<Samples> stopped() {
            return stoppedNanos.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Samples.of(stoppedNanos));
        }

        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    private GdbTraceBaseline() {
    }

    public static Result run(GdbAddress.Unix stub, KernelProfile profile, Map<String, Long> hooks, Duration time,
                             Path workDir) {
        try (StopRelay relay = StopRelay.start(workDir.resolve("relay.sock"), stub)) {
            Map<String, Object> config = config(relay.address(), profile, hooks, time, workDir);
            Path summary = workDir.resolve("gdb_trace.summary.json");
            config.put("summary", summary.toString());
            GdbScript.run("gdb_trace.py", config, workDir, summary, 10);
            JsonNode doc = GdbScript.JSON.readTree(summary.toFile());
            return new Result(doc.get("events").asLong(), doc.get("seconds").asDouble(), relay.stoppedNanos());
        } catch (IOException e) {
            throw new UncheckedIOException("gdb trace output: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> config(GdbAddress gdb, KernelProfile profile, Map<String, Long> hooks,
                                              Duration time, Path workDir) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("target", GdbScript.target(gdb));
        config.put("offsets", GdbScript.offsets(profile, "pid", "task_struct.pid", "tgid", "task_struct.tgid",
                "comm", "task_struct.comm", "real_parent", "task_struct.real_parent", "real_cred",
                "task_struct.real_cred", "cred_uid", "cred.uid", "pt_regs_di", "pt_regs.di", "pt_regs_si", "pt_regs.si",
                "pt_regs_dx", "pt_regs.dx", "pt_regs_r10", "pt_regs.r10"));
        config.put("currentTask", profile.symbol("current_task"));
        Map<String, Object> addresses = new LinkedHashMap<>();
        hooks.forEach((name, address) -> addresses.put(name, GdbScript.unsigned(address)));
        config.put("hooks", addresses);
        config.put("maxArgv", 256);
        config.put("seconds", time.toSeconds());
        config.put("output", workDir.resolve("gdb_trace.events.jsonl").toString());
        return config;
    }
}
