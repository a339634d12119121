package io.vmiscope.overhead.report;

import io.vmiscope.overhead.model.ComparedCombination;
import io.vmiscope.overhead.model.ErrorFigures;
import io.vmiscope.overhead.model.Evaluation;
import io.vmiscope.overhead.model.ValidationGroup;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Predicted against measured slowdown, one point per combination and a colour per validation group,
 * with the line y = x and the ±15% band around it. Points outside the band are labelled with their
 * combination, and so are all validation points when there are at most {@value #LABELLED_VALIDATION_POINTS}
 * (more would hide each other). The axes are logarithmic when the slowdowns span more than a factor
 * of 20, linear otherwise; on logarithmic axes a slowdown under {@value #LOG_FLOOR_PERCENT}% (noise
 * around zero, even below it) is drawn at {@value #LOG_FLOOR_PERCENT}%.
 */
public final class PredictedVsMeasuredChart {

    private static final double LOG_SPAN = 20;
    private static final double LOG_FLOOR_PERCENT = 0.5;
    private static final int LABELLED_VALIDATION_POINTS = 40;

    private PredictedVsMeasuredChart() {
    }

    public static JFreeChart create(Evaluation evaluation) {
        XYSeriesCollection points = new XYSeriesCollection();
        List<List<String>> labels = new ArrayList<>();
        double largest = 0;
        for (ComparedCombination row : evaluation.rows()) {
            if (Double.isFinite(row.prediction().slowdown())) {
                largest = Math.max(largest, 100 * Math.max(row.measured().measuredSlowdown(), row.prediction().slowdown()));
            }
        }
        boolean logarithmic = largest / LOG_FLOOR_PERCENT > LOG_SPAN;
        double smallest = logarithmic ? LOG_FLOOR_PERCENT : 0;
        boolean labelValidation = evaluation.rows().stream()
                .filter(r -> r.group() != ValidationGroup.TRAINING).count() <= LABELLED_VALIDATION_POINTS;
        for (ValidationGroup group : ValidationGroup.values()) {
            List<ComparedCombination> rows = evaluation.rows(group).stream()
                    .filter(r -> Double.isFinite(r.prediction().slowdown()))
                    .toList();
            if (rows.isEmpty()) {
                continue;
            }
            XYSeries series = new XYSeries(seriesName(group, evaluation), false, true);
            List<String> seriesLabels = new ArrayList<>();
            for (ComparedCombination row : rows) {
                double measured = shown(100 * row.measured().measuredSlowdown(), logarithmic);
                double predicted = shown(100 * row.prediction().slowdown(), logarithmic);
                series.add(measured, predicted);
                boolean labelled = row.errorPercent() > ErrorFigures.BAND_PERCENT
                        || labelValidation && group != ValidationGroup.TRAINING;
                seriesLabels.add(labelled ? row.measured().combination() : null);
                smallest = Math.min(smallest, Math.min(measured, predicted));
            }
            points.addSeries(series);
            labels.add(seriesLabels);
        }
        double from = logarithmic ? smallest / 1.5 : Math.min(0, smallest);
        double to = logarithmic ? largest * 1.5 : Math.max(largest * 1.1, from + 1);

        XYPlot plot = new XYPlot();
        plot.setDomainAxis(axis("measured slowdown (%)", logarithmic, from, to));
        plot.setRangeAxis(axis("predicted slowdown (%)", logarithmic, from, to));
        plot.setDataset(0, points);
        XYLineAndShapeRenderer pointRenderer = new XYLineAndShapeRenderer(false, true);
        pointRenderer.setDefaultItemLabelGenerator((dataset, series, item) -> labels.get(series).get(item));
        pointRenderer.setDefaultItemLabelsVisible(true);
        pointRenderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        plot.setRenderer(0, pointRenderer);
        plot.setDataset(1, referenceLines(from, to));
        plot.setRenderer(1, referenceRenderer());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart("Predicted vs measured slowdown", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static double shown(double percent, boolean logarithmic) {
        return logarithmic ? Math.max(percent, LOG_FLOOR_PERCENT) : percent;
    }

    private static String seriesName(ValidationGroup group, Evaluation evaluation) {
        return group == ValidationGroup.HELD_OUT_WORKLOAD
                ? group.label() + " (" + evaluation.heldOutWorkload() + ")" : group.label();
    }

    private static ValueAxis axis(String label, boolean logarithmic, double from, double to) {
        ValueAxis axis;
        if (logarithmic) {
            LogAxis log = new LogAxis(label);
            log.setSmallestValue(from);
            log.setTickUnit(new NumberTickUnit(1));
            log.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            axis = log;
        } else {
            axis = new NumberAxis(label);
        }
        axis.setRange(from, to);
        return axis;
    }

    private static XYSeriesCollection referenceLines(double from, double to) {
        XYSeriesCollection lines = new XYSeriesCollection();
        double band = ErrorFigures.BAND_PERCENT / 100;
        String bandName = "±" + Math.round(ErrorFigures.BAND_PERCENT) + "%";
        lines.addSeries(line("y = x", 1, from, to));
        lines.addSeries(line(bandName, 1 + band, from, to));
        lines.addSeries(line(bandName + " (lower)", 1 - band, from, to));
        return lines;
    }

    private static XYSeries line(String name, double slope, double from, double to) {
        XYSeries series = new XYSeries(name);
        series.add(from, slope * from);
        series.add(to, slope * to);
        return series;
    }

    private static XYLineAndShapeRenderer referenceRenderer() {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{4f, 4f}, 0f);
        renderer.setSeriesPaint(0, Color.DARK_GRAY);
        renderer.setSeriesStroke(0, new BasicStroke(1f));
        renderer.setSeriesPaint(1, Color.GRAY);
        renderer.setSeriesStroke(1, dashed);
        renderer.setSeriesPaint(2, Color.GRAY);
        renderer.setSeriesStroke(2, dashed);
        renderer.setSeriesVisibleInLegend(2, false);
        return renderer;
    }
}
