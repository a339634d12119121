package io.vmiscope.overhead.report;

import io.vmiscope.overhead.model.ComparedCombination;
import io.vmiscope.overhead.model.Evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison as CSV (RFC 4180, slowdowns as fractions: 0.10 is 10% slower), for spreadsheets
 * and plotting tools.
 */
public final class ReportCsv {

    private ReportCsv() {
    }

    /** One row per measured combination: measured and predicted slowdown, interval, error. */
    public static void writeCombinations(Evaluation evaluation, Path file) {
        List<String> lines = new ArrayList<>();
        lines.add("workload,combination,actions,vcpus,group,repetitions,measured_slowdown,measured_lowest,measured_highest,"
                + "predicted_slowdown,interval_low,interval_high,error_percent,within_15_percent");
        for (ComparedCombination row : evaluation.rows()) {
            lines.add(String.join(",", field(row.measured().workload()), field(row.measured().combination()),
                    String.valueOf(row.measured().actions().size()), String.valueOf(row.measured().vcpus()),
                    field(row.group().label()), String.valueOf(row.measured().repetitions()),
                    number(row.measured().measuredSlowdown()), number(row.measured().lowestSlowdown()),
                    number(row.measured().highestSlowdown()), number(row.prediction().slowdown()),
                    number(row.prediction().low()), number(row.prediction().high()), number(row.errorPercent()),
                    String.valueOf(row.errorPercent() <= 15)));
        }
        write(file, lines);
    }

    /** One row per action of each measured combination: its predicted share of the slowdown. */
    public static void writeBreakdown(Evaluation evaluation, Path file) {
        List<String> lines = new ArrayList<>();
        lines.add("workload,combination,vcpus,action,predicted_share");
        for (ComparedCombination row : evaluation.rows()) {
            for (Map.Entry<String, Double> share : row.prediction().perAction().entrySet()) {
                lines.add(String.join(",", field(row.measured().workload()), field(row.measured().combination()),
                        String.valueOf(row.measured().vcpus()), field(share.getKey()), number(share.getValue())));
            }
        }
        write(file, lines);
    }

    /** A field, quoted when it holds a comma, quote or line break (action ids like {@code syscalls:file,network} do). */
    static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.writeString(file, String.join("\r\n", lines) + "\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
