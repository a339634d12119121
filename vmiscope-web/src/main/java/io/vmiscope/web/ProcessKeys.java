package io.vmiscope.web;

import io.vmiscope.analysis.ProcessKey;

/** A process's key in URLs and JSON: {@code PID@START} (start in ns), unique when pids are reused. */
final class ProcessKeys {

    private ProcessKeys() {
    }

    static String format(ProcessKey key) {
        return key == null ? null : key.pid() + "@" + key.startNanos();
    }

    static ProcessKey parse(String vm, String text) {
        int at = text.indexOf('@');
        try {
            if (at > 0) {
                return new ProcessKey(vm, Integer.parseInt(text.substring(0, at)), Long.parseLong(text.substring(at + 1)));
            }
        } catch (IllegalArgumentException e) {
            // a bad number: the one message below
        }
        throw ApiException.badRequest("a process key is PID@START, e.g. 412@1764151200000000000, not '"
                + Params.cap(text) + "'");
    }
}
