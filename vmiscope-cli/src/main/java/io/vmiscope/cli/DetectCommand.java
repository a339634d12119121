package io.vmiscope.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.detect.BatchDetection;
import io.vmiscope.detect.IntegrityDetector;
import io.vmiscope.detect.sigma.RuleSet;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.EventColumns;
import io.vmiscope.store.EventIds;
import io.vmiscope.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vmiscope detect}: Sigma rules over a VM's stored events (imported logs, earlier live runs); alerts are
 * printed and stored, once. The anomaly models' sub-commands (training and evaluation) hang below it.
 */
@Command(name = "detect", mixinStandardHelpOptions = true, subcommands = {DetectTrainCommand.class,
        DetectEvaluateCommand.class},
        description = {"Run Sigma rules — vmiscope's default ruleset and the directories of --rules — over the "
                + "stored events of a VM, oldest first, print each alert and store it in the same file. An alert's id "
                + "derives from its VM, rule and evidence events: running again stores nothing twice.",
                "Unsupported rules are listed on stderr; a malformed rule file stops with file:line: reason.",
                "Sub-commands train and evaluate syscall-sequence anomaly models (docs/detection.md).", "",
                "TIME is nanoseconds since the epoch, seconds with a fraction (1700001001.5) or an ISO-8601 "
                        + "instant (2025-11-26T10:00:00Z).", "", "Examples:",
                "  vmiscope detect --db vmiscope-data/vmiscope.duckdb --vm demo",
                "  vmiscope import drakvuf drakmon.log --vm win10 && vmiscope detect --vm win10 --json",
                "  vmiscope detect --vm demo --rules ~/sigma/rules/linux --disable 5e4f2a9c-…  --from 2026-12-07T10:00:00Z"})
final class DetectCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Mixin
    DbOption db;

    @Option(names = "--vm", paramLabel = "NAME", description = "the VM whose events are checked")
    String vm;

    @Option(names = "--from", paramLabel = "TIME", description = "only events at or after TIME")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "only events before TIME")
    String to;

    @Option(names = "--json", description = "one JSON object per alert (keys rule_id, title, level, time_ns, vm, pid, "
            + "process, techniques, evidence, id, explanation, follow_up)")
    boolean json;

    @Mixin
    RuleOptions ruleOptions;

    @Override
    public Integer call() throws IOException {
        if (vm == null) {
            throw new IllegalArgumentException("--vm NAME is required (or name a detect sub-command; see --help)");
        }
        if (!Files.isRegularFile(db.path())) {
            throw new NoSuchFileException("no store at " + db.path());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RuleSet rules = ruleOptions.load(err);
        EventFilter filter = EventFilter.ALL.withVm(vm).between(from == null ? null : QueryCommand.time(from),
                to == null ? null : QueryCommand.time(to));
        EventIds ids = new EventIds();
        BatchDetection.Result result;
        try (DuckDbEventStore store = DuckDbEventStore.open(db.path(), StoreOptions.defaults())) {
            result = BatchDetection.run(store, store, filter, IntegrityDetector.besides(new SigmaDetector(rules)), alert -> out.println(json
                    ? jsonLine(alert, ids.live(alert, EventColumns.fieldsJson(alert))) : line(alert)));
        }
        out.flush();
        err.printf("vmiscope: %,d events of %s read, %d rules, %,d alerts (%,d new, %,d stored before)%n",
                result.eventsRead(), ProcessListRenderer.safe(vm), rules.loaded(), result.alerts(), result.alertsNew(),
                result.alerts() - result.alertsNew());
        err.flush();
        return 0;
    }

    /** One readable line: time, level, rule, process, explanation — guest text escaped. */
    static String line(AlertEvent a) {
        String time = TIME.format(Instant.ofEpochSecond(0, a.timeNanos()));
        String who = a.process().pid() < 0 ? "" : " pid " + a.process().pid() + " (" + a.process().name() + ")";
        return ProcessListRenderer.safe(time + " " + a.level().label().toUpperCase(java.util.Locale.ROOT) + " "
                + a.title() + who + " [" + a.ruleId() + (a.techniques().isEmpty() ? "" : " " + String.join(",",
                a.techniques())) + "] " + a.explanation() + (a.followUp().isEmpty() ? "" : " — " + a.followUp()));
    }

    /** The JSON line of docs/detection.md. */
    static String jsonLine(AlertEvent a, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule_id", a.ruleId());
        m.put("title", a.title());
        m.put("level", a.level().label());
        m.put("time_ns", a.timeNanos());
        m.put("vm", a.vm());
        m.put("pid", a.process().pid());
        m.put("process", a.process().name());
        m.put("techniques", a.techniques());
        m.put("evidence", a.evidence());
        m.put("id", id);
        m.put("explanation", a.explanation());
        m.put("follow_up", a.followUp());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
