package io.vmiscope.cli;

import io.vmiscope.guest.MemoryDump;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.VmRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vmiscope dump}: the VM's whole physical memory to an ELF core file, through QMP. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Write a VM's complete physical memory to a file (ELF core, as QEMU's dump-guest-memory writes "
                + "it; Volatility reads it), showing progress. The VM is paused by QEMU while it dumps. Needs a VM "
                + "started by vmiscope (QMP access).")
final class DumpCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "the VM (see 'vmiscope guest status')")
    String vm;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the dump")
    Path out;

    @Override
    public Integer call() {
        QemuVm target = VmRegistry.withDefaults().find(vm)
                .orElseThrow(() -> new IllegalArgumentException("no running VM named '" + vm + "'"));
        long size = MemoryDump.write(target.qmp(), out, (done, total) -> {
            System.err.printf("\rvmiscope: dumping %s: %3d%% (%d of %d MiB)", vm, done * 100 / total, done >> 20, total >> 20);
            return 0;
        });
        System.err.println();
        System.out.println("wrote " + size + " bytes to " + out.toAbsolutePath());
        return 0;
    }
}
