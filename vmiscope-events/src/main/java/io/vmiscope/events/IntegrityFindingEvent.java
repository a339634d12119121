package io.vmiscope.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cross-view integrity check found views of the kernel that disagree (a hidden process or module, a hooked
 * syscall, a credential raised without setuid). The detection engine turns each into an alert.
 *
 * @param check       the check's id, e.g. {@code "hidden-processes"}
 * @param subject     what it is about, one line, e.g. {@code "pid 42 (sleep)"} (guest text: render as text only)
 * @param explanation one line saying what disagrees
 * @param views       view name → what that view saw, in order
 * @param techniques  ATT&amp;CK technique ids
 */
public record IntegrityFindingEvent(long timeNanos, String vm, String action, ProcessRef process, String check,
                                    String subject, String explanation, Map<String, String> views,
                                    List<String> techniques) implements Event {

    public IntegrityFindingEvent {
        Objects.requireNonNull(check, "check");
        subject = subject == null ? "" : subject;
        explanation = explanation == null ? "" : explanation;
        views = Collections.unmodifiableMap(new LinkedHashMap<>(views));
        techniques = List.copyOf(techniques);
    }

    @Override
    public String kind() {
        return "finding";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("check", check);
        f.put("subject", subject);
        f.put("explanation", explanation);
        f.put("views", views);
        f.put("techniques", techniques);
        return f;
    }
}
