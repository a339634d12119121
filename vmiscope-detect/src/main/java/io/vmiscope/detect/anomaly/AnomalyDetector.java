package io.vmiscope.detect.anomaly;

import io.vmiscope.detect.Detector;
import io.vmiscope.detect.ImagePaths;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.OneLine;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Scores each process's syscalls against its program's model and raises one {@link AlertEvent} per process
 * run when the mean score of a frame of its calls (or, for a run shorter than a frame, of all its calls at its
 * exit) exceeds the model's threshold. A process's program is the image its last exec started ({@link ImagePaths}:
 * a busybox applet is its own program, {@code /bin/nc}), or its task name when no exec was seen. The alert's rule id is the model's name and its evidence the ids of the frame's calls that
 * scored above the threshold themselves.
 *
 * <p>A model trained per executable (a VM's normal run, no {@link AnomalyModel#ANY_PROGRAM}) knows which programs
 * ran normally: the first syscall of a program it has no model for raises one alert, once per program (its evidence
 * that call), as nothing normal is known of it. A data set's model covers any program.
 *
 * <p>Memory is bounded: at most {@code maxProcesses} processes are followed (the least recently active is
 * forgotten first), each with one frame, and as many unknown programs remembered. Not thread-safe, like every
 * {@link Detector}.
 */
public final class AnomalyDetector implements Detector {

    /** The action name of the alerts it raises. */
    public static final String ACTION = "anomaly";
    private static final int MAX_EVIDENCE = 64;

    private final AnomalyModel model;
    private final int maxProcesses;
    private final Map<Integer, Run> runs;
    private final Map<Integer, String> programs;
    private final Map<String, Boolean> unknownReported;

    public AnomalyDetector(AnomalyModel model, int maxProcesses) {
        this.model = Objects.requireNonNull(model, "model");
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("follow at least one process, got " + maxProcesses);
        }
        this.maxProcesses = maxProcesses;
        this.runs = bounded();
        this.programs = bounded();
        this.unknownReported = bounded();
    }

    @Override
    public List<AlertEvent> accept(String eventId, Event event) {
        int pid = event.process().pid();
        if (pid < 0) {
            return List.of();
        }
        if (event instanceof ExecEvent exec) {
            programs.put(pid, ImagePaths.image(exec.path(), exec.argv(), programs.get(pid)));
            runs.remove(pid);
        } else if (event instanceof ExitEvent exit && !exit.thread()) {
            Run run = runs.remove(pid);
            programs.remove(pid);
            return run == null ? List.of() : run.atEnd(event);
        } else if (event instanceof SyscallEvent call) {
            Run run = runs.get(pid);
            if (run == null) {
                String program = programs.getOrDefault(pid, event.process().name());
                run = new Run(program, model.covers(program) ? model.start(program) : null);
                runs.put(pid, run);
                if (run.scorer == null && unknownReported.put(program, true) == null) {
                    return unknown(program, eventId, call);
                }
            }
            return run.add(eventId, call);
        }
        return List.of();
    }

    @Override
    public List<AlertEvent> finish() {
        List<AlertEvent> alerts = new ArrayList<>();
        runs.values().forEach(run -> alerts.addAll(run.atEnd(null)));
        runs.clear();
        return alerts;
    }

    private List<AlertEvent> unknown(String program, String eventId, SyscallEvent call) {
        String shown = OneLine.of(program, 120);
        return List.of(new AlertEvent(call.timeNanos(), call.vm(), ACTION, call.process(), model.name(),
                "Program never seen in the normal runs: " + shown, AlertEvent.Level.MEDIUM, List.of(), List.of(eventId),
                "no normal run of " + shown + " among the " + model.programs().size() + " programs of the model", ""));
    }

    private <K, V> Map<K, V> bounded() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxProcesses;
            }
        };
    }

    /** One process run: its scorer, the ids of its recent unusual calls, whether it has been reported. */
    private final class Run {
        private final String program;
        private final TraceScorer scorer;
        private final String[] unusual;
        private final long[] unusualAt;
        private Event last;
        private boolean reported;

        Run(String program, TraceScorer scorer) {
            this.program = program;
            this.scorer = scorer;
            int frame = model.settings().frame();
            int room = frame == 0 ? MAX_EVIDENCE : Math.min(frame, MAX_EVIDENCE);
            unusual = new String[room];
            unusualAt = new long[room];
        }

        List<AlertEvent> add(String eventId, SyscallEvent call) {
            if (scorer == null || reported) {
                return List.of();
            }
            last = call;
            double score = scorer.add(Syscalls.of(call));
            if (model.isAnomalous(score)) {
                int slot = (int) (scorer.calls() % unusual.length);
                unusual[slot] = eventId;
                unusualAt[slot] = scorer.calls();
            }
            if (scorer.frameFull() && model.isAnomalous(scorer.currentFrame())) {
                return report(scorer.currentFrame(), call);
            }
            return List.of();
        }

        List<AlertEvent> atEnd(Event end) {
            if (scorer == null || reported || scorer.calls() == 0 || !model.isAnomalous(scorer.score())) {
                return List.of();
            }
            return report(scorer.score(), end == null ? last : end);
        }

        private List<AlertEvent> report(double score, Event at) {
            reported = true;
            int frame = model.settings().frame();
            long since = frame == 0 ? 0 : scorer.calls() - frame;
            List<String> evidence = new ArrayList<>();
            for (long n = Math.max(1, since + 1); n <= scorer.calls(); n++) {
                int slot = (int) (n % unusual.length);
                if (unusualAt[slot] == n) {
                    evidence.add(unusual[slot]);
                }
            }
            ProcessRef process = at.process();
            AnomalyModel.Settings s = model.settings();
            String explanation = String.format(Locale.ROOT,
                    "%s score %.3f above the threshold %.3f (window %d, frame %s) after %d syscalls",
                    s.method().label(), score, model.threshold().score(), s.window(),
                    frame == 0 ? "whole run" : frame + " calls", scorer.calls());
            return List.of(new AlertEvent(at.timeNanos(), at.vm(), ACTION, process, model.name(),
                    "Unusual syscall sequence in " + OneLine.of(program, 120), AlertEvent.Level.MEDIUM, List.of(),
                    evidence, explanation, ""));
        }
    }
}
