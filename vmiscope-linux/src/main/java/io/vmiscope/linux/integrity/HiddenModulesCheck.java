package io.vmiscope.linux.integrity;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.linux.walk.WalkResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code hidden-modules}: the module list ({@code modules}, what {@code lsmod} and /proc/modules show) against
 * the kobjects of {@code module_kset} (what /sys/module shows): every loaded module registers one, a
 * {@code struct module_kobject} whose {@code mod} points back at it (built-in modules' kobjects have none and
 * are left out). A live module in one view only is reported by name, with where each view saw it.
 *
 * <p>Cost in round trips: one per module and one per kobject (list steps), then two batches.
 */
public final class HiddenModulesCheck implements IntegrityCheck {

    public static final String ID = "hidden-modules";
    static final String MODULE_LIST = "module list (modules)";
    static final String SYSFS = "sysfs kobjects (module_kset)";
    /** {@code MODULE_STATE_LIVE}: only live modules are compared (loading and unloading ones move between views). */
    private static final int MODULE_STATE_LIVE = 0;

    private final KernelAccess kernel;
    private final KernelWords words;
    private final long modulesHead;
    private final long moduleList;
    private final long ksetPointer;
    private final long ksetList;
    private final long kobjectEntry;
    private final long mkobjMod;
    private final long state;
    private final StringField name;
    private final ReadPlan modulePlan;

    /** @throws ProfileException when the profile lacks a symbol or member a view needs */
    public HiddenModulesCheck(KernelAccess kernel) {
        this.kernel = kernel;
        this.words = kernel.words();
        var profile = kernel.profile();
        StructLayout module = profile.struct("module");
        this.modulesHead = kernel.address("modules");
        this.moduleList = module.offsetOf("list");
        this.ksetPointer = kernel.address("module_kset");
        this.ksetList = profile.offset("kset", "list");
        this.kobjectEntry = profile.offset("kobject", "entry");
        this.mkobjMod = profile.offset("module_kobject", "mod") - profile.offset("module_kobject", "kobj");
        this.state = module.offsetOf("state");
        this.name = StringField.of(module, "name", kernel.limits());
        this.modulePlan = name.addTo(ReadPlan.builder(kernel.maxReadBytes()).field(state, 4)).build();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckOutcome run() {
        int bits = kernel.addressBits();
        List<Anomaly> anomalies = new ArrayList<>();
        WalkResult<Long> list = KernelList.walk(words, modulesHead, moduleList, kernel.limits(), bits, MODULE_LIST);
        anomalies.addAll(list.anomalies());
        Map<Long, Long> kobjectOf = sysfsModules(anomalies, bits);
        Set<Long> all = new LinkedHashSet<>(list.items());
        all.addAll(kobjectOf.keySet());
        List<IntegrityFinding> findings = new ArrayList<>();
        Set<Long> onList = new java.util.HashSet<>(list.items());
        for (long module : all) {
            boolean listed = onList.contains(module);
            boolean inSysfs = kobjectOf.containsKey(module);
            if (listed && inSysfs || (!listed && list.truncated())) {
                continue;
            }
            String moduleName;
            try {
                ReadPlan.Block b = modulePlan.read(kernel.memory(), Gva.of(module));
                if (b.u32(state) != MODULE_STATE_LIVE) {
                    continue;
                }
                moduleName = name.read(b);
            } catch (GuestAccessException e) {
                anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, "module " + Gva.of(module), e.getMessage()));
                continue;
            }
            Map<String, String> views = new LinkedHashMap<>();
            views.put(MODULE_LIST, listed ? "listed at " + Gva.of(module) : "absent");
            views.put(SYSFS, inSysfs ? "kobject " + Gva.of(kobjectOf.get(module)) + " → module " + Gva.of(module)
                    : "absent");
            findings.add(new IntegrityFinding(ID, "module " + moduleName, -1, "", "live module " + moduleName + " is "
                    + (listed ? "listed but has no sysfs kobject" : "in sysfs but missing from the module list"),
                    views, List.of("T1014", "T1547.006")));
        }
        return new CheckOutcome(ID, findings, 2, anomalies);
    }

    /** Module → its kobject, for every kobject of module_kset that belongs to a loaded module. */
    private Map<Long, Long> sysfsModules(List<Anomaly> anomalies, int bits) {
        Map<Long, Long> out = new LinkedHashMap<>();
        var kset = words.word(ksetPointer);
        if (kset.isEmpty() || !KernelPointers.isPlausible(kset.getAsLong(), bits, 8)) {
            anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, SYSFS, "module_kset unreadable or implausible"));
            return out;
        }
        WalkResult<Long> kobjects = KernelList.walk(words, kset.getAsLong() + ksetList, kobjectEntry, kernel.limits(),
                bits, SYSFS);
        anomalies.addAll(kobjects.anomalies());
        List<Long> mods = kobjects.items().stream().map(k -> k + mkobjMod).toList();
        long[][] rows = words.read(mods, 1);
        for (int i = 0; i < rows.length; i++) {
            long kobject = kobjects.items().get(i);
            if (rows[i] == null) {
                anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, SYSFS, "kobject " + Gva.of(kobject)));
            } else if (rows[i][0] != 0) {
                if (KernelPointers.isPlausible(rows[i][0], bits, 8)) {
                    out.putIfAbsent(rows[i][0], kobject);
                } else {
                    anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, SYSFS, "kobject " + Gva.of(kobject)
                            + " names module " + Gva.of(rows[i][0])));
                }
            }
        }
        return out;
    }
}
