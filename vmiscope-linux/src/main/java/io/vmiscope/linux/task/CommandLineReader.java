package io.vmiscope.linux.task;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.walk.GuestStrings;
import io.vmiscope.x86.ContextRead;
import io.vmiscope.x86.GuestMemory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads processes' command lines from their own memory the way Linux 6.1's {@code get_mm_cmdline()}
 * (fs/proc/base.c) serves {@code /proc/PID/cmdline}, so that the two agree:
 * <ul>
 *   <li>normally, the NUL-separated strings in {@code [arg_start, arg_end)};</li>
 *   <li>when the last byte of that range is not NUL, the process has rewritten its title (setproctitle(3):
 *       nginx, sshd, postgres do). Then only the first string from {@code arg_start} counts, and it may run
 *       on past {@code arg_end} into the environment area — only when that area directly follows
 *       ({@code env_start == arg_end}), at most to {@code env_end}, and never beyond one page
 *       ({@code get_mm_proctitle()}).</li>
 * </ul>
 *
 * <p>Guest memory is hostile: no read is longer than {@code maxBytes}; an argument area longer than that
 * is read as ordinary arguments and marked incomplete (its last byte is not read). A read that fails leaves
 * the process out of the result; a title whose continuation cannot be read keeps what was read, marked
 * incomplete.
 *
 * <p>Cost: one batch of reads for all argument areas, and a second batch only for the rewritten titles
 * that run past {@code arg_end}. The VM must be stopped while {@link #read} runs. Not thread-safe.
 */
final class CommandLineReader {

    /** {@code PAGE_SIZE} on x86-64: the most {@code get_mm_proctitle()} shows. */
    static final int PAGE_BYTES = 4096;

    private final GuestMemory memory;
    private final int maxBytes;

    /**
     * Where one process's command line lives: the virtual addresses from its {@code mm_struct}, and the
     * physical address of its top-level page table.
     */
    record Area(long cr3, long argStart, long argEnd, long envStart, long envEnd) {

        /** How far a rewritten title may run, in bytes from {@code arg_start}, before the page limit. */
        long titleBoundBytes() {
            boolean envFollows = envStart == argEnd && envEnd >= envStart;
            return (envFollows ? envEnd : argEnd) - argStart;
        }
    }

    /** A command line and whether it is whole (false when a limit cut it or a part could not be read). */
    record CommandLine(List<String> args, boolean complete) {
        static final CommandLine NONE = new CommandLine(List.of(), true);
        static final CommandLine UNREADABLE = new CommandLine(List.of(), false);
    }

    /** @param maxBytes  the most bytes read for one command line ({@code WalkLimits.maxArgvBytes}) */
    CommandLineReader(GuestMemory memory, int maxBytes) {
        this.memory = memory;
        this.maxBytes = maxBytes;
    }

    /**
     * The command lines of {@code areas}, by the same keys; each area must have {@code argEnd > argStart}.
     * Keys whose argument area cannot be read are absent.
     */
    <K> Map<K, CommandLine> read(Map<K, Area> areas) {
        Map<K, ContextRead> reads = new LinkedHashMap<>();
        areas.forEach((key, area) -> reads.put(key, ContextRead.of(
                AccessContext.process(Gva.of(area.argStart()), area.cr3()),
                (int) Math.min(area.argEnd() - area.argStart(), maxBytes))));
        Map<K, CommandLine> lines = new HashMap<>();
        Map<K, ContextRead> titleTails = new LinkedHashMap<>();
        readEach(reads).forEach((key, read) -> {
            Area area = areas.get(key);
            byte[] bytes = read.buffer();
            boolean whole = area.argEnd() - area.argStart() <= maxBytes;
            if (!whole || bytes[bytes.length - 1] == 0) {
                lines.put(key, new CommandLine(GuestStrings.argv(bytes, bytes.length), whole));
                return;
            }
            int titleBytes = titleReadBytes(area);
            if (indexOfNul(bytes, bytes.length) >= 0 || titleBytes <= bytes.length) {
                lines.put(key, title(bytes, Math.min(bytes.length, titleBytes), area));
                return;
            }
            // the title runs on into the environment area: read the rest into the same buffer
            byte[] longer = Arrays.copyOf(bytes, titleBytes);
            titleTails.put(key, new ContextRead(AccessContext.process(Gva.of(area.argEnd()), area.cr3()),
                    longer, bytes.length, titleBytes - bytes.length));
            lines.put(key, new CommandLine(GuestStrings.argv(bytes, bytes.length), false)); // if the rest fails
        });
        readEach(titleTails).forEach((key, tail) -> lines.put(key, title(tail.buffer(), tail.buffer().length,
                areas.get(key))));
        return lines;
    }

    /** The bytes of a rewritten title this reader reads: the kernel's bound, within this reader's cap. */
    private int titleReadBytes(Area area) {
        return (int) Math.min(kernelTitleBytes(area), maxBytes);
    }

    private static long kernelTitleBytes(Area area) {
        return Math.min(area.titleBoundBytes(), PAGE_BYTES);
    }

    /** A rewritten title: the first string only, whole when a NUL ended it or the kernel's bound was read. */
    private static CommandLine title(byte[] bytes, int length, Area area) {
        int nul = indexOfNul(bytes, length);
        boolean complete = nul >= 0 || length >= kernelTitleBytes(area);
        return new CommandLine(GuestStrings.argv(bytes, nul >= 0 ? nul : length), complete);
    }

    private static int indexOfNul(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** One batch; when it fails, each read alone, keeping the ones that succeed. */
    private <K> Map<K, ContextRead> readEach(Map<K, ContextRead> reads) {
        if (reads.isEmpty()) {
            return reads;
        }
        try {
            memory.readAll(List.copyOf(reads.values()));
            return reads;
        } catch (GuestAccessException batchFailed) {
            Map<K, ContextRead> ok = new LinkedHashMap<>();
            reads.forEach((key, read) -> {
                try {
                    memory.readAll(List.of(read));
                    ok.put(key, read);
                } catch (GuestAccessException e) {
                    // left out: argv pages never touched or swapped out are normal, the caller marks them unreadable
                }
            });
            return ok;
        }
    }
}
