package io.vmiscope.gdb;

import io.vmiscope.api.TransportException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The registers a GDB stub describes in its target description XML ({@code target.xml} and the files
 * it includes with {@code <xi:include href="…"/>}), in document order. A register's number is its
 * {@code regnum} attribute, or the previous register's number plus one (GDB manual, "Target
 * Descriptions": the {@code reg} element). Immutable and thread-safe.
 */
public final class TargetDescription {

    /**
     * One register.
     *
     * @param name    as the stub spells it ({@code rip}, {@code cr3}, {@code k_gs_base})
     * @param number  the number used in {@code p} packets and the position in {@code g} replies
     * @param bitSize the width in bits
     */
    public record Register(String name, int number, int bitSize) {
        /** Width in bytes in {@code p} and {@code g} replies. */
        public int sizeBytes() {
            return (bitSize + 7) / 8;
        }
    }

    private static final int MAX_FILES = 32;

    private final String architecture;
    private final List<Register> registers;
    private final Map<String, Register> byName;

    private TargetDescription(String architecture, List<Register> registers) {
        this.architecture = architecture;
        List<Register> sorted = new ArrayList<>(registers);
        sorted.sort((a, b) -> Integer.compare(a.number(), b.number()));
        this.registers = Collections.unmodifiableList(sorted);
        Map<String, Register> names = new LinkedHashMap<>();
        for (Register register : sorted) {
            names.putIfAbsent(register.name(), register);
        }
        this.byName = Collections.unmodifiableMap(names);
    }

    /**
     * Reads {@code target.xml} and every file it includes through {@code fetch} (annex name → XML
     * text).
     *
     * @throws TransportException when a file is not well-formed XML or includes are nested too deeply
     */
    static TargetDescription parse(UnaryOperator<String> fetch) {
        Parser parser = new Parser(fetch);
        parser.file("target.xml");
        return new TargetDescription(parser.architecture, parser.registers);
    }

    /** The {@code <architecture>} text, e.g. {@code i386:x86-64}; empty when absent. */
    public String architecture() {
        return architecture;
    }

    /** All registers, ordered by number. */
    public List<Register> registers() {
        return registers;
    }

    public Optional<Register> register(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    private static final class Parser {
        private final UnaryOperator<String> fetch;
        private final DocumentBuilder builder;
        private final List<Register> registers = new ArrayList<>();
        private String architecture = "";
        private int nextNumber;
        private int files;

        Parser(UnaryOperator<String> fetch) {
            this.fetch = fetch;
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
                factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
                factory.setXIncludeAware(false);
                factory.setExpandEntityReferences(false);
                builder = factory.newDocumentBuilder();
                builder.setErrorHandler(null);
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
            }
        }

        void file(String annex) {
            if (++files > MAX_FILES) {
                throw new TransportException("target description includes more than " + MAX_FILES + " files");
            }
            Document document;
            try {
                document = builder.parse(new InputSource(new StringReader(fetch.apply(annex))));
            } catch (SAXException | IOException e) {
                throw new TransportException("target description " + annex + " is not well-formed XML: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
            walk(document.getDocumentElement());
        }

        private void walk(Element element) {
            switch (element.getTagName()) {
                case "architecture" -> architecture = element.getTextContent().trim();
                case "xi:include", "include" -> file(element.getAttribute("href"));
                case "reg" -> register(element);
                default -> {
                    for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
                        if (child instanceof Element childElement) {
                            walk(childElement);
                        }
                    }
                }
            }
        }

        private void register(Element reg) {
            try {
                String regnum = reg.getAttribute("regnum");
                int number = regnum.isEmpty() ? nextNumber : Integer.parseInt(regnum.trim());
                int bitSize = Integer.parseInt(reg.getAttribute("bitsize").trim());
                if (bitSize <= 0 || bitSize > 4096 || number < 0) {
                    throw new NumberFormatException("out of range");
                }
                registers.add(new Register(reg.getAttribute("name"), number, bitSize));
                nextNumber = number + 1;
            } catch (NumberFormatException e) {
                throw new TransportException("target description has a malformed register "
                        + reg.getAttribute("name") + ": " + e.getMessage());
            }
        }
    }
}
