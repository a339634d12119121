package io.vmiscope.store;

/** File formats of {@link DuckDbEventStore#export}: what DuckDB's {@code COPY … TO} writes. */
public enum ExportFormat {
    /** One JSON object per line, the {@code fields} column embedded as JSON. */
    JSONL("FORMAT json"),
    /** Comma-separated with a header line; {@code fields} as JSON text. */
    CSV("FORMAT csv, HEADER true"),
    /** Apache Parquet, zstd-compressed. */
    PARQUET("FORMAT parquet, COMPRESSION zstd");

    private final String copyOptions;

    ExportFormat(String copyOptions) {
        this.copyOptions = copyOptions;
    }

    String copyOptions() {
        return copyOptions;
    }
}
