package io.vmiscope.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of docs/architecture.md, enforced: an arrow between modules that runs the wrong way fails the
 * build, and so does a cycle between packages, inside a module or across modules.
 */
class ArchitectureTest {

    /** module package → the vmiscope packages it may import (besides its own). */
    private static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            Map.entry("api", List.of()),
            Map.entry("events", List.of()),
            Map.entry("gdb", List.of("api")),
            Map.entry("x86", List.of("api")),
            Map.entry("linux", List.of("api", "x86")),
            Map.entry("guest", List.of("api")),
            Map.entry("monitor", List.of("api", "events", "x86", "linux")),
            Map.entry("store", List.of("events")),
            Map.entry("analysis", List.of("events", "store")),
            Map.entry("detect", List.of("events", "store")),
            Map.entry("overhead", List.of("api", "events", "store", "monitor")),
            Map.entry("session", List.of("api", "events", "x86", "linux", "monitor", "store", "overhead", "detect")),
            Map.entry("web", List.of("events", "store", "analysis", "overhead", "session")),
            Map.entry("cli", List.of("api", "events", "gdb", "x86", "linux", "guest", "monitor", "store", "analysis", "detect",
                    "overhead", "session", "web")));

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vmiscope");
    }

    static Stream<Arguments> forbiddenArrows() {
        List<Arguments> arrows = new ArrayList<>();
        for (String module : ALLOWED.keySet()) {
            List<String> forbidden = ALLOWED.keySet().stream()
                    .filter(other -> !other.equals(module) && !ALLOWED.get(module).contains(other))
                    .map(other -> "io.vmiscope." + other + "..").toList();
            if (!forbidden.isEmpty()) {
                arrows.add(Arguments.of(module, forbidden));
            }
        }
        arrows.add(Arguments.of("every module", List.of("io.vmiscope.testkit..")));
        return arrows.stream();
    }

    @ParameterizedTest(name = "{0} imports none of {1}")
    @MethodSource("forbiddenArrows")
    void module_importsOnlyWhatTheArchitectureAllows(String module, List<String> forbidden) {
        String from = module.equals("every module") ? "io.vmiscope.." : "io.vmiscope." + module + "..";
        noClasses().that().resideInAPackage(from)
                .and().resideOutsideOfPackage("io.vmiscope.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .check(classes);
    }

    @Test
    void packages_dependOnEachOtherWithoutCycles() {
        slices().matching("io.vmiscope.(**)").namingSlices("package io.vmiscope.$1")
                .should().beFreeOfCycles()
                .because("a package cycle means a concept sits in the wrong package: move it to one both"
                        + " sides may import, or invert the dependency (docs/architecture.md)")
                .check(classes);
    }

    @Test
    void productionClassesAreFound_soTheRulesAreNotVacuous() {
        assertThat(classes.stream()
                .map(c -> c.getPackageName().split("\\.")[2]).distinct())
                .contains("api", "events", "gdb", "x86", "linux", "guest", "monitor", "store", "analysis", "overhead", "cli");
        assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
                .as("packages that share a module, so the cycle rule has arrows inside a module to check")
                .contains("io.vmiscope.linux.profile", "io.vmiscope.linux.image", "io.vmiscope.linux.btf",
                        "io.vmiscope.linux.symbols");
    }
}
