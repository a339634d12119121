package io.vmiscope.detect.sigma;

/**
 * Where a mapped event comes from, as Sigma's {@code logsource} names it: a product ({@code linux},
 * {@code windows}) and a category ({@code process_creation}, …) or, for auditd's syscall records, the service
 * {@code auditd} (stored here as the category).
 */
public record Logsource(String product, String category) {

    static final String LINUX = "linux";
    static final String WINDOWS = "windows";
    static final String AUDITD = "auditd";
}
