package io.vmiscope.overhead.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a chart twice, the same drawing: PNG for viewing, SVG for documents that scale. */
public final class ChartFiles {

    private ChartFiles() {
    }

    /**
     * Writes {@code name.png} and {@code name.svg} into {@code directory}.
     *
     * @return the two files written
     */
    public static List<Path> write(JFreeChart chart, Path directory, String name, int width, int height) {
        Path png = directory.resolve(name + ".png");
        Path svg = directory.resolve(name + ".svg");
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
            SVGGraphics2D graphics = new SVGGraphics2D(width, height);
            chart.draw(graphics, new Rectangle(0, 0, width, height));
            Files.writeString(svg, graphics.getSVGDocument());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + name + " into " + directory + ": " + e.getMessage(), e);
        }
        return List.of(png, svg);
    }
}
