package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something done to a file.
 *
 * @param operation  open, create, unlink, rename, chmod, chown, write, mkdir, rmdir, link, symlink
 * @param path       the file (as the process named it; relative paths stay relative)
 * @param target     the second path of rename/link/symlink, or {@code null}
 * @param detail     flags or mode as text (e.g. {@code "O_WRONLY|O_CREAT"}, {@code "0644"}), or empty
 * @param syscall    the system call that did it
 */
public record FileEvent(long timeNanos, String vm, String action, ProcessRef process, String operation, String path,
                        String target, String detail, String syscall) implements Event {

    @Override
    public String kind() {
        return "file";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("operation", operation);
        f.put("path", path);
        if (target != null) {
            f.put("target", target);
        }
        f.put("detail", detail);
        f.put("syscall", syscall);
        return f;
    }
}
