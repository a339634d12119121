package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.ActionProfile;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds profiles from specs as the CLI would on the demo guest, without a guest: {@code lstat} enters
 * at {@code __x64_sys_newlstat}, like on Linux, the other syscalls at {@code __x64_sys_<name>}.
 */
final class TestCatalog implements ActionCatalog {

    /** The spec a text names, for tests that write specs as text. */
    static ActionSpec spec(String text) {
        return ActionSpec.parse(text);
    }

    @Override
    public ActionProfile profile(ActionSpec spec) {
        String id = spec.toString();
        if (spec instanceof ActionSpec.Syscalls trace) {
            return trace.all() ? new ActionProfile(id, Set.of("do_syscall_64"), null, false)
                    : new ActionProfile(id, trace.names().stream().map(TestCatalog::entry).collect(Collectors.toSet()),
                    null, false);
        } else if (spec instanceof ActionSpec.ProcessEvents) {
            return new ActionProfile(id, Set.of("__x64_sys_execve", "wake_up_new_task", "do_exit"), null, false);
        } else if (spec instanceof ActionSpec.ProcessList list) {
            return new ActionProfile(id, Set.of(), list.period(), list.paused());
        } else if (spec instanceof ActionSpec.ModuleList modules) {
            return new ActionProfile(id, Set.of(), modules.period(), true);
        } else if (spec instanceof ActionSpec.Checks checks) {
            return new ActionProfile(id, Set.of(), checks.period(), true);
        }
        throw new IllegalArgumentException("no profile for action '" + spec + "' in the test catalog");
    }

    @Override
    public Set<String> syscalls(ActionSpec spec) {
        return spec instanceof ActionSpec.Syscalls trace ? Set.copyOf(trace.names()) : Set.of();
    }

    private static String entry(String syscall) {
        return syscall.equals("lstat") ? "__x64_sys_newlstat" : "__x64_sys_" + syscall;
    }
}
