package io.vmiscope.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vmiscope.linux.integrity.CheckOutcome;
import io.vmiscope.linux.integrity.IntegrityChecks;
import io.vmiscope.linux.integrity.IntegrityFinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vmiscope check}: every cross-view integrity check once, on a running VM. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Run the cross-view integrity checks once on a running VM, from outside: views of the same kernel "
                + "state that a rootkit must keep consistent (task list vs pid tree vs children lists vs run queues, "
                + "module list vs sysfs, credentials vs parent and executable, sys_call_table vs kallsyms) are read with "
                + "the VM paused and compared.",
                "Exit status: 0 clean, 1 findings, 2 error.", "", "Examples:", "  vmiscope check --vm demo",
                "  vmiscope check --vm demo --checks hidden-processes,credentials --json"})
final class CheckCommand implements Callable<Integer> {

    private static final int CLEAN = 0;
    private static final int FINDINGS = 1;
    private static final int ERROR = 2;

    @Mixin
    TargetOptions target;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--checks", split = ",", paramLabel = "NAME",
            description = "only these checks (default: all of hidden-processes, hidden-modules, credentials, syscall-table)")
    List<String> checks = new ArrayList<>();

    @Override
    public Integer call() {
        try (TargetOptions.Session session = TargetOptions.attach(target.resolve())) {
            List<CheckOutcome> outcomes = session.linux().runChecks(session.linux().integrityChecks(checks));
            return report(session.name(), outcomes, json, System.out);
        } catch (RuntimeException e) {
            System.err.println("vmiscope: " + OneLineErrors.message(e));
            return ERROR;
        }
    }

    /**
     * Prints the outcomes (guest text escaped; as JSON, Jackson escapes it) and returns the exit status:
     * {@code 0} clean, {@code 1} findings.
     */
    static int report(String vm, List<CheckOutcome> outcomes, boolean json, PrintStream out) {
        List<IntegrityFinding> findings = outcomes.stream().flatMap(o -> o.findings().stream()).toList();
        int views = outcomes.stream().mapToInt(CheckOutcome::viewsCompared).sum();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("vm", vm);
            doc.put("checks", outcomes.stream().map(CheckOutcome::check).toList());
            doc.put("viewsCompared", views);
            doc.put("findings", findings.stream().map(f -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("check", f.check());
                m.put("subject", f.subject());
                m.put("pid", f.pid());
                m.put("explanation", f.explanation());
                m.put("views", f.views());
                m.put("techniques", f.techniques());
                return m;
            }).toList());
            doc.put("anomalies", outcomes.stream().flatMap(o -> o.anomalies().stream()).map(Object::toString).toList());
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            for (IntegrityFinding f : findings) {
                out.println(f.check() + ": " + ProcessListRenderer.safe(f.subject()) + ": "
                        + ProcessListRenderer.safe(f.explanation()) + " [" + String.join(", ", f.techniques()) + "]");
                f.views().forEach((view, saw) -> out.println("    " + ProcessListRenderer.safe(view) + ": "
                        + ProcessListRenderer.safe(saw)));
            }
            outcomes.forEach(o -> o.anomalies().forEach(a -> out.println("anomaly (" + o.check() + "): "
                    + ProcessListRenderer.safe(a.toString()))));
            out.println(findings.isEmpty() ? "clean: " + outcomes.size() + " checks, " + views + " views compared"
                    : findings.size() + " findings: " + outcomes.size() + " checks, " + views + " views compared");
        }
        return findings.isEmpty() ? CLEAN : FINDINGS;
    }
}
