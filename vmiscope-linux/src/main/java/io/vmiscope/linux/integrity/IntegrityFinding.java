package io.vmiscope.linux.integrity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Views of the kernel that disagree: what one check found. Guest text in it (a task's or module's name) is
 * decoded safely and capped, but is still hostile: render it only as text.
 *
 * @param check       the check's id, e.g. {@code "hidden-processes"}
 * @param subject     what it is about, one line: {@code "pid 42 (sleep)"}, {@code "module dummy"},
 *                    {@code "sys_call_table[39]"}
 * @param pid         the process it is about (its tgid), or -1 when it is about no process
 * @param comm        that process's name, or empty
 * @param explanation one line saying what disagrees
 * @param views       view name → what that view saw, in a stable order (the "which view saw what" table)
 * @param techniques  ATT&amp;CK technique ids, e.g. {@code T1014}
 */
public record IntegrityFinding(String check, String subject, int pid, String comm, String explanation, Map<String, String> views,
                               List<String> techniques) {

    /** Longest subject, explanation or view text kept. */
    public static final int MAX_TEXT_CHARS = 300;

    public IntegrityFinding {
        Objects.requireNonNull(check, "check");
        subject = cap(subject);
        comm = cap(comm);
        explanation = cap(explanation);
        Map<String, String> capped = new LinkedHashMap<>();
        views.forEach((k, v) -> capped.put(cap(k), cap(v)));
        views = java.util.Collections.unmodifiableMap(capped);
        techniques = List.copyOf(techniques);
    }

    private static String cap(String text) {
        String t = text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
        return t.length() <= MAX_TEXT_CHARS ? t : t.substring(0, MAX_TEXT_CHARS - 1) + "…";
    }

    @Override
    public String toString() {
        return check + ": " + subject + ": " + explanation;
    }
}
