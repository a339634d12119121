package io.vmiscope.analysis;

/**
 * The derived tables could not be built or read (the store failed, or its file is gone). Unchecked: like a
 * store failure, it ends the operation; a failed {@link Analysis#refresh} leaves the tables as they were.
 */
public final class AnalysisException extends RuntimeException {

    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
    }
}
