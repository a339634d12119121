package io.vmiscope.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.linux.profile.KernelProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code gdb} producing the same process list over the same gdbstub, with the gdb Python
 * script {@code gdb_ps.py}: the baseline of {@code vmiscope bench ps}. The script receives the same
 * offsets and addresses vmiscope uses, so both do the same logical work.
 */
public final class GdbPsBaseline {

    /**
     * @param walkNanos     time of each measured listing inside gdb
     * @param totalNanos    wall-clock time of the whole gdb process (start-up, connect, all runs)
     * @param processes     the last listing: pid, ppid, comm, argv per process
     */
    public record Result(List<Long> walkNanos, long totalNanos, List<Map<String, Object>> processes) {
    }

    private GdbPsBaseline() {
    }

    /** Runs gdb against {@code gdb}; the VM must be attachable (no other debugger connected). */
    public static Result run(GdbAddress gdb, KernelProfile profile, long slide, int warmup, int runs,
                             int maxArgvBytes, Path workDir) {
        Path output = workDir.resolve("gdb_ps.out.json");
        long total = GdbScript.run("gdb_ps.py", config(gdb, profile, slide, warmup, runs, maxArgvBytes, output),
                workDir, output, 10);
        try {
            JsonNode doc = GdbScript.JSON.readTree(output.toFile());
            List<Long> walks = new ArrayList<>();
            doc.get("walkNanos").forEach(n -> walks.add(n.asLong()));
            List<Map<String, Object>> processes = new ArrayList<>();
            doc.get("processes").forEach(p -> processes.add(GdbScript.JSON.convertValue(p, Map.class)));
            return new Result(walks, total, processes);
        } catch (IOException e) {
            throw new UncheckedIOException("gdb baseline output: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> config(GdbAddress gdb, KernelProfile profile, long slide, int warmup,
                                              int runs, int maxArgvBytes, Path output) {
        Map<String, Object> offsets = GdbScript.offsets(profile, "tasks", "task_struct.tasks", "pid", "task_struct.pid",
                "tgid", "task_struct.tgid", "comm", "task_struct.comm", "real_parent", "task_struct.real_parent",
                "real_cred", "task_struct.real_cred", "mm", "task_struct.mm", "flags", "task_struct.flags",
                "exit_state", "task_struct.exit_state", "start_time", "task_struct.start_time", "cred_uid", "cred.uid",
                "cred_gid", "cred.gid", "mm_pgd", "mm_struct.pgd", "mm_arg_start", "mm_struct.arg_start",
                "mm_arg_end", "mm_struct.arg_end");
        offsets.put("state", profile.struct("task_struct").member("__state")
                .or(() -> profile.struct("task_struct").member("state")).orElseThrow().offsetBytes());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("target", GdbScript.target(gdb));
        config.put("offsets", offsets);
        config.put("initTask", GdbScript.unsigned(profile.symbol("init_task") + slide));
        config.put("pageOffsetBase", GdbScript.unsigned(profile.symbol("page_offset_base") + slide));
        config.put("warmup", warmup);
        config.put("runs", runs);
        config.put("maxArgvBytes", maxArgvBytes);
        config.put("maxNodes", 65_536);
        config.put("output", output.toString());
        return config;
    }
}
