package io.vmiscope.detect.sigma;

import io.vmiscope.detect.FollowUpRequest;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.OneLine;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.vmiscope.detect.sigma.YamlNodes.line;
import static io.vmiscope.detect.sigma.YamlNodes.mapping;
import static io.vmiscope.detect.sigma.YamlNodes.optionalText;
import static io.vmiscope.detect.sigma.YamlNodes.scalars;
import static io.vmiscope.detect.sigma.YamlNodes.text;

/**
 * Compiles a {@code correlation} section (sigma-specification, "Sigma Correlation Rules"): {@code type},
 * {@code rules} (by {@code name} or {@code id}), {@code group-by}, {@code timespan}, {@code condition},
 * {@code aliases} and {@code generate}.
 */
final class Correlations {

    private static final Set<String> LOWER_BOUNDS = Set.of("gt", "gte", "eq");
    private static final Set<String> UPPER_BOUNDS = Set.of("lt", "lte");

    private Correlations() {
    }

    /** {@code generate: true} lets the base rules raise their own alerts too (default false). */
    static boolean generates(Map<String, Node> spec) {
        return "true".equalsIgnoreCase(String.valueOf(optionalText(spec, "generate")));
    }

    static CorrelationRule compile(Map<String, Node> spec, Node node, String source, String id, String title,
                                   AlertEvent.Level level, List<String> techniques, List<FollowUpRequest> followUps,
                                   List<SigmaRule> loaded) {
        String typeName = text(spec, "type", node, "the correlation").strip().toLowerCase(Locale.ROOT);
        CorrelationRule.Type type = switch (typeName) {
            case "event_count" -> CorrelationRule.Type.EVENT_COUNT;
            case "value_count" -> CorrelationRule.Type.VALUE_COUNT;
            case "temporal" -> CorrelationRule.Type.TEMPORAL;
            case "temporal_ordered" -> CorrelationRule.Type.TEMPORAL_ORDERED;
            default -> throw new UnsupportedRuleException("correlation type '" + OneLine.of(typeName, 30)
                    + "' is not supported (event_count, value_count, temporal, temporal_ordered are)");
        };
        Node rulesNode = spec.get("rules");
        if (rulesNode == null) {
            throw new RuleSyntaxException(line(node), "the correlation has no 'rules'");
        }
        List<String> references = scalars(rulesNode, "rules");
        if (references.isEmpty() || references.contains(null)) {
            throw new RuleSyntaxException(line(rulesNode), "the correlation's 'rules' must name rules");
        }
        List<SigmaRule> bases = new ArrayList<>();
        for (String ref : references) {
            bases.add(loaded.stream().filter(r -> r.answersTo(ref)).findFirst().orElseThrow(() ->
                    new UnsupportedRuleException("refers to rule '" + OneLine.of(ref, 60)
                            + "', which is not loaded (correlations of correlations are not supported)")));
        }
        long spanNanos = RuleLoader.timespan(text(spec, "timespan", node, "the correlation"),
                line(spec.get("timespan"))).toNanos();
        Map<String, Map<String, String>> aliases = aliases(spec.get("aliases"));
        List<String> groupBy = spec.get("group-by") == null ? List.of() : scalars(spec.get("group-by"), "group-by");
        List<List<SigmaField>> groupFields = new ArrayList<>();
        for (int b = 0; b < bases.size(); b++) {
            List<SigmaField> fields = new ArrayList<>();
            for (String g : groupBy) {
                String fieldName = aliases.getOrDefault(g, Map.of()).getOrDefault(references.get(b), g);
                fields.add(field(fieldName, bases.get(b)));
            }
            groupFields.add(List.copyOf(fields));
        }
        String operator = "gte";
        long threshold = 1;
        List<SigmaField> valueFields = new ArrayList<>();
        Node conditionNode = spec.get("condition");
        boolean counting = type == CorrelationRule.Type.EVENT_COUNT || type == CorrelationRule.Type.VALUE_COUNT;
        if (counting) {
            if (conditionNode == null) {
                throw new RuleSyntaxException(line(node), "an " + typeName + " correlation needs a condition");
            }
            Map<String, Node> condition = mapping(conditionNode, "the correlation's condition");
            int bounds = 0;
            for (Map.Entry<String, Node> c : condition.entrySet()) {
                String key = c.getKey().toLowerCase(Locale.ROOT);
                if (key.equals("field")) {
                    continue;
                }
                if (UPPER_BOUNDS.contains(key)) {
                    throw new UnsupportedRuleException("condition '" + key + "' needs the end of a window; vmiscope "
                            + "decides as events arrive (gt, gte, eq are supported)");
                }
                if (!LOWER_BOUNDS.contains(key)) {
                    throw new RuleSyntaxException(line(c.getValue()), "unknown condition '" + OneLine.of(key, 20) + "'");
                }
                operator = key;
                bounds++;
                try {
                    threshold = Long.parseLong(String.valueOf(YamlNodes.scalar(c.getValue(), key)).strip());
                } catch (NumberFormatException e) {
                    throw new RuleSyntaxException(line(c.getValue()), "condition '" + key + "' needs a whole number");
                }
            }
            if (bounds != 1) {
                throw new RuleSyntaxException(line(conditionNode), "the condition needs one of gt, gte, eq");
            }
            if (type == CorrelationRule.Type.VALUE_COUNT) {
                String field = optionalText(condition, "field");
                if (field == null) {
                    throw new RuleSyntaxException(line(conditionNode), "a value_count condition needs a 'field'");
                }
                for (SigmaRule base : bases) {
                    valueFields.add(field(field, base));
                }
            }
        }
        return new CorrelationRule(id, title, level, techniques, type, bases, groupFields, valueFields, spanNanos,
                operator, threshold, followUps, source);
    }

    /** {@code aliases: { name: { ruleRef: Field, … } }}. */
    private static Map<String, Map<String, String>> aliases(Node node) {
        Map<String, Map<String, String>> out = new HashMap<>();
        if (node == null) {
            return out;
        }
        for (Map.Entry<String, Node> alias : mapping(node, "aliases").entrySet()) {
            Map<String, String> perRule = new HashMap<>();
            for (Map.Entry<String, Node> r : mapping(alias.getValue(), "alias '" + alias.getKey() + "'").entrySet()) {
                perRule.put(r.getKey(), text(Map.of("f", r.getValue()), "f", r.getValue(), "an alias"));
            }
            out.put(alias.getKey(), perRule);
        }
        return out;
    }

    private static SigmaField field(String name, SigmaRule base) {
        Set<SigmaField> provided = new HashSet<>();
        base.logsources().forEach(l -> provided.addAll(EventMapper.PROVIDED.get(l)));
        return SigmaField.named(name).filter(provided::contains).orElseThrow(() -> new UnsupportedRuleException(
                "field '" + OneLine.of(name, 40) + "' is not filled for the events of rule '"
                        + OneLine.of(base.title(), 60) + "'"));
    }
}
