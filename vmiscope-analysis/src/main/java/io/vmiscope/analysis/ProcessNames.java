package io.vmiscope.analysis;

import io.vmiscope.events.ProcessRef;

import java.util.regex.Pattern;

/**
 * Process names as people read them. DRAKVUF names a Windows process by its image's NT path
 * ({@code \Device\HarddiskVolume2\Windows\System32\svchost.exe}) and Linux tools sometimes by a full path: such
 * a name is shown as its base name ({@code svchost.exe}) with the whole path kept beside it. A name is a path
 * only when it starts like one ({@code /}, {@code \} or a drive such as {@code C:\}), so that task names with a
 * slash inside, such as the kernel thread {@code kworker/0:1}, stay whole.
 */
final class ProcessNames {

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:[\\\\/].*", Pattern.DOTALL);

    private ProcessNames() {
    }

    /** Whether {@code name} is a file path rather than a task name. */
    static boolean isPath(String name) {
        return name != null && (name.startsWith("/") || name.startsWith("\\") || DRIVE.matcher(name).matches());
    }

    /** The base name of a path ({@code svchost.exe}); any other name as it is; empty for null. */
    static String shown(String name) {
        if (name == null) {
            return "";
        }
        String base = isPath(name) ? ProcessRef.nameOf(name) : name;
        return base.isEmpty() ? name : base;
    }

    /** {@code name} when it is a path, else {@code null}. */
    static String pathOf(String name) {
        return isPath(name) ? name : null;
    }
}
