package io.vmiscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vmiscope.linux.KernelLocation;
import io.vmiscope.linux.task.ProcessInfo;
import io.vmiscope.linux.walk.WalkResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Formats a process list as a table, a tree or JSON. Guest strings are printed as text with control
 * characters escaped, so a hostile process name cannot drive the terminal.
 */
final class ProcessListRenderer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int MAX_COMMAND_CHARS = 120;

    private ProcessListRenderer() {
    }

    static void table(WalkResult<ProcessInfo> result, PrintStream out) {
        out.printf("%7s %7s %6s %s %-16s %s%n", "PID", "PPID", "UID", "S", "COMM", "COMMAND");
        result.items().stream().sorted(Comparator.comparingInt(ProcessInfo::tgid)).forEach(p ->
                out.printf("%7d %7d %6s %c %-16s %s%n", p.tgid(), p.ppid(), uid(p), p.state(),
                        safe(p.comm()), safe(shorten(p.commandLine()))));
        footer(result, out);
    }

    /** One process of a tree: its pid, its parent's pid, and what to show (guest text, escaped when printed). */
    record TreeRow(int pid, int ppid, String label) {
    }

    static void tree(WalkResult<ProcessInfo> result, PrintStream out) {
        tree(result.items().stream().map(p -> new TreeRow(p.tgid(), p.ppid(), p.commandLine())).toList(), out);
        footer(result, out);
    }

    /** Parents before children, siblings by pid; a row whose parent is absent is a root. */
    static void tree(List<TreeRow> rows, PrintStream out) {
        Map<Integer, List<TreeRow>> children = new TreeMap<>();
        Set<Integer> pids = rows.stream().map(TreeRow::pid).collect(Collectors.toSet());
        List<TreeRow> roots = new ArrayList<>();
        for (TreeRow p : rows) {
            if (pids.contains(p.ppid()) && p.ppid() != p.pid()) {
                children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            } else {
                roots.add(p);
            }
        }
        roots.sort(Comparator.comparingInt(TreeRow::pid));
        for (TreeRow root : roots) {
            print(root, "", true, true, children, out, 0);
        }
    }

    private static void print(TreeRow p, String indent, boolean last, boolean root,
                              Map<Integer, List<TreeRow>> children, PrintStream out, int depth) {
        String branch = root ? "" : (last ? "└─ " : "├─ ");
        out.println(indent + branch + p.pid() + " " + safe(shorten(p.label())));
        List<TreeRow> kids = new ArrayList<>(children.getOrDefault(p.pid(), List.of()));
        kids.sort(Comparator.comparingInt(TreeRow::pid));
        String childIndent = root ? "" : indent + (last ? "   " : "│  ");
        // the walk guarantees distinct tasks; the depth bound guards against a ppid cycle in guest data
        if (depth > 512) {
            return;
        }
        for (int i = 0; i < kids.size(); i++) {
            print(kids.get(i), childIndent, i == kids.size() - 1, false, children, out, depth + 1);
        }
    }

    static void json(String vm, KernelLocation location, WalkResult<ProcessInfo> result, PrintStream out) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("vm", vm);
        doc.put("kaslrSlide", String.format("0x%x", location.slide()));
        doc.put("complete", result.isComplete());
        doc.put("truncated", result.truncated());
        doc.put("anomalies", result.anomalies().stream().map(a -> Map.of(
                "kind", a.kind().name(), "where", a.where(), "detail", a.detail())).toList());
        doc.put("processes", result.items().stream().map(ProcessListRenderer::jsonRow).toList());
        try {
            out.println(JSON.writeValueAsString(doc));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> jsonRow(ProcessInfo p) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("pid", p.tgid());
        row.put("tid", p.pid());
        row.put("ppid", p.ppid());
        row.put("comm", p.comm());
        row.put("argv", p.argv());
        row.put("argvComplete", p.argvComplete());
        row.put("uid", p.uid());
        row.put("gid", p.gid());
        row.put("state", String.valueOf(p.state()));
        row.put("kernelThread", p.kernelThread());
        row.put("startTimeNanos", p.startTimeNanos());
        row.put("task", p.task().toString());
        return row;
    }

    private static void footer(WalkResult<ProcessInfo> result, PrintStream out) {
        out.println(result.items().size() + " processes" + (result.truncated() ? " (walk cut short)" : ""));
        result.anomalies().forEach(a -> out.println("anomaly: " + safe(a.toString())));
    }

    private static String uid(ProcessInfo p) {
        return p.uid() < 0 ? "?" : Long.toString(p.uid());
    }

    private static String shorten(String text) {
        return text.length() <= MAX_COMMAND_CHARS ? text : text.substring(0, MAX_COMMAND_CHARS - 1) + "…";
    }

    /** Escapes control characters (incl. ESC) so guest text cannot move the cursor or recolour the terminal. */
    static String safe(String guestText) {
        StringBuilder sb = new StringBuilder(guestText.length());
        guestText.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
