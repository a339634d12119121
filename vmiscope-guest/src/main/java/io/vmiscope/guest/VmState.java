package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The registry entry of one VM started by vmiscope, stored as {@code CACHE/vms/NAME/vm.json}. It is
 * written once the QEMU process exists and removed when the VM is stopped or reaped.
 *
 * @param name            the VM's registry name
 * @param vmDir           the VM's runtime directory (sockets, logs, pid file); its path appears in
 *                        QEMU's command line, which tells our QEMU from a process that reuses its pid
 * @param qemuPid         QEMU's pid
 * @param supervisorPid   the supervising process (for an owned VM) or QEMU itself (detached)
 * @param ownerPid        see {@link VmOwner#pid()}
 * @param ownerStartTicks see {@link VmOwner#startTicks()}
 * @param gdbSocket       Unix socket of QEMU's gdbstub
 * @param httpPort        loopback TCP port forwarded to the guest's port 80
 * @param qmpSocket       QMP socket for tools
 * @param guardQmpSocket  second QMP socket, kept free for a guard that resumes a VM its debugger left stopped
 * @param consoleSocket   socket of the guest's ttyS1 (the test console)
 * @param serialLog       the guest's ttyS0 (kernel console) written to a file
 * @param qemuLog         QEMU's own standard output and error
 * @param kernel          the booted bzImage
 * @param initrd          the booted initramfs
 * @param kernelVersion   the guest's {@code uname -r}
 * @param accelerator     the accelerator QEMU runs with ({@code KVM} or {@code TCG}, never {@code AUTO})
 * @param kaslr           whether the kernel randomises its base
 * @param vcpus           number of vCPUs
 * @param memoryMb        guest RAM in MiB
 * @param startedEpochMillis host wall-clock time of the start
 */
public record VmState(String name, Path vmDir, long qemuPid, long supervisorPid, long ownerPid, long ownerStartTicks,
                      Path gdbSocket, int httpPort, Path qmpSocket, Path guardQmpSocket, Path consoleSocket,
                      Path serialLog, Path qemuLog, Path kernel, Path initrd, String kernelVersion,
                      Accelerator accelerator, boolean kaslr, int vcpus, int memoryMb, long startedEpochMillis) {

    static final String FILE_NAME = "vm.json";
    /** Only the record components are stored; fields a newer version adds are ignored on reading. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public VmOwner owner() {
        return new VmOwner(ownerPid, ownerStartTicks);
    }

    public Instant startedAt() {
        return Instant.ofEpochMilli(startedEpochMillis);
    }

    /** True when QEMU's pid runs and its command line names this VM's directory. */
    @JsonIgnore
    public boolean isQemuRunning() {
        return ProcStat.isRunning(qemuPid) && ProcStat.commandLine(qemuPid).contains(vmDir.toString());
    }

    /** The fields {@code vmiscope guest status} shows, in display order. */
    public Map<String, String> statusFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("state", isQemuRunning() ? "running" : "gone");
        fields.put("pid", Long.toString(qemuPid));
        fields.put("owner", owner().toString());
        fields.put("accelerator", accelerator.name().toLowerCase(Locale.ROOT));
        fields.put("kaslr", kaslr ? "on" : "off");
        fields.put("vcpus", Integer.toString(vcpus));
        fields.put("memory", memoryMb + " MiB");
        fields.put("kernel", kernelVersion);
        fields.put("gdb", "unix:" + gdbSocket);
        fields.put("http", "http://127.0.0.1:" + httpPort + "/");
        fields.put("qmp", qmpSocket.toString());
        fields.put("console", consoleSocket.toString());
        fields.put("serial log", serialLog.toString());
        fields.put("started", startedAt().toString());
        return fields;
    }

    /** Writes this state to {@code vmDir/vm.json} atomically. */
    void write() {
        Path file = vmDir.resolve(FILE_NAME);
        Path partial = vmDir.resolve(FILE_NAME + ".partial");
        try {
            JSON.writeValue(partial.toFile(), this);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a state file.
     *
     * @throws UncheckedIOException when it is missing or malformed
     */
    static VmState read(Path file) {
        try {
            return JSON.readValue(file.toFile(), VmState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
