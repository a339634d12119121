package io.vmiscope.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.linux.profile.KernelProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Debian's gdb tracing the same syscalls over the same stub with {@code gdb_trace.py}: the baseline of
 * {@code vmiscope bench trace}. It decodes the same fields as vmiscope (the current task's identity,
 * the arguments, the path and argv strings).
 */
public final class GdbTraceBaseline {

    /** Events gdb produced and the time it traced. */
    public record Result(long events, double seconds) {
        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    private GdbTraceBaseline() {
    }

    public static Result run(GdbAddress gdb, KernelProfile profile, Map<String, Long> hooks, Duration time,
                             Path workDir) {
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
        Path summary = workDir.resolve("gdb_trace.summary.json");
        config.put("summary", summary.toString());
        GdbScript.run("gdb_trace.py", config, workDir, summary, 10);
        try {
            JsonNode doc = GdbScript.JSON.readTree(summary.toFile());
            return new Result(doc.get("events").asLong(), doc.get("seconds").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException("gdb trace output: " + e.getMessage(), e);
        }
    }
}
