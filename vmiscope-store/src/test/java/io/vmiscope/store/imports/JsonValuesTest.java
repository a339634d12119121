package io.vmiscope.store.imports;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonValuesTest {

    private final JsonValues json = new JsonValues(ImportLimits.DEFAULTS, false);

    @Test
    void everyObjectOnALine_isRead_withItsOwnTextAndColumn() {
        String line = " {\"a\":1}{\"b\":[2]}   {\"c\":\"}\"} ";

        List<JsonValues.Value> values = json.objects(line);

        assertThat(values).extracting(v -> v.text(line)).containsExactly("{\"a\":1}", "{\"b\":[2]}", "{\"c\":\"}\"}");
        assertThat(values).extracting(JsonValues.Value::column).containsExactly(2, 9, 21);
        assertThat(values.get(1).node().get("b").get(0).intValue()).isEqualTo(2);
    }

    @Test
    void trailingGarbage_failsTheWholeText_namingItsColumn() {
        assertThatThrownBy(() -> json.objects("{\"a\":1} garbage"))
                .isInstanceOf(RecordException.class)
                .hasMessageStartingWith("column 9: not JSON: Unrecognized token 'garbage'");
    }

    @Test
    void aTruncatedSecondObject_failsTheWholeText_atItsEnd() {
        assertThatThrownBy(() -> json.objects("{\"a\":1} {\"b\":"))
                .isInstanceOf(RecordException.class)
                .hasMessage("column 14: not JSON: Unexpected end-of-input within/between Object entries");
    }

    @Test
    void aValueThatIsNotAnObject_failsTheText() {
        assertThatThrownBy(() -> json.objects("{\"a\":1} [1]")).hasMessage("column 9: a list, not a JSON object");
        assertThatThrownBy(() -> json.objects("42")).hasMessage("column 1: a number, not a JSON object");
    }

    @Test
    void aListDocument_givesItsElements_withTheLineEachStartsOn() {
        String document = "[\n  {\"PID\": 1},\n  {\"PID\": 2}\n]";

        assertThat(json.elementsOfOneList(document)).extracting(JsonValues.Value::line).containsExactly(2, 3);
    }

    @Test
    void aListDocumentFollowedByAnything_fails_namingTheLineAndColumn() {
        assertThatThrownBy(() -> json.elementsOfOneList("[{\"PID\": 1}]\n[{\"PID\": 2}]"))
                .isInstanceOf(RecordException.class)
                .hasMessage("column 1: a list after the end of the list")
                .satisfies(e -> assertThat(((RecordException) e).lineInText()).isEqualTo(2));
        assertThatThrownBy(() -> json.elementsOfOneList("[]\n\n  trailing"))
                .satisfies(e -> assertThat(((RecordException) e).lineInText()).isEqualTo(3))
                .hasMessageStartingWith("column 3: not JSON: Unrecognized token 'trailing'");
        assertThatThrownBy(() -> json.elementsOfOneList("{\"PID\": 1}")).hasMessage("column 1: an object, not a list of rows");
    }
}
