package io.vmiscope.monitor;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.api.AccessContext;
import io.vmiscope.api.Gva;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.syscall.UserMemory;
import io.vmiscope.linux.syscall.UserStrings;
import io.vmiscope.linux.task.CurrentTaskReader;
import io.vmiscope.x86.ContextRead;
import io.vmiscope.linux.task.TaskIdentity;

import java.util.ArrayList;
import java.util.List;

/**
 * Process events: exec (image path and argv, at the entry of {@code execve}/{@code execveat}), fork
 * and clone (the child, at {@code wake_up_new_task}), and exit (the exit status, at {@code do_exit}).
 *
 * <p>An exec is reported when it is attempted, as the arguments are only in the caller's memory then;
 * the caller's pid is the pid the new program runs as.
 */
public final class ProcessEventsAction implements Action {

    /** Caps for guest data: argv entries and bytes per string. */
    static final int MAX_ARGV = 256;
    static final int MAX_STRING_BYTES = 4096;

    private final String id;
    private final ProcessFilter filter;
    private final List<Hook> hooks = new ArrayList<>();
    private final long ptRegsDi;
    private final long ptRegsSi;
    private final long ptRegsDx;
    private final CurrentTaskReader tasks;

    /** @throws io.vmiscope.linux.symbols.ProfileException when a hooked function or pt_regs member is missing */
    public ProcessEventsAction(LinuxGuest linux, ProcessFilter filter) {
        this.id = new ActionSpec.ProcessEvents(filter).toString();
        this.filter = filter;
        KernelProfile profile = linux.profile();
        this.ptRegsDi = profile.offset("pt_regs", "di");
        this.ptRegsSi = profile.offset("pt_regs", "si");
        this.ptRegsDx = profile.offset("pt_regs", "dx");
        this.tasks = linux.currentTasks();
        hooks.add(new Hook("__x64_sys_execve", Gva.of(linux.address("__x64_sys_execve")),
                hit -> exec(hit, ptRegsDi, ptRegsSi)));
        if (profile.findSymbol("__x64_sys_execveat").isPresent()) {
            hooks.add(new Hook("__x64_sys_execveat", Gva.of(linux.address("__x64_sys_execveat")),
                    hit -> exec(hit, ptRegsSi, ptRegsDx)));
        }
        hooks.add(new Hook("wake_up_new_task", Gva.of(linux.address("wake_up_new_task")), this::fork));
        hooks.add(new Hook("do_exit", Gva.of(linux.address("do_exit")), this::exit));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Hook> hooks() {
        return List.copyOf(hooks);
    }


    /** {@code __x64_sys_execve(const struct pt_regs *regs)}: filename and argv are user pointers in regs. */
    private void exec(Hit hit, long filenameMember, long argvMember) {
        long regs = hit.register("rdi");
        ContextRead filenameRead = ContextRead.of(AccessContext.kernel(Gva.of(regs + filenameMember)), 8);
        ContextRead argvRead = ContextRead.of(AccessContext.kernel(Gva.of(regs + argvMember)), 8);
        hit.readWithCurrentTask(List.of(filenameRead, argvRead));
        ProcessRef process = hit.process();
        if (!filter.matches(process)) {
            return;
        }
        long filename = CurrentTaskReader.pointer(filenameRead);
        long argv = CurrentTaskReader.pointer(argvRead);
        UserStrings user = UserStrings.of(UserMemory.of(hit.memory(), hit.register("cr3")));
        user.prefetch(filename, MAX_STRING_BYTES, argv, MAX_ARGV);
        UserStrings.Text path = user.string(filename, MAX_STRING_BYTES);
        UserStrings.Texts args = user.strings(argv, MAX_ARGV, MAX_STRING_BYTES);
        hit.emit(new ExecEvent(hit.timeNanos(), hit.vm(), id, process, path.value(), args.values(),
                args.complete() && !path.truncated()));
    }

    /** {@code wake_up_new_task(struct task_struct *p)}: the child is complete and about to run. */
    private void fork(Hit hit) {
        ProcessRef parent = hit.process();
        if (!filter.matches(parent)) {
            return;
        }
        TaskIdentity child = tasks.identity(hit.register("rdi"));
        boolean thread = child.tgid() == parent.pid() && child.pid() != child.tgid();
        hit.emit(new ForkEvent(hit.timeNanos(), hit.vm(), id, parent, child.tgid(), child.pid(), thread));
    }

    /** {@code do_exit(long code)}: code is the wait status — exit status in bits 8–15, signal in 0–6. */
    private void exit(Hit hit) {
        ProcessRef process = hit.process();
        if (!filter.matches(process)) {
            return;
        }
        long code = hit.register("rdi");
        int signal = (int) (code & 0x7f);
        int status = signal == 0 ? (int) ((code >> 8) & 0xff) : -1;
        hit.emit(new ExitEvent(hit.timeNanos(), hit.vm(), id, process, status, signal, process.tid() != process.pid()));
    }
}
