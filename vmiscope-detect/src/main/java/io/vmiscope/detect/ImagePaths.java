package io.vmiscope.detect;

import java.util.List;

/**
 * The program an exec really starts, as Sigma's {@code Image} means it (and what an anomaly model is kept per). A busybox guest runs every applet as
 * {@code /bin/busybox}: {@code execve("/bin/nc", ["nc", …])} may be reported with the path {@code /bin/busybox}
 * and argv[0] {@code nc}, or as {@code busybox nc …}. Then the applet's path is the busybox directory plus the
 * applet's name ({@code /bin/nc}), and the command line starts at the applet — so a rule on
 * {@code Image|endswith: '/nc'} fires as on a full distribution.
 *
 * <p>Busybox's shell and tools run an applet by name as {@code execve("/proc/self/exe", ["nc", …])}: the caller's
 * own binary under the applet's name. Then the image is {@code /bin/} plus the applet ({@code /bin/nc}), where
 * busybox puts its applets: the caller's own path does not tell, as the caller is often a shell script (its image
 * is the script, not busybox) or was started by a relative path (busybox httpd's CGIs). A program re-running itself
 * under its own name keeps its (absolute) image.
 */
public final class ImagePaths {

    private static final String BUSYBOX = "busybox";
    /** What a program execs to run itself again (busybox: one of its applets). */
    private static final String SELF = "/proc/self/exe";
    /** Where busybox puts its applets by default. */
    private static final String APPLET_DIRECTORY = "/bin/";

    private ImagePaths() {
    }

    /**
     * The image for an exec of {@code path} with {@code argv}.
     *
     * @param callerImage the image of the process calling execve, or {@code null} when unknown
     */
    public static String image(String path, List<String> argv, String callerImage) {
        if (path.equals(SELF)) {
            return self(argv, callerImage);
        }
        String applet = applet(path, argv);
        if (applet == null) {
            return path;
        }
        int slash = path.lastIndexOf('/');
        return (slash >= 0 ? path.substring(0, slash + 1) : "") + applet;
    }

    private static String self(List<String> argv, String callerImage) {
        String applet = argv.isEmpty() ? "" : name(argv.get(0));
        if (callerImage != null && callerImage.startsWith("/") && (applet.isEmpty() || applet.equals(name(callerImage)))) {
            return callerImage;
        }
        return applet.isEmpty() ? SELF : APPLET_DIRECTORY + applet;
    }

    /** The command line: argv joined by spaces, from the applet's name on for {@code busybox APPLET …}. */
    public static String commandLine(String path, List<String> argv) {
        int from = isBusybox(path) && argv.size() > 1 && isBusybox(argv.get(0)) && !argv.get(1).startsWith("-") ? 1 : 0;
        return String.join(" ", argv.subList(from, argv.size()));
    }

    /** The applet a busybox exec runs, or {@code null} when {@code path} is not busybox. */
    private static String applet(String path, List<String> argv) {
        if (!isBusybox(path) || argv.isEmpty()) {
            return null;
        }
        String first = name(argv.get(0));
        if (!first.equals(BUSYBOX)) {
            return first.isEmpty() ? null : first;
        }
        return argv.size() > 1 && !name(argv.get(1)).isEmpty() && !argv.get(1).startsWith("-") ? name(argv.get(1))
                : null;
    }

    private static boolean isBusybox(String path) {
        return name(path).equals(BUSYBOX);
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
