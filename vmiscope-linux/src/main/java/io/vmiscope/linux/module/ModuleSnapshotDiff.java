package io.vmiscope.linux.module;

import io.vmiscope.api.Gva;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two module lists taken at different times. A module's identity is its name and
 * core base: the {@code struct module} address and the state may change while it stays the same
 * loaded module, and a module unloaded and loaded again gets a new base, so it counts as one that
 * disappeared and one that appeared. Lists are compared as multisets, so an entry that a corrupt list
 * shows twice counts twice. Pure logic; immutable.
 *
 * <p>Diff only complete walks ({@link io.vmiscope.linux.walk.WalkResult#isComplete()}): a module
 * missing from a truncated walk was not seen, which is not the same as gone.
 *
 * @param appeared    in the current list but not the previous one, in current-list order
 * @param disappeared in the previous list but not the current one, in previous-list order
 */
public record ModuleSnapshotDiff(List<ModuleInfo> appeared, List<ModuleInfo> disappeared) {

    public ModuleSnapshotDiff {
        appeared = List.copyOf(appeared);
        disappeared = List.copyOf(disappeared);
    }

    /** The changes from {@code previous} to {@code current}. */
    public static ModuleSnapshotDiff between(List<ModuleInfo> previous, List<ModuleInfo> current) {
        return new ModuleSnapshotDiff(missingFrom(previous, current), missingFrom(current, previous));
    }

    /** True when both lists held the same modules. */
    public boolean isEmpty() {
        return appeared.isEmpty() && disappeared.isEmpty();
    }

    private record Identity(String name, Gva base) {
        static Identity of(ModuleInfo module) {
            return new Identity(module.name(), module.base());
        }
    }

    /** The elements of {@code list} left after removing one occurrence per element of {@code reference}. */
    private static List<ModuleInfo> missingFrom(List<ModuleInfo> reference, List<ModuleInfo> list) {
        Map<Identity, Integer> unmatched = new HashMap<>();
        reference.forEach(m -> unmatched.merge(Identity.of(m), 1, Integer::sum));
        List<ModuleInfo> missing = new ArrayList<>();
        for (ModuleInfo module : list) {
            Identity identity = Identity.of(module);
            if (unmatched.getOrDefault(identity, 0) > 0) {
                unmatched.merge(identity, -1, Integer::sum);
            } else {
                missing.add(module);
            }
        }
        return missing;
    }
}
