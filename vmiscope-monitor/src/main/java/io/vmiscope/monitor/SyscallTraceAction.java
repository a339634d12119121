package io.vmiscope.monitor;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.syscall.ReturnFormatter;

import java.util.List;
import java.util.Set;

/**
 * Traces system calls by breakpoints on their entry functions ({@code __x64_sys_<name>}), with
 * arguments decoded by type (paths and strings read from the caller's memory, flags by name,
 * sockaddrs as address:port, buffers as length + preview). With return values on, each call also
 * gets a temporary breakpoint on its return address, and its event waits for the result (or for the
 * monitor's return timeout: a call that blocks longer is reported without one).
 */
public final class SyscallTraceAction implements Action {

    private final String id;
    private final ProcessFilter filter;
    private final boolean returnValues;
    private final SyscallEntries entries;
    private final List<Hook> hooks;
    private final Set<String> syscalls;

    /**
     * Its id is the spec's text, with {@code +ret} when it reports return values.
     *
     * @param spec names and groups, e.g. {@code syscalls:openat,execve} or {@code syscalls:file,network};
     *             {@code all} hooks the common entry {@code do_syscall_64} once instead of every entry function
     * @throws IllegalArgumentException for an unknown name, or one this kernel lacks (with the reason)
     */
    public SyscallTraceAction(LinuxGuest linux, ActionSpec.Syscalls spec, boolean returnValues) {
        this.id = spec + (returnValues ? "+ret" : "");
        this.filter = spec.processes();
        this.returnValues = returnValues;
        this.entries = new SyscallEntries(linux);
        this.syscalls = entries.table().select(String.join(",", spec.names()));
        // every syscall: one breakpoint on the common entry instead of one per entry function
        this.hooks = spec.all() ? List.of(entries.commonEntry(this::onEntry)) : entries.hooks(syscalls, this::onEntry);
    }

    /** The syscalls hooked. */
    public Set<String> syscalls() {
        return syscalls;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Hook> hooks() {
        return hooks;
    }


    private void onEntry(Hit hit, SyscallEntries.Call call) {
        ProcessRef process = hit.process();
        if (!filter.matches(process)) {
            return;
        }
        List<SyscallArgument> args = SyscallEntries.asEventArguments(entries.decode(hit, call));
        int number = call.syscall().number().orElse(-1); // ia32 entries have no x86-64 number
        long time = hit.timeNanos();
        if (!returnValues) {
            hit.emit(new SyscallEvent(time, hit.vm(), id, process, call.name(), number, args, null, call.abi()));
            return;
        }
        hit.onReturn(
                ret -> ret.emit(new SyscallEvent(time, ret.vm(), id, process, call.name(), number, args,
                        ReturnFormatter.format(call.name(), ret.register("rax")), call.abi())),
                () -> hit.emit(new SyscallEvent(time, hit.vm(), id, process, call.name(), number, args,
                        "? (no return within the timeout)", call.abi())));
    }
}
