package io.vmiscope.detect.sigma;

import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.vmiscope.detect.sigma.YamlNodes.isMapping;
import static io.vmiscope.detect.sigma.YamlNodes.isSequence;
import static io.vmiscope.detect.sigma.YamlNodes.line;
import static io.vmiscope.detect.sigma.YamlNodes.mapping;
import static io.vmiscope.detect.sigma.YamlNodes.scalars;
import static io.vmiscope.detect.sigma.YamlNodes.sequence;

/**
 * Compiles one named selection of a detection (sigma-specification, "Detection"): a map (every field test holds),
 * a list of maps (any map holds) or a list of values (keywords: any found in the event).
 */
final class Selections {

    private Selections() {
    }

    /** @param used collects the fields the selection reads */
    static EventMatcher compile(Node node, Set<SigmaField> provided, String logsource, Set<SigmaField> used) {
        if (isMapping(node)) {
            return fields(node, provided, logsource, used);
        }
        if (isSequence(node)) {
            List<Node> items = sequence(node);
            if (items.isEmpty()) {
                throw new RuleSyntaxException(line(node), "an empty selection");
            }
            if (items.stream().allMatch(YamlNodes::isMapping)) {
                List<EventMatcher> any = new ArrayList<>();
                for (Node item : items) {
                    any.add(fields(item, provided, logsource, used));
                }
                return ConditionParser.anyOf(any);
            }
            if (items.stream().noneMatch(i -> isMapping(i) || isSequence(i))) {
                return FieldMatchers.keywords("keywords", scalars(node, "keywords"), line(node));
            }
            throw new RuleSyntaxException(line(node), "a selection list mixes maps and values");
        }
        return FieldMatchers.keywords("keywords", scalars(node, "keywords"), line(node));
    }

    private static EventMatcher fields(Node node, Set<SigmaField> provided, String logsource, Set<SigmaField> used) {
        Map<String, Node> map = mapping(node, "a selection");
        if (map.isEmpty()) {
            throw new RuleSyntaxException(line(node), "an empty selection");
        }
        List<EventMatcher> all = new ArrayList<>();
        for (Map.Entry<String, Node> f : map.entrySet()) {
            String spec = f.getKey();
            Node value = f.getValue();
            if (isMapping(value) || (isSequence(value) && sequence(value).stream().anyMatch(
                    v -> isMapping(v) || isSequence(v)))) {
                throw new RuleSyntaxException(line(value), "field '" + spec + "' must have a value or a list of values");
            }
            String name = spec.split("\\|", -1)[0];
            if (name.isEmpty()) {
                all.add(FieldMatchers.keywords(spec, scalars(value, spec), line(value)));
                continue;
            }
            SigmaField.named(name).ifPresent(used::add);
            all.add(FieldMatchers.field(spec, scalars(value, spec), provided, logsource, line(value)));
        }
        return all.size() == 1 ? all.get(0) : ConditionParser.allOf(all);
    }
}
