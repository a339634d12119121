package io.vmiscope.linux.integrity.kernel;

/**
 * Why the running kernel's text may legitimately differ from its image: the kinds of run-time
 * patching x86-64 Linux does, each recorded in a table of the image that names the patched sites.
 */
public enum PatchClass {
    /** {@code .altinstructions}: CPU-feature alternatives ({@code apply_alternatives}). */
    ALTERNATIVE("alternatives"),
    /** {@code .parainstructions}: paravirt call sites ({@code apply_paravirt}). */
    PARAVIRT("paravirt"),
    /** {@code .retpoline_sites}: indirect-thunk calls and jumps ({@code apply_retpolines}). */
    RETPOLINE("retpolines"),
    /** {@code .return_sites}: {@code jmp __x86_return_thunk} ({@code apply_returns}). */
    RETURN_THUNK("return thunks"),
    /** {@code .smp_locks}: {@code lock} prefixes, dropped on a uniprocessor. */
    SMP_LOCK("smp locks"),
    /** {@code __jump_table}: static keys (jump labels), a jump or a NOP. */
    JUMP_LABEL("jump labels"),
    /** {@code __mcount_loc}: {@code call __fentry__} sites that ftrace turns into NOPs. */
    FTRACE("ftrace"),
    /** {@code static_call_sites} and the {@code __SCT__*} trampolines: static calls. */
    STATIC_CALL("static calls"),
    /** The words KASLR relocates: compared after the same relocation, not masked. */
    RELOCATION("relocations");

    private final String label;

    PatchClass(String label) {
        this.label = label;
    }

    /** A short plural label for reports, e.g. {@code "jump labels"}. */
    public String label() {
        return label;
    }
}
