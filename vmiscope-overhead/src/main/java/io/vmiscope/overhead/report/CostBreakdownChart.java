package io.vmiscope.overhead.report;

import io.vmiscope.overhead.model.ComparedCombination;
import io.vmiscope.overhead.model.Evaluation;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Map;

/**
 * Each combination's predicted slowdown split into its actions' shares (stacked horizontal bars,
 * shared stops split evenly between the actions hooking them), with the measured slowdown as a
 * marker: shows which action costs what, and where the model misses.
 */
public final class CostBreakdownChart {

    /** Height per combination, in pixels, for {@link #heightFor}. */
    private static final int PIXELS_PER_BAR = 22;

    private CostBreakdownChart() {
    }

    public static JFreeChart create(Evaluation evaluation) {
        List<ComparedCombination> rows = plotted(evaluation);
        boolean severalVcpuCounts = rows.stream().map(r -> r.measured().vcpus()).distinct().count() > 1;
        DefaultCategoryDataset shares = new DefaultCategoryDataset();
        DefaultCategoryDataset measured = new DefaultCategoryDataset();
        for (ComparedCombination row : rows) {
            String category = category(row, severalVcpuCounts);
            for (Map.Entry<String, Double> share : row.prediction().perAction().entrySet()) {
                shares.addValue(100 * share.getValue(), share.getKey(), category);
            }
            measured.addValue(100 * row.measured().measuredSlowdown(), "measured", category);
        }
        CategoryAxis categories = new CategoryAxis("workload: combination");
        categories.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        categories.setMaximumCategoryLabelWidthRatio(0.5f);
        StackedBarRenderer bars = new StackedBarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        CategoryPlot plot = new CategoryPlot(shares, categories, new NumberAxis("predicted slowdown (%), by action"), bars);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setDataset(1, measured);
        LineAndShapeRenderer marker = new LineAndShapeRenderer(false, true);
        marker.setSeriesPaint(0, Color.BLACK);
        plot.setRenderer(1, marker);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart("Predicted cost per action", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    /** A height that gives every combination's bar room. */
    public static int heightFor(Evaluation evaluation) {
        return 160 + PIXELS_PER_BAR * plotted(evaluation).size();
    }

    private static List<ComparedCombination> plotted(Evaluation evaluation) {
        return evaluation.rows().stream().filter(r -> Double.isFinite(r.prediction().slowdown())).toList();
    }

    private static String category(ComparedCombination row, boolean withVcpus) {
        String name = row.measured().workload() + ": " + row.measured().combination();
        int vcpus = row.measured().vcpus();
        return withVcpus ? name + " (" + vcpus + (vcpus == 1 ? " vCPU)" : " vCPUs)") : name;
    }
}
