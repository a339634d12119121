package io.vmiscope.web;

import io.vmiscope.analysis.ProcessNode;

import java.util.List;

/** A process as the API shows it (openapi.yaml, {@code Process}); keys as {@code PID@START}. */
record ProcessView(String key, int pid, int ppid, String parent, String name, String image, String commandLine,
                   long uid, long startNanos, Long endNanos, String endReason, Integer exitCode, String lifetime,
                   boolean kernelThread, String origin, long events, int depth, List<String> children) {

    static ProcessView of(ProcessNode n) {
        return new ProcessView(ProcessKeys.format(n.key()), n.pid(), n.ppid(), ProcessKeys.format(n.parent()), n.name(),
                n.image(), n.commandLine(), n.uid(), n.startNanos(), n.endNanos(), n.endReason(), n.exitCode(),
                n.lifetime().name(), n.kernelThread(), n.origin(), n.events(), n.depth(),
                n.children().stream().map(ProcessKeys::format).toList());
    }
}
