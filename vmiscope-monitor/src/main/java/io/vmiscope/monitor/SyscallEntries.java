package io.vmiscope.monitor;

import io.vmiscope.api.Gva;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.syscall.ArgType;
import io.vmiscope.linux.syscall.DecodeLimits;
import io.vmiscope.linux.syscall.DecodedArg;
import io.vmiscope.linux.syscall.PtRegsLayout;
import io.vmiscope.linux.syscall.Syscall;
import io.vmiscope.linux.syscall.SyscallDecoder;
import io.vmiscope.linux.syscall.SyscallSignature;
import io.vmiscope.linux.syscall.SyscallTable;
import io.vmiscope.linux.syscall.UserMemory;
import io.vmiscope.linux.walk.ReadPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What the syscall-based actions share: hooks on {@code __x64_sys_<name>} entries, reading the user's
 * arguments from the {@code pt_regs} the entry receives in {@code rdi} (one read), and decoding them.
 */
final class SyscallEntries {

    /** One call at its entry: which syscall (and so which entry path) and its six raw arguments. */
    record Call(Syscall syscall, long[] args) {
        String name() {
            return syscall.name();
        }

        boolean ia32() {
            return syscall.abi() != Syscall.Abi.X64;
        }

        /** As events name the entry path. */
        String abi() {
            return ia32() ? "ia32" : "x64";
        }
    }

    private final LinuxGuest linux;
    private final SyscallTable table;
    private final PtRegsLayout ptRegs;
    private final ReadPlan ptRegsPlan;

    /** @throws io.vmiscope.linux.symbols.ProfileException when pt_regs or current_task are missing */
    SyscallEntries(LinuxGuest linux) {
        this.linux = linux;
        this.table = linux.syscalls();
        this.ptRegs = PtRegsLayout.from(linux.profile());
        this.ptRegsPlan = ptRegs.readPlan(2048);
        linux.currentTasks();
    }

    SyscallTable table() {
        return table;
    }

    /**
     * A hook per syscall name on its 64-bit entry, and one on its 32-bit entry when the kernel has one
     * (the compat entry when present: the 32-bit table points at it); the kernel's missing ones are
     * refused with the table's reason.
     */
    List<Hook> hooks(Set<String> names, BiConsumer<Hit, Call> handler) {
        List<Hook> hooks = new ArrayList<>();
        for (String name : names) {
            Syscall syscall = table.find(name).orElseThrow(() -> new IllegalArgumentException(
                    table.whyMissing(name).orElse("no syscall " + name)));
            hooks.add(hook(syscall, handler));
            table.ia32().stream().filter(s -> s.name().equals(name))
                    .min(java.util.Comparator.comparing(s -> s.abi() == Syscall.Abi.IA32_COMPAT ? 0 : 1))
                    .ifPresent(ia32 -> hooks.add(hook(ia32, handler)));
        }
        return hooks;
    }

    private Hook hook(Syscall syscall, BiConsumer<Hit, Call> handler) {
        long address = syscall.address() + linux.location().slide();
        return new Hook(syscall.symbol(), Gva.of(address), hit -> handler.accept(hit, read(hit, syscall)));
    }

    /**
     * One hook on the common entry {@code do_syscall_64(struct pt_regs *regs, int nr)}, for tracing
     * every syscall with a single breakpoint; numbers this kernel's table lacks are skipped.
     */
    Hook commonEntry(BiConsumer<Hit, Call> handler) {
        return new Hook("do_syscall_64", Gva.of(linux.address("do_syscall_64")), hit -> table
                .byNumber((int) hit.register("rsi")).ifPresent(syscall -> handler.accept(hit, read(hit, syscall))));
    }

    /** The arguments from {@code pt_regs}, read in one batch with the caller's identity. */
    private Call read(Hit hit, Syscall syscall) {
        ReadPlan.Prepared regs = ptRegsPlan.prepare(Gva.of(hit.register("rdi")));
        hit.readWithCurrentTask(regs.reads());
        ReadPlan.Block block = regs.block();
        return new Call(syscall, syscall.abi() == Syscall.Abi.X64 ? ptRegs.arguments(block) : ptRegs.ia32Arguments(block));
    }

    /** The arguments decoded through the calling process's page tables (the vCPU's CR3). */
    List<DecodedArg> decode(Hit hit, Call call) {
        return SyscallDecoder.decode(call.ia32() ? with32BitPointerArraysAsPointers(call.name())
                        : SyscallSignature.of(call.name()), call.args(),
                UserMemory.of(hit.memory(), hit.register("cr3")), DecodeLimits.DEFAULT);
    }

    /** The decoder reads 64-bit pointer arrays; a 32-bit caller's argv/envp are shown as pointers instead. */
    private static SyscallSignature with32BitPointerArraysAsPointers(String name) {
        SyscallSignature signature = SyscallSignature.of(name);
        return new SyscallSignature(signature.name(), signature.params().stream()
                .map(p -> p.type() == ArgType.ARGV || p.type() == ArgType.ENVP || p.type() == ArgType.SOCKADDR_LEN_PTR
                        ? new SyscallSignature.Param(p.name(), ArgType.PTR, -1) : p).toList(), signature.returns());
    }

    /** The same, in the events' shape. */
    static List<SyscallArgument> asEventArguments(List<DecodedArg> decoded) {
        return decoded.stream().map(d -> new SyscallArgument(d.name(), d.type(), d.raw(), d.text(), d.truncated(),
                d.unreadable())).toList();
    }
}
