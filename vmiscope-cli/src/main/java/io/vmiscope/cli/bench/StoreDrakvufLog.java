package io.vmiscope.cli.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link StoreWorkload}'s records as DRAKVUF's {@code drakmon.log}: one JSON object per line, the
 * common header first ({@code Plugin, TimeStamp, PID, PPID, TID, UserId, ProcessName, Method, EventUID}),
 * then the plugin's own fields, as a recent DRAKVUF prints them for a Windows guest ({@code Ret} and
 * handles as hex strings; the start-up process list as {@code RunningProcess} lines without the header).
 * Stops at exactly the number of lines asked for. Not thread-safe; close it.
 */
public final class StoreDrakvufLog implements StoreWorkload.Trace, AutoCloseable {

    /** What was written. */
    public record Written(long lines, long bytes, long processesCreated, long pidsReused) {
    }

    private final Writer out;
    private final long maxLines;
    private final StringBuilder line = new StringBuilder(1024);
    private long lines;
    private long eventUid;

    private StoreDrakvufLog(Writer out, long maxLines) {
        this.out = out;
        this.maxLines = maxLines;
    }

    /**
     * Writes {@code lines} lines of the workload seeded with {@code seed} to {@code file} (replacing it),
     * reporting to {@code progress}.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public static Written write(Path file, long lines, long seed, StoreProgress progress) {
        StoreWorkload workload = new StoreWorkload(seed);
        try (StoreDrakvufLog log = new StoreDrakvufLog(new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 20), lines)) {
            while (log.lines < lines) {
                workload.step(log);
                progress.update(log.lines);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        progress.done(lines);
        try {
            return new Written(lines, Files.size(file), workload.processesCreated(), workload.pidsReused());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void runningProcess(long timeNanos, StoreWorkload.Proc p) {
        line.setLength(0);
        line.append("{\"Plugin\":\"procmon\",\"TimeStamp\":");
        timestamp(timeNanos);
        line.append(",\"PID\":").append(p.pid()).append(",\"PPID\":").append(p.ppid());
        field("RunningProcess", p.baseName());
        line.append(",\"Bitness\":64}");
        emit();
    }

    @Override
    public void endOfStartupList() {
        // nothing marks the end of the list in DRAKVUF's output: the next record does
    }

    @Override
    public void syscall(long timeNanos, StoreWorkload.Proc p, int tid, int vcpu, StoreWorkload.Syscall call,
                        String[] values) {
        header("syscall", timeNanos, p, tid, call.name());
        line.append(",\"Module\":\"nt\",\"vCPU\":").append(vcpu);
        field("CR3", p.cr3());
        line.append(",\"Syscall\":").append(call.number()).append(",\"NArgs\":").append(values.length);
        for (int i = 0; i < values.length; i++) {
            field(call.arguments()[i], values[i]);
        }
        end();
    }

    @Override
    public void sysret(long timeNanos, StoreWorkload.Proc p, int tid, int vcpu, StoreWorkload.Syscall call,
                       long status) {
        header("sysret", timeNanos, p, tid, call.name());
        line.append(",\"Module\":\"nt\",\"vCPU\":").append(vcpu);
        field("CR3", p.cr3());
        line.append(",\"Syscall\":").append(call.number());
        field("Ret", "0x" + Long.toHexString(status));
        field("Info", StoreWorkload.statusName(status));
        end();
    }

    @Override
    public void created(long timeNanos, StoreWorkload.Proc creator, int tid, StoreWorkload.Proc child) {
        header("procmon", timeNanos, creator, tid, "NtCreateUserProcess");
        line.append(",\"NewPid\":").append(child.pid()).append(",\"NewTid\":").append(child.tids()[0]);
        field("CommandLine", child.commandLine());
        field("ImagePathName", child.image());
        field("CWD", "C:\\Windows\\system32\\");
        field("Status", "0x0");
        end();
    }

    @Override
    public void terminated(long timeNanos, StoreWorkload.Proc caller, int tid, StoreWorkload.Proc ended,
                           long status) {
        header("procmon", timeNanos, caller, tid, "NtTerminateProcess");
        line.append(",\"ExitPid\":").append(ended.pid());
        field("ExitStatus", "0x" + Long.toHexString(status));
        field("ExitStatusStr", StoreWorkload.statusName(status));
        end();
    }

    @Override
    public void file(long timeNanos, StoreWorkload.Proc p, int tid, StoreWorkload.Syscall call, String operation,
                     String fileName, String handle) {
        header("filetracer", timeNanos, p, tid, call.name());
        field("FileName", fileName);
        field("FileHandle", handle);
        field("Operation", operation);
        field("Status", "0x0");
        end();
    }

    @Override
    public void registry(long timeNanos, StoreWorkload.Proc p, int tid, StoreWorkload.Syscall call, String key,
                         String valueName, String value) {
        header("regmon", timeNanos, p, tid, call.name());
        field("Key", key);
        field("ValueName", valueName);
        field("Value", value);
        end();
    }

    @Override
    public void network(long timeNanos, StoreWorkload.Proc p, int tid, String method, String protocol,
                        String localIp, int localPort, String remoteIp, int remotePort, String dnsName) {
        header("socketmon", timeNanos, p, tid, method);
        field("Owner", p.baseName());
        line.append(",\"OwnerPID\":").append(p.pid());
        field("Protocol", protocol);
        if (dnsName != null) {
            field("DnsName", dnsName);
        } else {
            field("LocalIp", localIp);
            line.append(",\"LocalPort\":").append(localPort);
            field("RemoteIp", remoteIp);
            line.append(",\"RemotePort\":").append(remotePort);
        }
        end();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void header(String plugin, long timeNanos, StoreWorkload.Proc p, int tid, String method) {
        line.setLength(0);
        line.append("{\"Plugin\":\"").append(plugin).append("\",\"TimeStamp\":");
        timestamp(timeNanos);
        line.append(",\"PID\":").append(p.pid()).append(",\"PPID\":").append(p.ppid()).append(",\"TID\":").append(tid)
                .append(",\"UserId\":").append(p.sessionId());
        field("ProcessName", p.processName());
        field("Method", method);
        line.append(",\"EventUID\":\"0x").append(Long.toHexString(++eventUid)).append('"');
    }

    /** DRAKVUF's {@code "<seconds>.<microseconds>"}. */
    private void timestamp(long timeNanos) {
        long micros = timeNanos % 1_000_000_000L / 1_000;
        line.append('"').append(timeNanos / 1_000_000_000L).append('.');
        for (long scale = 100_000; scale > 1 && micros < scale; scale /= 10) {
            line.append('0');
        }
        line.append(micros).append('"');
    }

    /** {@code ,"name":"value"} with the value escaped as JSON (the workload's strings are printable ASCII). */
    private void field(String name, String value) {
        line.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\');
            }
            line.append(c);
        }
        line.append('"');
    }

    private void end() {
        line.append('}');
        emit();
    }

    private void emit() {
        if (lines >= maxLines) {
            return;
        }
        line.append('\n');
        try {
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write line " + (lines + 1) + ": " + e.getMessage(), e);
        }
        lines++;
    }
}
