package io.vmiscope.detect.sigma;

import io.vmiscope.events.OneLine;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a composed YAML tree (SnakeYAML nodes, never constructed Java objects), each failing with a
 * {@link RuleSyntaxException} that names the node's line.
 */
final class YamlNodes {

    private YamlNodes() {
    }

    /** The node's 1-based line. */
    static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    /** A mapping's entries by key, in order; duplicate keys are an error. */
    static Map<String, Node> mapping(Node n, String what) {
        if (!(n instanceof MappingNode m)) {
            throw new RuleSyntaxException(line(n), what + " must be a mapping");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode(), "a key of " + what);
            if (key == null || out.put(key, t.getValueNode()) != null) {
                throw new RuleSyntaxException(line(t.getKeyNode()), "key '" + OneLine.of(String.valueOf(key), 40)
                        + "' appears twice in " + what);
            }
        }
        return out;
    }

    /** A scalar's text, or {@code null} for a YAML null. */
    static String scalar(Node n, String what) {
        if (!(n instanceof ScalarNode s)) {
            throw new RuleSyntaxException(line(n), what + " must be a single value");
        }
        return s.getTag().equals(Tag.NULL) ? null : s.getValue();
    }

    /** A required, non-empty text. */
    static String text(Map<String, Node> map, String key, Node owner, String what) {
        Node n = map.get(key);
        String v = n == null ? null : scalar(n, what + " '" + key + "'");
        if (v == null || v.isBlank()) {
            throw new RuleSyntaxException(n == null ? line(owner) : line(n), what + " has no '" + key + "'");
        }
        return v;
    }

    /** An optional text: {@code null} when absent. */
    static String optionalText(Map<String, Node> map, String key) {
        Node n = map.get(key);
        return n == null ? null : scalar(n, "'" + key + "'");
    }

    /** A scalar or a list of scalars, as texts ({@code null} elements for YAML nulls). */
    static List<String> scalars(Node n, String what) {
        List<String> out = new ArrayList<>();
        if (n instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                out.add(scalar(item, "an element of " + what));
            }
        } else {
            out.add(scalar(n, what));
        }
        return out;
    }

    static boolean isSequence(Node n) {
        return n instanceof SequenceNode;
    }

    static List<Node> sequence(Node n) {
        return ((SequenceNode) n).getValue();
    }

    static boolean isMapping(Node n) {
        return n instanceof MappingNode;
    }
}
