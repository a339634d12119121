package io.vmiscope.overhead.report;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.SlowdownPredictor;
import io.vmiscope.overhead.model.ComparedCombination;
import io.vmiscope.overhead.model.ErrorFigures;
import io.vmiscope.overhead.model.Evaluation;
import io.vmiscope.overhead.model.ObservationSplit;
import io.vmiscope.overhead.model.TrainingSummary;
import io.vmiscope.overhead.model.ValidationGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class OverheadReportTest {

    private static final ActionProfile FILES = new ActionProfile("files", Set.of("__x64_sys_openat"), null, false);
    private static final ActionProfile TRACE = new ActionProfile("syscalls:file,network", Set.of("__x64_sys_openat", "__x64_sys_connect"), null, false);
    private static final ActionProfile PROCEVENTS = new ActionProfile("procevents", Set.of("__x64_sys_execve"), null, false);
    private static final ActionProfile PSLIST = new ActionProfile("pslist:1s", Set.of(), Duration.ofSeconds(1), true);
    private static final List<List<ActionProfile>> COMBINATIONS = List.of(List.of(FILES), List.of(TRACE), List.of(PROCEVENTS),
            List.of(PSLIST), List.of(FILES, PSLIST), List.of(TRACE, PROCEVENTS), List.of(FILES, TRACE, PSLIST),
            List.of(FILES, TRACE, PROCEVENTS, PSLIST));

    /** Splits a made-up slowdown (0.05 per action, ×1.1 for the paused walk) evenly between the actions. */
    private static final SlowdownPredictor PREDICTOR = (actions, rates, vcpus) -> {
        double slowdown = 0.05 * actions.size() * (actions.contains(PSLIST) ? 1.1 : 1);
        Map<String, Double> shares = new TreeMap<>();
        actions.forEach(a -> shares.put(a.id(), slowdown / actions.size()));
        return new Prediction(slowdown, 0.9 * slowdown, 1.1 * slowdown, shares);
    };

    private static final TrainingSummary TRAINING = new TrainingSummary(List.of("e"), List.of("httpd"), 10, 5,
            new ErrorFigures(5, 3, 100, 8), new ErrorFigures(5, 6, 80, 20), List.of());

    @TempDir
    static Path directory;
    private static Evaluation evaluation;
    private static List<Path> written;

    @BeforeAll
    static void writeReport() {
        List<Observation> runs = new ArrayList<>();
        for (String workload : List.of("httpd", "shell-loop")) {
            for (List<ActionProfile> actions : COMBINATIONS) {
                double measured = 0.05 * actions.size() * (workload.equals("httpd") ? 1.05 : 0.97);
                runs.add(new Observation("e", runs.size(), workload, actions, 2, 100, 100 / (1 + measured), 10,
                        Map.of("__x64_sys_openat", 100L), 0, List.of()));
            }
        }
        evaluation = Evaluation.of(PREDICTOR, runs, new ObservationSplit("shell-loop"));
        written = OverheadReport.write(evaluation, TRAINING, directory);
    }

    @Test
    void report_writesEveryFile() {
        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("errors.md",
                "combinations.csv", "cost-breakdown.csv", "predicted-vs-measured.png", "predicted-vs-measured.svg",
                "cost-breakdown.png", "cost-breakdown.svg");
        assertThat(written).allSatisfy(p -> assertThat(Files.size(p)).isPositive());
    }

    @Test
    void pngFiles_startWithThePngSignature() throws Exception {
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        for (String name : List.of("predicted-vs-measured.png", "cost-breakdown.png")) {
            assertThat(Files.readAllBytes(directory.resolve(name))).as(name).startsWith(signature);
        }
    }

    @Test
    void scatterSvg_isXml_andLabelsTheValidationCombinations() throws Exception {
        Document svg = parse(directory.resolve("predicted-vs-measured.svg"));

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        String text = svg.getDocumentElement().getTextContent();
        for (ComparedCombination row : evaluation.rows()) {
            if (row.group() != ValidationGroup.TRAINING) {
                assertThat(text).contains(row.measured().combination());
            }
        }
        assertThat(text).contains("y = x", "±15%", ValidationGroup.HELD_OUT_WORKLOAD.label() + " (shell-loop)");
    }

    @Test
    void breakdownSvg_namesEveryCombinationAndAction() throws Exception {
        String text = parse(directory.resolve("cost-breakdown.svg")).getDocumentElement().getTextContent();

        assertThat(text).contains("httpd: files+pslist:1s", "shell-loop: files+procevents+pslist:1s+syscalls:file,network",
                "syscalls:file,network", "procevents", "measured");
    }

    @Test
    void combinationsCsv_hasOneRowPerCombination_withQuotedIds() throws Exception {
        List<String> lines = Files.readAllLines(directory.resolve("combinations.csv"));

        assertThat(lines).hasSize(1 + 2 * COMBINATIONS.size());
        assertThat(lines.get(0)).startsWith("workload,combination,actions,vcpus,group,");
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .startsWith("shell-loop,\"files+procevents+pslist:1s+syscalls:file,network\",4,2,validation: held-out workload,1,"));
    }

    @Test
    void breakdownCsv_hasOneRowPerAction() throws Exception {
        List<String> lines = Files.readAllLines(directory.resolve("cost-breakdown.csv"));

        int shares = 2 * COMBINATIONS.stream().mapToInt(List::size).sum();
        assertThat(lines).hasSize(1 + shares);
        assertThat(lines).contains("httpd,files,2,files,0.0500000");
    }

    @Test
    void errorTable_listsEveryGroup_andTheTarget() throws Exception {
        String table = Files.readString(directory.resolve("errors.md"));

        assertThat(table).contains("| training, leave-one-out | 5 | 6.0% | 80% | 20.0% |",
                "| validation: held-out workload (shell-loop) | 8 |", "| validation: all | 10 |",
                "Target on held-out combinations (MAPE ≤ 10%, ≥ 90% within ±15%): met.",
                "| httpd | files+procevents+pslist:1s+syscalls:file,network | 2 | 1 |");
    }

    @Test
    void predictionText_givesTheIntervalAndTheLargestShareFirst() {
        Prediction prediction = new Prediction(0.234, 0.19, 0.281, Map.of("procevents", 0.12, "pslist:1s", 0.114));

        assertThat(PredictionText.describe(prediction, 0.9)).isEqualTo("""
                predicted slowdown 23.4% (90% interval 19.0% – 28.1%)
                  procevents: 12.0%
                  pslist:1s: 11.4%
                """);
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(file.toFile());
    }
}
