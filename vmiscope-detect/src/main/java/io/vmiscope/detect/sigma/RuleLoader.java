package io.vmiscope.detect.sigma;

import io.vmiscope.detect.FollowUpRequest;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.OneLine;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.vmiscope.detect.sigma.YamlNodes.line;
import static io.vmiscope.detect.sigma.YamlNodes.mapping;
import static io.vmiscope.detect.sigma.YamlNodes.optionalText;
import static io.vmiscope.detect.sigma.YamlNodes.scalars;
import static io.vmiscope.detect.sigma.YamlNodes.text;

/**
 * Reads Sigma rule files (YAML; several documents per file allowed) into a {@link RuleSet}: the default ruleset
 * shipped in this module's resources and the files of directories the user names. What cannot be evaluated is
 * listed with its reason ({@link RuleSet#unsupported()}); what is not a valid rule — bad YAML, wrong types, an
 * invalid regular expression — is one {@code file:line: reason} line ({@link RuleSet#malformed()}).
 *
 * <p>YAML is only composed into nodes, never constructed into objects (no type tags are honoured), with limits on
 * size, nesting and aliases: a rule file is input from others.
 */
public final class RuleLoader {

    /** The resource listing the default ruleset's files (relative to {@code rules/}). */
    static final String DEFAULT_INDEX = "rules/default-rules.txt";
    private static final int MAX_FILE_CODE_POINTS = 1_000_000;
    private static final Pattern TECHNIQUE = Pattern.compile("attack\\.(t\\d{4}(?:\\.\\d{3})?)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMESPAN = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Set<String> DETECTION_KEYS = Set.of("condition", "timeframe");

    private final List<SigmaRule> rules = new ArrayList<>();
    private final List<Correlation> correlationDocs = new ArrayList<>();
    private final List<RuleSet.Unsupported> unsupported = new ArrayList<>();
    private final List<String> malformed = new ArrayList<>();

    /** A correlation document, resolved once every file is read (its base rules may be in another file). */
    private record Correlation(String source, String id, String title, AlertEvent.Level level, List<String> techniques,
                               List<FollowUpRequest> followUps, Map<String, Node> spec, Node node) {
    }

    private RuleLoader() {
    }

    /**
     * Loads the default ruleset (when {@code withDefaults}) and every {@code .yml}/{@code .yaml} file under
     * {@code sources} (files or directories, recursively, in name order), then switches off the rules whose ids
     * are in {@code disabled}.
     *
     * @throws IllegalArgumentException when a source does not exist, or {@code disabled} names no loaded rule
     */
    public static RuleSet load(List<Path> sources, boolean withDefaults, Set<String> disabled) {
        RuleLoader loader = new RuleLoader();
        if (withDefaults) {
            for (String file : defaultFiles()) {
                try (InputStream in = resource("rules/" + file)) {
                    loader.read("default:" + file, in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the default rule " + file, e);
                }
            }
        }
        for (Path source : sources) {
            for (Path file : files(source)) {
                try (InputStream in = Files.newInputStream(file)) {
                    loader.read(file.toString(), in);
                } catch (IOException e) {
                    loader.malformed.add(file + ":0: cannot read: " + OneLine.of(e.getMessage(), 120));
                }
            }
        }
        return loader.build(disabled);
    }

    /** The default ruleset's files, as its index lists them. */
    static List<String> defaultFiles() {
        try (InputStream in = resource(DEFAULT_INDEX)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_INDEX, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = RuleLoader.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource " + name + " is missing from vmiscope-detect");
        }
        return in;
    }

    private static List<Path> files(Path source) {
        if (Files.isRegularFile(source)) {
            return List.of(source);
        }
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("no such rule file or directory: " + source);
        }
        try (Stream<Path> walk = Files.walk(source)) {
            return walk.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".yml") || n.endsWith(".yaml");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + source, e);
        }
    }

    private void read(String file, InputStream in) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(40);
        options.setCodePointLimit(MAX_FILE_CODE_POINTS);
        List<Node> documents = new ArrayList<>();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            for (Node document : new Yaml(options).composeAll(reader)) {
                if (document != null) {
                    documents.add(document);
                }
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            malformed.add(file + ":" + line + ": not valid YAML: " + OneLine.of(e.getProblem(), 120));
            return;
        } catch (YAMLException | IOException e) {
            malformed.add(file + ":0: not valid YAML: " + OneLine.of(e.getMessage(), 120));
            return;
        }
        if (documents.isEmpty()) {
            malformed.add(file + ":1: no rule in the file");
        }
        for (Node document : documents) {
            String where = file + ":" + line(document);
            String title = null;
            String id = null;
            try {
                Map<String, Node> doc = mapping(document, "a rule");
                title = text(doc, "title", document, "the rule");
                id = optionalText(doc, "id");
                id = id == null || id.isBlank() ? title : id;
                if (doc.containsKey("action")) {
                    throw new UnsupportedRuleException("Sigma v1 rule collections ('action: "
                            + OneLine.of(String.valueOf(optionalText(doc, "action")), 20) + "') are not supported");
                }
                AlertEvent.Level level = level(doc);
                List<String> techniques = techniques(doc);
                List<FollowUpRequest> followUps = FollowUps.of(doc.get("vmiscope"));
                if (doc.containsKey("correlation")) {
                    correlationDocs.add(new Correlation(where, id, title, level, techniques, followUps,
                            mapping(doc.get("correlation"), "correlation"), doc.get("correlation")));
                } else {
                    rules.add(detectionRule(doc, document, where, id, title, level, techniques, followUps));
                }
            } catch (UnsupportedRuleException e) {
                unsupported.add(new RuleSet.Unsupported(where, OneLine.of(String.valueOf(id), 80),
                        OneLine.of(String.valueOf(title), 120), e.getMessage()));
            } catch (RuleSyntaxException e) {
                malformed.add(file + ":" + (e.line() > 0 ? e.line() : line(document)) + ": " + e.getMessage());
            }
        }
    }

    private static AlertEvent.Level level(Map<String, Node> doc) {
        String level = optionalText(doc, "level");
        if (level == null) {
            return AlertEvent.Level.MEDIUM;
        }
        try {
            return AlertEvent.Level.of(level.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RuleSyntaxException(line(doc.get("level")), e.getMessage());
        }
    }

    /** {@code attack.t1059.004} → {@code T1059.004}; other tags are not techniques. */
    private static List<String> techniques(Map<String, Node> doc) {
        Node tags = doc.get("tags");
        if (tags == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String tag : scalars(tags, "tags")) {
            Matcher m = tag == null ? null : TECHNIQUE.matcher(tag.strip());
            if (m != null && m.matches()) {
                out.add(m.group(1).toUpperCase(Locale.ROOT));
            }
        }
        return List.copyOf(out);
    }

    private SigmaRule detectionRule(Map<String, Node> doc, Node document, String where, String id, String title,
                                    AlertEvent.Level level, List<String> techniques, List<FollowUpRequest> followUps) {
        Node logsourceNode = doc.get("logsource");
        Node detectionNode = doc.get("detection");
        if (logsourceNode == null || detectionNode == null) {
            throw new RuleSyntaxException(line(document), "the rule has no " + (logsourceNode == null ? "logsource"
                    : "detection"));
        }
        Set<Logsource> logsources = logsources(mapping(logsourceNode, "logsource"));
        Set<SigmaField> provided = new HashSet<>();
        logsources.forEach(l -> provided.addAll(EventMapper.PROVIDED.get(l)));
        String logsourceName = logsources.stream().map(l -> l.product() + "/" + l.category()).sorted()
                .reduce((a, b) -> a + "," + b).orElse("");
        Map<String, Node> detection = mapping(detectionNode, "detection");
        if (detection.containsKey("timeframe")) {
            throw new UnsupportedRuleException("'timeframe' (Sigma v1 aggregation) is not supported: use a "
                    + "correlation rule");
        }
        Node conditionNode = detection.get("condition");
        if (conditionNode == null) {
            throw new RuleSyntaxException(line(detectionNode), "the detection has no condition");
        }
        Map<String, EventMatcher> selections = new LinkedHashMap<>();
        Set<SigmaField> used = new LinkedHashSet<>();
        for (Map.Entry<String, Node> s : detection.entrySet()) {
            if (!DETECTION_KEYS.contains(s.getKey())) {
                selections.put(s.getKey(), Selections.compile(s.getValue(), provided, logsourceName, used));
            }
        }
        List<EventMatcher> conditions = new ArrayList<>();
        for (String condition : scalars(conditionNode, "the condition")) {
            if (condition == null) {
                throw new RuleSyntaxException(line(conditionNode), "an empty condition");
            }
            conditions.add(ConditionParser.compile(condition, selections, line(conditionNode)));
        }
        EventMatcher matcher = conditions.size() == 1 ? conditions.get(0) : ConditionParser.anyOf(conditions);
        return new SigmaRule(id, optionalText(doc, "name"), title, level, techniques, logsources, matcher,
                List.copyOf(used), followUps, RuleInputs.of(logsources, detection), true, where);
    }

    /** The logsources vmiscope fills that the rule's logsource names. */
    private static Set<Logsource> logsources(Map<String, Node> l) {
        String product = lower(optionalText(l, "product"));
        String category = lower(optionalText(l, "category"));
        String service = lower(optionalText(l, "service"));
        Set<Logsource> out = new LinkedHashSet<>();
        if (service != null) {
            if (service.equals(Logsource.AUDITD) && (product == null || product.equals(Logsource.LINUX))
                    && category == null) {
                out.add(new Logsource(Logsource.LINUX, Logsource.AUDITD));
                return out;
            }
            throw new UnsupportedRuleException("logsource service '" + OneLine.of(service, 40)
                    + "' is not available (vmiscope serves auditd's syscall records)");
        }
        if (category == null) {
            throw new UnsupportedRuleException("a logsource without category or service ('"
                    + OneLine.of(String.valueOf(product), 40) + "') is not supported");
        }
        for (String p : product == null ? List.of(Logsource.LINUX, Logsource.WINDOWS) : List.of(product)) {
            Logsource candidate = new Logsource(p, category);
            if (EventMapper.PROVIDED.containsKey(candidate)) {
                out.add(candidate);
            }
        }
        if (out.isEmpty()) {
            throw new UnsupportedRuleException("logsource " + (product == null ? "" : OneLine.of(product, 30) + "/")
                    + OneLine.of(category, 40) + " is not available (docs/detection.md lists the logsources)");
        }
        return out;
    }

    private static String lower(String s) {
        return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
    }

    private RuleSet build(Set<String> disabled) {
        Set<String> known = new HashSet<>();
        rules.forEach(r -> known.add(r.id()));
        correlationDocs.forEach(c -> known.add(c.id()));
        for (String id : disabled) {
            if (!known.contains(id)) {
                throw new IllegalArgumentException("--disable names rule '" + OneLine.of(id, 80)
                        + "', which is not loaded");
            }
        }
        Set<String> silenced = new HashSet<>(disabled);
        List<CorrelationRule> correlations = new ArrayList<>();
        for (Correlation c : correlationDocs) {
            if (disabled.contains(c.id())) {
                continue;
            }
            try {
                CorrelationRule compiled = Correlations.compile(c.spec(), c.node(), c.source(), c.id(), c.title(),
                        c.level(), c.techniques(), c.followUps(), rules);
                correlations.add(compiled);
                if (!Correlations.generates(c.spec())) {
                    compiled.bases().forEach(b -> silenced.add(b.id()));
                }
            } catch (UnsupportedRuleException e) {
                unsupported.add(new RuleSet.Unsupported(c.source(), c.id(), c.title(), e.getMessage()));
            } catch (RuleSyntaxException e) {
                malformed.add(c.source().substring(0, c.source().lastIndexOf(':')) + ":"
                        + (e.line() > 0 ? e.line() : line(c.node())) + ": " + e.getMessage());
            }
        }
        Set<String> feeding = new HashSet<>();
        correlations.forEach(c -> c.bases().forEach(b -> feeding.add(b.id())));
        List<SigmaRule> kept = new ArrayList<>();
        for (SigmaRule r : rules) {
            if (disabled.contains(r.id()) && !feeding.contains(r.id())) {
                continue;
            }
            kept.add(silenced.contains(r.id()) ? r.silenced() : r);
        }
        return new RuleSet(kept, correlations, unsupported, malformed);
    }

    /** A timespan such as {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}. */
    static Duration timespan(String text, int line) {
        Matcher m = text == null ? null : TIMESPAN.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new RuleSyntaxException(line, "timespan '" + OneLine.of(String.valueOf(text), 20)
                    + "' is not a number and one of s, m, h, d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
