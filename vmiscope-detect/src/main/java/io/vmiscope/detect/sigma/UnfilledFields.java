package io.vmiscope.detect.sigma;

import java.util.Locale;
import java.util.Map;

/**
 * Why a field of Sigma's taxonomy that rules use is not filled from vmiscope's events, for the reason a rule that
 * uses it is reported unsupported. Only fields whose value vmiscope cannot know are here: no value is ever made up.
 */
final class UnfilledFields {

    private static final Map<String, String> WHY = Map.of(
            "destinationhostname", "vmiscope sees a connection's address, not the host name it was resolved from",
            "sourcehostname", "vmiscope sees a connection's address, not the host name it was resolved from",
            "currentdirectory", "the process's working directory is not read",
            "logonid", "Linux has no logon ids; the login session is not read",
            "originalfilename", "a Windows PE resource, not read",
            "hashes", "files are not hashed",
            "protocol", "the socket's protocol (tcp, udp) is not read, only its address");

    private UnfilledFields() {
    }

    /** The reason a rule naming {@code field} (in any letter case) is not evaluated for {@code logsource}. */
    static String reason(String field, String logsource) {
        String why = WHY.get(field.toLowerCase(Locale.ROOT));
        return "field '" + field + "' is not filled for " + logsource + (why == null ? "" : ": " + why)
                + " (docs/detection.md)";
    }
}
