package io.vmiscope.detect.sigma;

import io.vmiscope.detect.FollowUpRequest;
import io.vmiscope.events.OneLine;
import org.yaml.snakeyaml.nodes.Node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.vmiscope.detect.sigma.YamlNodes.isSequence;
import static io.vmiscope.detect.sigma.YamlNodes.line;
import static io.vmiscope.detect.sigma.YamlNodes.mapping;
import static io.vmiscope.detect.sigma.YamlNodes.optionalText;
import static io.vmiscope.detect.sigma.YamlNodes.sequence;
import static io.vmiscope.detect.sigma.YamlNodes.text;

/**
 * A rule's vmiscope section: {@code vmiscope: { follow_up: [ { action: "syscalls:file", scope: process,
 * for: 60s } ] }} (docs/detection.md). Sigma tools ignore keys they do not know, so such a rule stays a valid
 * Sigma rule elsewhere.
 */
final class FollowUps {

    private FollowUps() {
    }

    static List<FollowUpRequest> of(Node section) {
        if (section == null) {
            return List.of();
        }
        Map<String, Node> v = mapping(section, "the vmiscope section");
        for (String key : v.keySet()) {
            if (!key.equals("follow_up")) {
                throw new RuleSyntaxException(line(section), "unknown key '" + OneLine.of(key, 30)
                        + "' in the vmiscope section (known: follow_up)");
            }
        }
        Node list = v.get("follow_up");
        if (list == null) {
            return List.of();
        }
        if (!isSequence(list)) {
            throw new RuleSyntaxException(line(list), "follow_up must be a list");
        }
        List<FollowUpRequest> out = new ArrayList<>();
        for (Node item : sequence(list)) {
            Map<String, Node> f = mapping(item, "a follow_up");
            String action = text(f, "action", item, "a follow_up");
            String scope = optionalText(f, "scope");
            FollowUpRequest.Scope s;
            try {
                s = FollowUpRequest.Scope.valueOf((scope == null ? "process" : scope.strip())
                        .toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RuleSyntaxException(line(item), "follow_up scope '" + OneLine.of(scope, 30)
                        + "' is not one of process, process_tree, vm");
            }
            String duration = optionalText(f, "for");
            Duration d = duration == null ? Duration.ZERO : RuleLoader.timespan(duration, line(item));
            out.add(new FollowUpRequest(OneLine.of(action, 200), s, d));
        }
        return List.copyOf(out);
    }
}
