package io.vmiscope.linux.btf;

/**
 * The kinds of BTF type records, with their on-disk codes (Documentation/bpf/btf.rst §2.2, "BTF_KIND_*").
 * {@link #VOID} is the implicit type id 0 and never appears in the type section.
 */
public enum BtfKind {
    VOID(0), INT(1), PTR(2), ARRAY(3), STRUCT(4), UNION(5), ENUM(6), FWD(7), TYPEDEF(8), VOLATILE(9),
    CONST(10), RESTRICT(11), FUNC(12), FUNC_PROTO(13), VAR(14), DATASEC(15), FLOAT(16), DECL_TAG(17),
    TYPE_TAG(18), ENUM64(19);

    private static final BtfKind[] BY_CODE = values();

    private final int code;

    BtfKind(int code) {
        this.code = code;
    }

    /** The {@code BTF_KIND_*} number stored in bits 24-28 of {@code btf_type.info}. */
    public int code() {
        return code;
    }

    /** The kind with this code, or {@code null} when the code is not a known kind (or is 0). */
    static BtfKind ofCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Kinds that only qualify or rename another type: followed when naming and sizing a member. */
    boolean isModifier() {
        return this == TYPEDEF || this == VOLATILE || this == CONST || this == RESTRICT || this == TYPE_TAG;
    }

    boolean isComposite() {
        return this == STRUCT || this == UNION;
    }
}
