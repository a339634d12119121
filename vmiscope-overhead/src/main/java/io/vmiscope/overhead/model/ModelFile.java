package io.vmiscope.overhead.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fitted model as a small JSON file, so that {@code overhead predict} and {@code overhead report}
 * run later without refitting. The file holds the parameters, what they were fitted on and the fit's
 * error figures; times are in seconds.
 */
public final class ModelFile {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ModelFile() {
    }

    /** Writes {@code model} to {@code file}, replacing it. */
    public static void write(Path file, OverheadModel model) {
        try {
            Files.writeString(file, JSON.writeValueAsString(model) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException when the file is not a model file of {@link OverheadModel#FORMAT_VERSION}
     * @throws UncheckedIOException     when it cannot be read
     */
    public static OverheadModel read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        OverheadModel model;
        try {
            model = JSON.readValue(text, OverheadModel.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a model file: " + file + ": " + e.getOriginalMessage(), e);
        }
        if (model.formatVersion() != OverheadModel.FORMAT_VERSION) {
            throw new IllegalArgumentException("model file " + file + " has format " + model.formatVersion()
                    + ", this vmiscope reads " + OverheadModel.FORMAT_VERSION + ": fit the model again");
        }
        return model;
    }
}
