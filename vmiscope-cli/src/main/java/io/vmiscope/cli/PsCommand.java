package io.vmiscope.cli;

import io.vmiscope.linux.task.ProcessInfo;
import io.vmiscope.linux.walk.WalkResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code vmiscope ps}: the live process list of a VM, read from its kernel memory. */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"List the processes of a running VM from outside: the kernel's task list is read through "
                + "QEMU's gdbstub (the VM is paused for the walk, then resumed). Nothing runs in the guest.",
                "", "Examples:", "  vmiscope ps --vm demo --tree",
                "  vmiscope ps --gdb unix:/run/vm1/gdb.sock --kernel /boot/vmlinuz-6.1.0-56-cloud-amd64 --json"})
final class PsCommand implements Callable<Integer> {

    @Mixin
    TargetOptions target;

    @Option(names = "--json", description = "machine-readable output, with anomalies and the KASLR slide")
    boolean json;

    @Option(names = "--tree", description = "show the parent/child tree")
    boolean tree;

    @Override
    public Integer call() {
        TargetOptions.Resolved resolved = target.resolve();
        try (TargetOptions.Session session = TargetOptions.attach(resolved)) {
            WalkResult<ProcessInfo> result = session.linux().processes();
            if (json) {
                ProcessListRenderer.json(session.name(), session.linux().location(), result, System.out);
            } else if (tree) {
                ProcessListRenderer.tree(result, System.out);
            } else {
                ProcessListRenderer.table(result, System.out);
            }
            return result.truncated() ? 3 : 0;
        }
    }
}
