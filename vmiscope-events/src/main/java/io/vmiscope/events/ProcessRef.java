package io.vmiscope.events;

/**
 * The process an event is about, as far as it is known.
 *
 * @param pid  the thread-group id (what user space calls the pid), or -1 when unknown
 * @param tid  the thread id (the kernel's task pid), or -1
 * @param ppid the parent's pid, or -1
 * @param uid  the real uid, or -1
 * @param name the task name (guest-controlled text: render only as text), or empty
 */
public record ProcessRef(int pid, int tid, int ppid, long uid, String name) {

    public static final ProcessRef NONE = new ProcessRef(-1, -1, -1, -1, "");

    public ProcessRef {
        name = name == null ? "" : name;
    }

    /** The process name an image path gives: its last element after a Linux or Windows separator; empty for null. */
    public static String nameOf(String imagePath) {
        if (imagePath == null) {
            return "";
        }
        int separator = Math.max(imagePath.lastIndexOf('/'), imagePath.lastIndexOf('\\'));
        return imagePath.substring(separator + 1);
    }
}
