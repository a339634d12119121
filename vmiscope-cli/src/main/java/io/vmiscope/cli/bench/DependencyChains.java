package io.vmiscope.cli.bench;

import java.util.Map;
import java.util.Optional;

/**
 * The reads of each kind of hit that cannot overlap, level by level: a level needs an address the
 * level before it read. Within a level every read can go out in one pipelined batch; page-table walks
 * count as one level, their upper entries being known from earlier stops (docs/monitoring.md). The
 * dependency floor of a hit is its depth × the stub's round-trip time, plus one more for the resume
 * (its acknowledgement).
 */
public final class DependencyChains {

    /** One kind of hit: what it decodes and its chain of levels. */
    public record Chain(String kind, String levels, int depth) {
    }

    private static final Chain PATH_SYSCALL = new Chain("syscall entry with a path (openat)",
            "g → pt_regs, current_task → task fields, cred, path's page → path", 4);
    private static final Chain EXEC = new Chain("execve with argv",
            "g → pt_regs, current_task → task fields, path's and argv's pages → path, argv[], their pages → argv strings", 4);
    private static final Chain FORK = new Chain("fork (wake_up_new_task)",
            "g → current_task, child's fields → parent task fields → cred, real_parent", 4);
    private static final Chain EXIT = new Chain("exit (do_exit)",
            "g → current_task → task fields → cred, real_parent", 4);
    private static final Chain CONNECT = new Chain("connect",
            "g → pt_regs, current_task → task fields, sockaddr's page → sockaddr, cred", 4);
    private static final Chain ACCEPT = new Chain("accept (inet_getname, peer)",
            "g → socket->sk, current_task → struct sock, task fields → cred, real_parent", 4);

    private static final Map<String, Chain> BY_SYMBOL = Map.of(
            "__x64_sys_openat", PATH_SYSCALL,
            "__x64_sys_execve", EXEC,
            "wake_up_new_task", FORK,
            "do_exit", EXIT,
            "__x64_sys_connect", CONNECT,
            "inet_getname", ACCEPT,
            "inet6_getname", ACCEPT);

    private DependencyChains() {
    }

    /** The chain of the hook on {@code symbol}, if it is one of the kinds the benchmark reports. */
    public static Optional<Chain> of(String symbol) {
        return Optional.ofNullable(BY_SYMBOL.get(symbol));
    }

    /** The dependency floor: (depth + the resume) round trips. */
    public static double floorNanos(Chain chain, double roundTripNanos) {
        return (chain.depth() + 1) * roundTripNanos;
    }
}
