package io.vmiscope.detect.sigma;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Sigma fields vmiscope fills from its events (docs/detection.md has the mapping). A rule names them in any
 * letter case ({@code SYSCALL} and {@code syscall} are one field, as auditd rules spell it both ways).
 */
public enum SigmaField {
    IMAGE("Image"), COMMAND_LINE("CommandLine"), PARENT_IMAGE("ParentImage"),
    PARENT_COMMAND_LINE("ParentCommandLine"),
    /** The program of the parent's parent (as SigmaHQ spells it): a CGI started by a relative path has only this. */
    GRAND_PARENT_IMAGE("GrandParentImage"), USER("User"), PROCESS_ID("ProcessId"),
    PARENT_PROCESS_ID("ParentProcessId"), TARGET_FILENAME("TargetFilename"), SOURCE_FILENAME("SourceFilename"),
    OPERATION("Operation"), FLAGS("Flags"), INITIATED("Initiated"), DESTINATION_IP("DestinationIp"),
    DESTINATION_PORT("DestinationPort"), SOURCE_IP("SourceIp"), SOURCE_PORT("SourcePort"),
    QUERY_NAME("QueryName"), SOURCE_IMAGE("SourceImage"), SOURCE_PROCESS_ID("SourceProcessId"),
    TARGET_PROCESS_ID("TargetProcessId"),
    /** auditd: the record type ({@code SYSCALL}). */
    TYPE("type"), SYSCALL("syscall"), EXE("exe"), COMM("comm"), UID("uid"), A0("a0"), A1("a1"), A2("a2"),
    A3("a3"), SUCCESS("success"), EXIT("exit");

    private static final Map<String, SigmaField> BY_NAME = new HashMap<>();

    static {
        for (SigmaField f : values()) {
            BY_NAME.put(f.sigmaName.toLowerCase(Locale.ROOT), f);
        }
    }

    private final String sigmaName;

    SigmaField(String sigmaName) {
        this.sigmaName = sigmaName;
    }

    /** The name rules use, e.g. {@code CommandLine}. */
    public String sigmaName() {
        return sigmaName;
    }

    /** The field a rule names, in any letter case. */
    public static Optional<SigmaField> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }
}
