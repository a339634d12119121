package io.vmiscope.gdb;

/**
 * A thread id of the GDB remote protocol; for QEMU a thread is a vCPU. The multiprocess form
 * {@code p<pid>.<tid>} and the plain form {@code <tid>} are both hex.
 *
 * @param pid the process id, or -1 when the plain form was used
 * @param tid the thread id (QEMU: vCPU index + 1)
 */
record ThreadId(int pid, int tid) {

    /** Parses {@code p1.2}, {@code p01.02} or {@code 2}. @throws IllegalArgumentException otherwise */
    static ThreadId parse(String text) {
        try {
            if (text.startsWith("p")) {
                int dot = text.indexOf('.');
                if (dot < 0) {
                    throw new IllegalArgumentException("thread id without '.': " + text);
                }
                return new ThreadId(Integer.parseInt(text.substring(1, dot), 16),
                        Integer.parseInt(text.substring(dot + 1), 16));
            }
            return new ThreadId(-1, Integer.parseInt(text, 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a thread id: " + text, e);
        }
    }

    /** The form to send: multiprocess when the stub agreed to it. */
    String format(boolean multiprocess) {
        if (multiprocess) {
            return "p" + Integer.toHexString(pid > 0 ? pid : 1) + "." + Integer.toHexString(tid);
        }
        return Integer.toHexString(tid);
    }
}
