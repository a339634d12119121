package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.linux.integrity.CheckOutcome;
import io.vmiscope.linux.integrity.IntegrityFinding;
import io.vmiscope.linux.walk.Anomaly;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CheckCommandTest {

    private record Printed(int exitCode, String text) {
    }

    private static Printed report(List<CheckOutcome> outcomes, boolean json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = CheckCommand.report("lab", outcomes, json, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Printed(code, out.toString(StandardCharsets.UTF_8));
    }

    private static IntegrityFinding hidden(String comm) {
        Map<String, String> views = new LinkedHashMap<>();
        views.put("task list (init_task.tasks)", "absent");
        views.put("pid allocator (init_pid_ns.idr)", "pid 42 → task 0xffff888001234000");
        return new IntegrityFinding("hidden-processes", "pid 42 (" + comm + ")", 42, comm,
                "process 42 (" + comm + ") is missing from the task list", views, List.of("T1014"));
    }

    @Test
    void aCleanKernel_exitsZero_andSaysHowManyChecksAndViews() {
        Printed p = report(List.of(new CheckOutcome("hidden-processes", List.of(), 4, List.of()),
                new CheckOutcome("syscall-table", List.of(), 2, List.of())), false);
        assertThat(p.exitCode).isZero();
        assertThat(p.text).isEqualTo("clean: 2 checks, 6 views compared\n");
    }

    @Test
    void findings_exitOne_withEachViewOnItsOwnLine_andTheAnomaliesMet() {
        Printed p = report(List.of(new CheckOutcome("hidden-processes", List.of(hidden("sleep")), 4,
                List.of(new Anomaly(Anomaly.Kind.CYCLE, "children of task 0x1", "loops")))), false);
        assertThat(p.exitCode).isEqualTo(1);
        assertThat(p.text.lines()).containsExactly(
                "hidden-processes: pid 42 (sleep): process 42 (sleep) is missing from the task list [T1014]",
                "    task list (init_task.tasks): absent",
                "    pid allocator (init_pid_ns.idr): pid 42 → task 0xffff888001234000",
                "anomaly (hidden-processes): CYCLE at children of task 0x1: loops",
                "1 findings: 1 checks, 4 views compared");
    }

    @Test
    void hostileGuestText_isEscapedInText_andStaysAStringInJson() throws Exception {
        IntegrityFinding f = hidden("\u001b[31m<b>");
        assertThat(report(List.of(new CheckOutcome("hidden-processes", List.of(f), 4, List.of())), false).text)
                .doesNotContain("\u001b");
        Printed json = report(List.of(new CheckOutcome("hidden-processes", List.of(f), 4, List.of())), true);
        JsonNode doc = new ObjectMapper().readTree(json.text);
        assertThat(json.exitCode).isEqualTo(1);
        assertThat(doc.get("vm").asText()).isEqualTo("lab");
        assertThat(doc.get("viewsCompared").asInt()).isEqualTo(4);
        assertThat(doc.get("findings").get(0).get("pid").asInt()).isEqualTo(42);
        assertThat(doc.get("findings").get(0).get("views").get("task list (init_task.tasks)").asText()).isEqualTo("absent");
        assertThat(doc.get("findings").get(0).get("subject").asText()).isEqualTo("pid 42 (?[31m<b>)");
    }
}
