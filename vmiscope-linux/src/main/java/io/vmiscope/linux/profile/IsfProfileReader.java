package io.vmiscope.linux.profile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a Volatility 3 ISF ("intermediate symbol format") JSON file, as written by dwarf2json, into a
 * {@link KernelProfile}. Plain, gzip, xz and bzip2 files are accepted (recognised by content).
 *
 * <p>What is taken from the file:
 * <ul>
 *   <li>{@code symbols}: name → {@code address} (unslid link-time addresses; kallsyms type {@code '?'}).
 *       The banner is {@code linux_banner}'s base64 {@code constant_data}, up to its first NUL, without
 *       surrounding whitespace (as {@code KernelImage#banner()} gives it).</li>
 *   <li>{@code user_types}: every struct/union (and {@code class}) with its {@code size} and
 *       {@code fields}. Fields are ordered by offset. A bitfield's offset is {@code offset * 8 +
 *       bit_position} (Volatility reads the storage unit at {@code offset} and shifts right by
 *       {@code bit_position}). Anonymous members ({@code "anonymous": true}, named
 *       {@code unnamed_field_…}, typed as a struct/union named {@code unnamed_…}) are flattened into
 *       their container, and the {@code unnamed_…} types themselves are not exported.</li>
 *   <li>{@code base_types} and {@code enums}: only their sizes, to size members.</li>
 *   <li>{@code metadata}: the producer and {@code linux.symbols[].name} (the System.map or ELF the
 *       symbols came from), for {@link KernelProfile#source()}. ISF carries no build id.</li>
 * </ul>
 * Type names follow the BTF reader's style ({@code "struct list_head *"}, {@code "char[16]"}); ISF has
 * already resolved typedefs and qualifiers, and a function pointer reads {@code "function *"} because
 * ISF does not record the signature.
 *
 * <p>The file is hostile input: decompressed size, JSON nesting, string length, counts of symbols,
 * types and fields, and flattening depth are all bounded. Any violation, malformed JSON, or JSON that is
 * not ISF throws {@link ProfileException} with a one-line reason that starts with the file name.
 * Stateless and thread-safe.
 */
public final class IsfProfileReader {

    /** Most decompressed bytes read from one file. */
    public static final long MAX_CONTENT_BYTES = 4L << 30;
    public static final int MAX_SYMBOLS = 4_000_000;
    public static final int MAX_USER_TYPES = 1_000_000;
    public static final int MAX_FIELDS_PER_TYPE = 1 << 16;
    /** Deepest nesting of anonymous structs/unions flattened into one struct. */
    public static final int MAX_ANONYMOUS_NESTING = 32;
    /** Most members all structs together may have after flattening. */
    public static final int MAX_MEMBERS_TOTAL = 1 << 23;

    private static final int MAX_JSON_NESTING = 64;
    private static final int MAX_STRING_CHARS = 1 << 20;
    private static final String BANNER_SYMBOL = "linux_banner";
    private static final Pattern ANONYMOUS_TYPE = Pattern.compile("unnamed_[0-9a-fA-F]+");
    private static final String ANONYMOUS_FIELD_PREFIX = "unnamed_field_";
    private static final long DEFAULT_POINTER_BYTES = 8;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_JSON_NESTING)
                    .maxStringLength(MAX_STRING_CHARS)
                    .maxNameLength(MAX_STRING_CHARS)
                    .maxNumberLength(64)
                    .build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private IsfProfileReader() {
    }

    /**
     * Whether the file (after decompression) starts like a JSON object, i.e. should be read as ISF rather
     * than as a kernel image. Cheap: looks at the first bytes only.
     */
    public static boolean looksLikeIsf(Path file) {
        return CompressedInput.looksLikeJsonObject(file);
    }

    /**
     * Reads the file as a profile.
     *
     * @throws ProfileException when the file cannot be read, is not ISF, or breaks a limit
     */
    public static KernelProfile read(Path file) {
        String display = String.valueOf(file.getFileName());
        try (InputStream in = CompressedInput.open(file, MAX_CONTENT_BYTES);
             JsonParser parser = JSON.createParser(in)) {
            return new Parse(display, parser).run();
        } catch (CharConversionException e) {
            throw new ProfileException(display + ": not a Volatility ISF file (not UTF-8 text)", e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            String what = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
            throw new ProfileException(display + ": not a Volatility ISF file (invalid JSON" + where + ": "
                    + what + ")", e);
        } catch (IOException e) {
            throw new ProfileException(display + ": cannot read ISF file: " + e.getMessage(), e);
        }
    }

    /** A field's type descriptor; {@code subtype} for pointer, array and bitfield, else null. */
    private record TypeRef(String kind, String name, long count, TypeRef subtype, long bitPosition,
                           long bitLength) {
    }

    private record Field(String name, long offsetBytes, boolean anonymous, TypeRef type) {
        long startBits() {
            return offsetBytes * 8 + ("bitfield".equals(type.kind) ? type.bitPosition : 0);
        }
    }

    private record UserType(String kind, long sizeBytes, List<Field> fields) {
    }

    /** One parse of one file: collects the sections, then builds the profile. */
    private static final class Parse {
        private final String display;
        private final JsonParser parser;
        private final Map<String, KernelSymbol> symbols = new HashMap<>();
        private final Map<String, UserType> userTypes = new HashMap<>();
        private final Map<String, Long> baseSizes = new HashMap<>();
        private final Map<String, Long> enumSizes = new HashMap<>();
        private String provenance = "";
        private String banner = "";
        private boolean sawUserTypes;
        private int membersLeft = MAX_MEMBERS_TOTAL;

        Parse(String display, JsonParser parser) {
            this.display = display;
            this.parser = parser;
        }

        KernelProfile run() throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notIsf("top level is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String section = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (section) {
                    case "metadata" -> readMetadata(MAPPER.readTree(parser));
                    case "base_types" -> readSizes(expectObject(value, section), baseSizes);
                    case "enums" -> readSizes(expectObject(value, section), enumSizes);
                    case "user_types" -> readUserTypes(expectObject(value, section));
                    case "symbols" -> readSymbols(expectObject(value, section));
                    default -> parser.skipChildren();
                }
            }
            if (!sawUserTypes) {
                throw notIsf("no user_types");
            }
            return new KernelProfile(display + " (ISF" + provenance + ")", "", banner, symbols, structs());
        }

        /** Returns the section name once the parser is known to sit on the start of an object. */
        private String expectObject(JsonToken token, String section) {
            if (token != JsonToken.START_OBJECT) {
                throw notIsf(section + " is not a JSON object");
            }
            return section;
        }

        private void readMetadata(JsonNode metadata) {
            JsonNode producerNode = metadata.path("producer");
            String name = producerNode.path("name").asText("");
            String version = producerNode.path("version").asText("");
            if (!name.isEmpty()) {
                provenance = " by " + name + (version.isEmpty() ? "" : " " + version);
            }
            List<String> symbolSources = new ArrayList<>();
            for (JsonNode item : metadata.path("linux").path("symbols")) {
                String source = item.path("name").asText("");
                if (!source.isEmpty() && symbolSources.size() < 4) {
                    symbolSources.add(source);
                }
            }
            if (!symbolSources.isEmpty()) {
                provenance += " from " + String.join(", ", symbolSources);
            }
        }

        private void readSizes(String section, Map<String, Long> sizes) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                JsonNode node = MAPPER.readTree(parser);
                if (sizes.size() >= MAX_USER_TYPES) {
                    throw corrupt("more than " + MAX_USER_TYPES + " entries in " + section);
                }
                sizes.put(name, nonNegative(node.path("size"), section + " " + name + " size"));
            }
        }

        private void readUserTypes(String section) throws IOException {
            sawUserTypes = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                JsonNode node = MAPPER.readTree(parser);
                if (userTypes.size() >= MAX_USER_TYPES) {
                    throw corrupt("more than " + MAX_USER_TYPES + " entries in " + section);
                }
                userTypes.put(name, userType(name, node));
            }
        }

        private UserType userType(String name, JsonNode node) {
            String kind = node.path("kind").asText("struct");
            long size = nonNegative(node.path("size"), "size of " + name);
            JsonNode fieldsNode = node.path("fields");
            if (!fieldsNode.isObject()) {
                throw corrupt("user type " + name + " has no fields object");
            }
            if (fieldsNode.size() > MAX_FIELDS_PER_TYPE) {
                throw corrupt("user type " + name + " has more than " + MAX_FIELDS_PER_TYPE + " fields");
            }
            List<Field> fields = new ArrayList<>(fieldsNode.size());
            for (Map.Entry<String, JsonNode> e : fieldsNode.properties()) {
                JsonNode f = e.getValue();
                String where = name + "." + e.getKey();
                long offset = nonNegative(f.path("offset"), "offset of " + where);
                if (offset > size) {
                    throw corrupt("field " + where + " at offset " + offset + " lies beyond its type's size "
                            + size);
                }
                fields.add(new Field(e.getKey(), offset, f.path("anonymous").asBoolean(false),
                        typeRef(f.path("type"), where, 0)));
            }
            fields.sort(Comparator.comparingLong(Field::startBits));
            return new UserType(kind, size, fields);
        }

        private TypeRef typeRef(JsonNode node, String where, int depth) {
            if (!node.isObject() || depth > MAX_JSON_NESTING) {
                throw corrupt("field " + where + " has a malformed type descriptor");
            }
            String kind = node.path("kind").asText("");
            String name = node.path("name").asText("");
            return switch (kind) {
                case "base", "struct", "union", "class", "enum", "function" -> new TypeRef(kind, name, 0, null, 0, 0);
                case "pointer" -> new TypeRef(kind, "", 0, typeRef(node.path("subtype"), where, depth + 1), 0, 0);
                case "array" -> new TypeRef(kind, "", nonNegative(node.path("count"), "count of " + where),
                        typeRef(node.path("subtype"), where, depth + 1), 0, 0);
                case "bitfield" -> new TypeRef(kind, "", 0, typeRef(node.path("type"), where, depth + 1),
                        nonNegative(node.path("bit_position"), "bit_position of " + where),
                        nonNegative(node.path("bit_length"), "bit_length of " + where));
                default -> throw corrupt("field " + where + " has unknown type kind '" + kind + "'");
            };
        }

        private void readSymbols(String section) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw corrupt("symbol " + name + " is not a JSON object");
                }
                if (symbols.size() >= MAX_SYMBOLS) {
                    throw corrupt("more than " + MAX_SYMBOLS + " entries in " + section);
                }
                Long address = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (key.equals("address") && value == JsonToken.VALUE_NUMBER_INT) {
                        // Kernel addresses exceed Long.MAX_VALUE as unsigned JSON numbers: keep the bits.
                        address = parser.getBigIntegerValue().longValue();
                    } else if (key.equals("constant_data") && name.equals(BANNER_SYMBOL)
                            && value == JsonToken.VALUE_STRING) {
                        banner = bannerText(parser.getBinaryValue());
                    } else {
                        parser.skipChildren();
                    }
                }
                if (address == null) {
                    throw corrupt("symbol " + name + " has no integer address");
                }
                symbols.put(name, new KernelSymbol(name, address, '?'));
            }
        }

        private Map<String, StructLayout> structs() {
            Map<String, StructLayout> structs = new HashMap<>();
            for (Map.Entry<String, UserType> e : userTypes.entrySet()) {
                String name = e.getKey();
                if (ANONYMOUS_TYPE.matcher(name).matches()) {
                    continue;
                }
                List<StructMember> members = new ArrayList<>(e.getValue().fields().size());
                flatten(e.getValue(), name, 0, 0, members);
                structs.put(name, new StructLayout(name, e.getValue().sizeBytes(), members));
            }
            return structs;
        }

        private void flatten(UserType type, String outer, long baseBits, int nesting, List<StructMember> out) {
            for (Field field : type.fields()) {
                TypeRef t = field.type();
                long offsetBits = baseBits + field.startBits();
                if (--membersLeft < 0 || out.size() >= MAX_FIELDS_PER_TYPE) {
                    throw corrupt("struct " + outer + " has too many members after flattening");
                }
                boolean anonymous = field.anonymous() || field.name().startsWith(ANONYMOUS_FIELD_PREFIX);
                if (anonymous && isComposite(t)) {
                    UserType inner = userTypes.get(t.name());
                    if (inner == null) {
                        throw corrupt("anonymous member of " + outer + " refers to missing type " + t.name());
                    }
                    if (nesting >= MAX_ANONYMOUS_NESTING) {
                        throw corrupt("anonymous members of " + outer + " nested deeper than "
                                + MAX_ANONYMOUS_NESTING);
                    }
                    flatten(inner, outer, offsetBits, nesting + 1, out);
                } else if (!anonymous) {
                    boolean bitfield = t.kind().equals("bitfield");
                    long sizeBits = bitfield ? t.bitLength() : sizeBytes(t) * 8;
                    String typeName = typeName(bitfield ? t.subtype() : t);
                    out.add(new StructMember(field.name(), offsetBits, sizeBits, typeName));
                }
            }
        }

        private static boolean isComposite(TypeRef t) {
            return t.kind().equals("struct") || t.kind().equals("union") || t.kind().equals("class");
        }

        private String typeName(TypeRef t) {
            return switch (t.kind()) {
                case "base" -> t.name();
                case "struct", "class" -> "struct " + tag(t.name());
                case "union" -> "union " + tag(t.name());
                case "enum" -> "enum " + tag(t.name());
                case "function" -> "function";
                case "pointer" -> {
                    String target = typeName(t.subtype());
                    yield target.endsWith("*") ? target + "*" : target + " *";
                }
                case "array" -> {
                    StringBuilder dims = new StringBuilder();
                    TypeRef a = t;
                    while (a.kind().equals("array")) {
                        dims.append('[').append(a.count()).append(']');
                        a = a.subtype();
                    }
                    yield typeName(a) + dims;
                }
                default -> typeName(t.subtype());
            };
        }

        private static String tag(String name) {
            return ANONYMOUS_TYPE.matcher(name).matches() ? "{...}" : name;
        }

        private long sizeBytes(TypeRef t) {
            return switch (t.kind()) {
                case "base" -> baseSizes.getOrDefault(t.name(), 0L);
                case "struct", "class", "union" -> {
                    UserType u = userTypes.get(t.name());
                    yield u == null ? 0 : u.sizeBytes();
                }
                case "enum" -> enumSizes.getOrDefault(t.name(), 0L);
                case "pointer" -> baseSizes.getOrDefault("pointer", DEFAULT_POINTER_BYTES);
                case "array" -> {
                    long element = sizeBytes(t.subtype());
                    if (element != 0 && t.count() > Long.MAX_VALUE / 8 / element) {
                        throw corrupt("array size overflows");
                    }
                    yield t.count() * element;
                }
                default -> 0;
            };
        }

        private long nonNegative(JsonNode node, String what) {
            if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
                throw corrupt(what + " is not a non-negative integer");
            }
            return node.asLong();
        }

        private static String bannerText(byte[] data) {
            int end = 0;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            return new String(data, 0, end, StandardCharsets.UTF_8).strip();
        }

        private ProfileException notIsf(String reason) {
            return new ProfileException(display + ": not a Volatility ISF file (" + reason + ")");
        }

        private ProfileException corrupt(String reason) {
            return new ProfileException(display + ": corrupt ISF file: " + reason);
        }
    }
}
