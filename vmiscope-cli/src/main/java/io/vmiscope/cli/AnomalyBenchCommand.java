package io.vmiscope.cli;

import io.vmiscope.cli.bench.AnomalyBenchmark;
import io.vmiscope.detect.anomaly.AnomalyModel;
import io.vmiscope.detect.anomaly.Trace;
import io.vmiscope.detect.anomaly.TraceFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vmiscope bench anomaly}: the anomaly scorer's throughput on one core, with model sizes. */
@Command(name = "anomaly", mixinStandardHelpOptions = true,
        description = "Train each anomaly method on a data set's normal traces, then score them all on one thread: "
                + "syscalls per second (goal 1,000,000) and model sizes. Exit code 1 when a method misses the goal.")
final class AnomalyBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "F", description = "adfa or unm (default: ${DEFAULT-VALUE})")
    String format = "adfa";

    @Option(names = "--train", required = true, paramLabel = "DIR", description = "normal traces; repeatable")
    List<Path> train;

    @Option(names = "--window", paramLabel = "K", description = "sequence length (default: ${DEFAULT-VALUE})")
    int window = 6;

    @Option(names = "--frame", paramLabel = "N", description = "frame in calls (default: ${DEFAULT-VALUE})")
    int frame = 20;

    @Option(names = "--runs", paramLabel = "N", description = "timed passes per method (default: ${DEFAULT-VALUE})")
    int runs = 5;

    @Override
    public Integer call() throws IOException {
        List<Trace> traces = new ArrayList<>();
        TraceFormat.of(format).source(train, AnomalyModel.ANY_PROGRAM).forEach(traces::add);
        boolean met = new AnomalyBenchmark(traces, window, frame, runs).run(spec.commandLine().getOut());
        return met ? 0 : 1;
    }
}
