package io.vmiscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vmiscope.linux.module.ModuleInfo;
import io.vmiscope.linux.walk.WalkResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vmiscope modules}: the loaded kernel modules of a running VM, read from kernel memory. */
@Command(name = "modules", mixinStandardHelpOptions = true,
        description = "List the loaded kernel modules of a running VM from outside: the kernel's module list is "
                + "walked (the VM is paused for the walk). A module unlinked from the list shows as an anomaly.")
final class ModulesCommand implements Callable<Integer> {

    @Mixin
    TargetOptions target;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (TargetOptions.Session session = TargetOptions.attach(target.resolve())) {
            WalkResult<ModuleInfo> result = session.linux().modules();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("vm", session.name());
                doc.put("complete", result.isComplete());
                doc.put("anomalies", result.anomalies().stream().map(Object::toString).toList());
                doc.put("modules", result.items().stream().map(m -> Map.of("name", m.name(), "state", m.state().name(),
                        "base", m.base().toString(), "size", m.sizeBytes(), "refcount", m.refcount())).toList());
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } else {
                System.out.printf("%-24s %-9s %-18s %10s %s%n", "NAME", "STATE", "BASE", "SIZE", "USED");
                for (ModuleInfo m : result.items()) {
                    System.out.printf("%-24s %-9s %-18s %10d %s%n", ProcessListRenderer.safe(m.name()), m.state(),
                            m.base(), m.sizeBytes(), m.refcount() < 0 ? "?" : Integer.toString(m.refcount() - 1));
                }
                System.out.println(result.items().size() + " modules" + (result.truncated() ? " (walk cut short)" : ""));
                result.anomalies().forEach(a -> System.out.println("anomaly: " + ProcessListRenderer.safe(a.toString())));
            }
            return result.truncated() ? 3 : 0;
        }
    }
}
