package io.vmiscope.events;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The parser and the members' text are inverse: on every spec, and on every canonical text. */
class ActionSpecProperties {

    @Property
    void parse_ofASpecsText_isThatSpec(@ForAll("specs") ActionSpec spec) {
        assertThat(ActionSpec.parse(spec.toString())).isEqualTo(spec);
    }

    @Property
    void text_ofAParsedCanonicalText_isThatText(@ForAll("canonicalTexts") String text) {
        assertThat(ActionSpec.parse(text).toString()).isEqualTo(text);
    }

    @Provide
    Arbitrary<ActionSpec> specs() {
        Arbitrary<ProcessFilter> filters = Combinators.combine(
                Arbitraries.integers().between(0, 999_999_999).set().ofMaxSize(4),
                names().set().ofMaxSize(3)).as(ProcessFilter::new);
        Arbitrary<Duration> periods = Arbitraries.longs().between(100, Duration.ofDays(1).toMillis())
                .map(Duration::ofMillis);
        Arbitrary<List<String>> syscalls = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_')
                .ofMinLength(1).ofMaxLength(20).map(s -> s.hashCode() % 7 == 0 ? "%" + s : s)
                .list().ofMinSize(1).ofMaxSize(6);
        Arbitrary<List<String>> paths = Arbitraries.strings().withCharRange('a', 'z').withChars('/', '.', '-', ':')
                .ofMaxLength(30).map(s -> "/" + s).list().ofMaxSize(4);
        return Arbitraries.oneOf(
                Combinators.combine(syscalls, filters).as(ActionSpec.Syscalls::new),
                filters.map(ActionSpec.ProcessEvents::new),
                Combinators.combine(filters, paths).as(ActionSpec.FileEvents::new),
                filters.map(ActionSpec.NetworkEvents::new),
                Combinators.combine(periods, Arbitraries.of(true, false)).as(ActionSpec.ProcessList::new),
                periods.map(ActionSpec.ModuleList::new),
                Combinators.combine(Arbitraries.of("hidden-processes", "hidden-modules", "credentials", "syscall-table")
                        .list().ofMaxSize(3), periods).as(ActionSpec.Checks::new));
    }

    /** Texts written by hand the way action ids are: sorted filters, periods in seconds where exact. */
    @Provide
    Arbitrary<String> canonicalTexts() {
        Arbitrary<String> filter = Combinators.combine(
                Arbitraries.integers().between(0, 999_999_999).set().ofMaxSize(3),
                names().set().ofMaxSize(2)).as(ActionSpecProperties::filterText);
        Arbitrary<String> period = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 86_400).map(s -> s + "s"),
                Arbitraries.integers().between(100, 86_399_999).filter(ms -> ms % 1000 != 0).map(ms -> ms + "ms"));
        Arbitrary<String> names = Arbitraries.of("openat", "execve", "file", "%network", "all", "clone3", "lstat")
                .list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(",", l));
        Arbitrary<String> paths = Arbitraries.of("/etc", "/tmp/x", "/var/log/a.log").list().ofMaxSize(3)
                .map(l -> l.isEmpty() ? "" : ":" + String.join(",", l));
        return Arbitraries.oneOf(
                Combinators.combine(names, filter).as((n, f) -> "syscalls:" + n + f),
                filter.map(f -> "procevents" + f),
                Combinators.combine(filter, paths).as((f, p) -> "files" + f + p),
                filter.map(f -> "network" + f),
                Combinators.combine(period, Arbitraries.of("", ":unpaused")).as((p, u) -> "pslist:" + p + u),
                period.map(p -> "modules:" + p),
                Combinators.combine(Arbitraries.of("", "credentials:", "hidden-processes,syscall-table:"), period)
                        .as((n, p) -> "checks:" + n + p));
    }

    private static Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_', '-', '.', '/', ':', '=')
                .ofMinLength(1).ofMaxLength(15);
    }

    private static String filterText(Set<Integer> pids, Set<String> names) {
        String p = pids.isEmpty() ? "" : "pid=" + pids.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
        String n = names.isEmpty() ? "" : "process=" + names.stream().sorted().collect(Collectors.joining(","));
        String both = p.isEmpty() || n.isEmpty() ? p + n : p + ";" + n;
        return both.isEmpty() ? "" : "[" + both + "]";
    }
}
