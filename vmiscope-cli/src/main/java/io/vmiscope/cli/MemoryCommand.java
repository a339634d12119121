package io.vmiscope.cli;

import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vmiscope memory}: read a range of one process's memory, through its own page tables. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Read a range of a process's memory from outside (the VM is paused for the read): the process "
                + "is found on the kernel's task list and its own page tables translate the address.")
final class MemoryCommand implements Callable<Integer> {

    @Mixin
    TargetOptions target;

    @Option(names = "--pid", required = true, description = "the process")
    int pid;

    @Option(names = "--address", required = true, paramLabel = "HEX", description = "a virtual address in the process, e.g. 0x7ffd12345000")
    String address;

    @Option(names = "--length", defaultValue = "256", description = "bytes to read (default: ${DEFAULT-VALUE}; at most 16 MiB)")
    int length;

    @Option(names = "--out", paramLabel = "FILE", description = "write the raw bytes to FILE instead of a hex dump")
    Path out;

    @Override
    public Integer call() throws Exception {
        long start;
        try {
            start = Hex.parse(address);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--address wants a hex address like 0x7ffd12345000, not '" + address + "'");
        }
        try (TargetOptions.Session session = TargetOptions.attach(target.resolve())) {
            byte[] bytes = session.linux().readProcessMemory(pid, Gva.of(start), length);
            if (out != null) {
                Files.write(out, bytes);
                System.err.println("vmiscope: wrote " + bytes.length + " bytes of pid " + pid + " to " + out);
            } else {
                hexDump(start, bytes);
            }
            return 0;
        }
    }

    /** Sixteen bytes a line: address, hex, and the printable ASCII (anything else as '.'). */
    private static void hexDump(long start, byte[] bytes) {
        for (int line = 0; line < bytes.length; line += 16) {
            StringBuilder hex = new StringBuilder();
            StringBuilder text = new StringBuilder();
            for (int i = line; i < Math.min(bytes.length, line + 16); i++) {
                hex.append(String.format("%02x ", bytes[i] & 0xff));
                text.append(bytes[i] >= 0x20 && bytes[i] < 0x7f ? (char) bytes[i] : '.');
            }
            System.out.printf("%s  %-48s %s%n", Hex.address(start + line), hex, text);
        }
    }
}
