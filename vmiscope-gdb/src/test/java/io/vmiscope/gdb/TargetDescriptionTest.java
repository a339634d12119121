package io.vmiscope.gdb;

import io.vmiscope.api.TransportException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetDescriptionTest {

    @Test
    void parse_numbersRegistersInDocumentOrderAcrossIncludes_honouringRegnum() {
        Map<String, String> files = Map.of(
                "target.xml", FakeStub.TARGET_XML,
                "core.xml", FakeStub.CORE_XML.replace("<reg name=\"cr0\" bitsize=\"64\"/>",
                        "<reg name=\"cr0\" bitsize=\"64\" regnum=\"10\"/>"));

        TargetDescription target = TargetDescription.parse(files::get);

        assertThat(target.architecture()).isEqualTo("i386:x86-64");
        assertThat(target.registers()).extracting(TargetDescription.Register::name)
                .containsExactly("rax", "rbx", "st0", "rip", "cr0", "cr3");
        assertThat(target.register("rip")).contains(new TargetDescription.Register("rip", 3, 64));
        assertThat(target.register("st0").orElseThrow().sizeBytes()).isEqualTo(10);
        assertThat(target.register("cr3")).contains(new TargetDescription.Register("cr3", 11, 64));
        assertThat(target.register("xmm0")).isEmpty();
    }

    @Test
    void parse_neverFetchesTheDtd() {
        String withExternalEntity = "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"http://example.invalid/gdb-target.dtd\">"
                + "<target><reg name=\"pc\" bitsize=\"32\"/></target>";

        assertThat(TargetDescription.parse(annex -> withExternalEntity).registers()).hasSize(1);
    }

    @Test
    void parse_malformedXml_isATransportException() {
        assertThatThrownBy(() -> TargetDescription.parse(annex -> "<target><reg"))
                .isInstanceOf(TransportException.class)
                .hasMessageStartingWith("target description target.xml is not well-formed XML");
        assertThatThrownBy(() -> TargetDescription.parse(annex -> "<target><reg name=\"x\" bitsize=\"big\"/></target>"))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("malformed register x");
    }

    @Test
    void parse_includeCycle_stopsAtTheFileLimit() {
        assertThatThrownBy(() -> TargetDescription.parse(annex -> "<target><xi:include href=\"target.xml\"/></target>"))
                .isInstanceOf(TransportException.class)
                .hasMessage("target description includes more than 32 files");
    }
}
