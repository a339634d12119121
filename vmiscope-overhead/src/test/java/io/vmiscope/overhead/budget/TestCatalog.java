package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.ActionProfile;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds profiles from specs as the CLI would on the demo guest, without a guest: {@code lstat} enters
 * at {@code __x64_sys_newlstat}, like on Linux, the other syscalls at {@code __x64_sys_<name>}.
 */
final class TestCatalog implements ActionCatalog {

    private static final Pattern PERIOD = Pattern.compile("(\\d+)(ms|s|m)");

    @Override
    public ActionProfile profile(String spec) {
        String[] parts = spec.split(":");
        return switch (parts[0]) {
            case "syscalls" -> parts[1].equals("all")
                    ? new ActionProfile(spec, Set.of("do_syscall_64"), null, false)
                    : new ActionProfile(spec, syscalls(spec).stream().map(TestCatalog::entry)
                    .collect(Collectors.toSet()), null, false);
            case "procevents" -> new ActionProfile(spec, Set.of("__x64_sys_execve", "wake_up_new_task", "do_exit"),
                    null, false);
            case "pslist", "modules" -> new ActionProfile(spec, Set.of(), period(parts[1]),
                    !(parts.length > 2 && parts[2].equals("unpaused")));
            default -> throw new IllegalArgumentException("unknown action '" + spec + "'");
        };
    }

    @Override
    public Set<String> syscalls(String spec) {
        return spec.startsWith("syscalls:") ? Set.of(spec.substring("syscalls:".length()).split(",")) : Set.of();
    }

    private static String entry(String syscall) {
        return syscall.equals("lstat") ? "__x64_sys_newlstat" : "__x64_sys_" + syscall;
    }

    static Duration period(String text) {
        Matcher m = PERIOD.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad period " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
