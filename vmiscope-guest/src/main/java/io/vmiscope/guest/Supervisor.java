package io.vmiscope.guest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a command (QEMU) so that it cannot outlive its owner. For an owned VM the command runs
 * under a small {@code sh} supervisor that polls the owner twice a second and terminates the
 * command (SIGTERM, then SIGKILL after 2 s) once the owner is gone or its pid was reused. This holds
 * when the JVM is SIGKILLed, where shutdown hooks do not run; {@code PR_SET_PDEATHSIG} would not do,
 * as it fires when the forking <em>thread</em> exits. A detached command gets its own session
 * ({@code setsid}), so a terminal's hang-up or Ctrl-C does not reach it. Either way the command runs
 * with umask {@code 077}: the files and sockets it creates are its owner's alone.
 *
 * <p>Standard input is {@code /dev/null}, output and errors are appended to a log file: no pipe ties
 * the command to the JVM.
 */
final class Supervisor {

    /** $1 owner pid, $2 owner start ticks, then the command. The loop forks only sleep. */
    private static final String SCRIPT = """
            umask 077
            owner=$1 ticks=$2
            shift 2
            "$@" &
            child=$!
            trap 'kill -TERM $child 2>/dev/null' TERM INT HUP
            running() {
                read -r s 2>/dev/null </proc/$1/stat || return 1
                s=${s##*) }
                [ "${s%% *}" != Z ]
            }
            owned() {
                read -r s 2>/dev/null </proc/$owner/stat || return 1
                s=${s##*) }
                set -- $s
                [ "$1" != Z ] && [ "${20}" = "$ticks" ]
            }
            while running $child; do
                if ! owned; then
                    kill -TERM $child 2>/dev/null
                    i=0
                    while running $child && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done
                    kill -KILL $child 2>/dev/null
                    break
                fi
                sleep 0.5
            done
            wait $child
            """;

    private Supervisor() {
    }

    /**
     * Starts {@code command} for {@code owner}.
     *
     * @return the supervisor process, or for a detached owner the command itself
     */
    static Process start(List<String> command, VmOwner owner, Path log) {
        List<String> full = new ArrayList<>();
        if (owner.isDetached()) {
            full.addAll(List.of("setsid", "sh", "-c", "umask 077 && exec \"$@\"", "vmiscope-detached"));
        } else {
            full.addAll(List.of("sh", "-c", SCRIPT, "vmiscope-supervisor",
                    Long.toString(owner.pid()), Long.toString(owner.startTicks())));
        }
        full.addAll(command);
        try {
            return new ProcessBuilder(full)
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }
}
