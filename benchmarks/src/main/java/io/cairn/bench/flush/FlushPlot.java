package io.cairn.bench.flush;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws runs as one PNG with three stacked panels sharing the time axis: commits per second, dirty
 * share, redo age. Plain Java2D, so the plot needs nothing but the JDK (run with
 * {@code -Djava.awt.headless=true} on a machine without a display).
 */
final class FlushPlot {

    private static final int WIDTH_PX = 1400;
    private static final int PANEL_HEIGHT_PX = 290;
    private static final int PANEL_GAP_PX = 46;
    private static final int LEFT_PX = 90;
    private static final int RIGHT_PX = 30;
    /** Room for the title, two settings lines and two legend lines. */
    private static final int TOP_PX = 140;
    private static final int BOTTOM_PX = 56;
    private static final int MOVING_AVERAGE_SECONDS = 10;
    private static final Color[] RUN_COLORS = {new Color(31, 119, 180), new Color(230, 110, 0), new Color(44, 160, 44),
            new Color(148, 103, 189)};
    private static final Color GRID = new Color(225, 225, 225);
    private static final Color LIMIT = new Color(90, 90, 90);

    private FlushPlot() {
    }

    private record Panel(String title, String unit, ToDoubleFunction<SecondSample> value, boolean percent,
            boolean smoothed, boolean redoAge) {
    }

    static void write(List<RunRecord> runs, Path png) throws IOException {
        List<Panel> panels = List.of(
                new Panel("Throughput", "commits/s", SecondSample::commitsPerSecond, false, true, false),
                new Panel("Dirty pages", "% of pool", SecondSample::dirtyPct, true, false, false),
                new Panel("Redo age (checkpoint age, highest status poll in each second)", "% of redo capacity",
                        SecondSample::checkpointAgeMaxPct, true, false, true));
        int height = TOP_PX + panels.size() * PANEL_HEIGHT_PX + (panels.size() - 1) * PANEL_GAP_PX + BOTTOM_PX;
        BufferedImage image = new BufferedImage(WIDTH_PX, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH_PX, height);
            header(g, runs);
            int seconds = runs.stream().mapToInt(r -> r.measured().size()).max().orElse(1);
            for (int i = 0; i < panels.size(); i++) {
                int top = TOP_PX + i * (PANEL_HEIGHT_PX + PANEL_GAP_PX);
                panel(g, panels.get(i), runs, seconds, top, i == panels.size() - 1);
            }
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static void header(Graphics2D g, List<RunRecord> runs) {
        RunRecord first = runs.get(0);
        var m = first.meta();
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("Flush policies under a sustained update load", LEFT_PX, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(String.format(Locale.ROOT, "%d MiB buffer pool, %d MiB tablespace, %d MiB redo; %s writers (%s),"
                        + " each mini-transaction changes %s pages x %s bytes, %s%% of page picks on %s hot pages",
                first.longMeta("pool_bytes") >> 20, first.longMeta("space_bytes") >> 20,
                first.longMeta("redo_capacity_bytes") >> 20, m.get("threads"),
                m.get("rate_commits_per_s").equals("unthrottled") ? "unthrottled"
                        : "target " + m.get("rate_commits_per_s") + " commits/s",
                m.get("pages_per_mtr"), m.get("bytes_per_page"), m.get("hot_access_pct"), m.get("hot_pages")),
                LEFT_PX, 46);
        g.drawString(String.format(Locale.ROOT, "durability %s, doublewrite %s, %s backend, engine ioCapacity/ioCapacityMax"
                        + " %s pages/s; data in %s", m.get("durability"), m.get("doublewrite"), m.get("backend"),
                m.get("io_capacity"), m.get("dir")), LEFT_PX, 64);
        int x = LEFT_PX;
        for (int r = 0; r < runs.size(); r++) {
            RunRecord run = runs.get(r);
            long blocked = run.measured().stream().filter(SecondSample::blocked).count();
            String label = String.format(Locale.ROOT, "%s (%s), started %s; seconds with writers blocked: %d",
                    run.policy(), shortSettings(run), run.meta().get("started").replace('T', ' '), blocked);
            int y = 86 + r * 18;
            g.setColor(RUN_COLORS[r % RUN_COLORS.length]);
            g.fillRect(x, y - 6, 24, 4);
            g.setColor(Color.BLACK);
            g.drawString(label, x + 32, y);
        }
    }

    /** The policy's settings in a few words; the CSV and the Markdown carry the full description. */
    private static String shortSettings(RunRecord run) {
        String settings = run.meta().getOrDefault("policy_settings", "");
        if (run.policy().equals("adaptive")) {
            return settings.contains("from the engine") ? "InnoDB 8.0 settings, engine's ioCapacity" : settings;
        }
        return settings.startsWith(run.policy() + ": ") ? settings.substring(run.policy().length() + 2) : settings;
    }

    private static void panel(Graphics2D g, Panel panel, List<RunRecord> runs, int seconds, int top, boolean last) {
        int left = LEFT_PX;
        int right = WIDTH_PX - RIGHT_PX;
        int bottom = top + PANEL_HEIGHT_PX;
        double yMax = panel.percent() ? 100 : niceCeiling(runs.stream().flatMap(r -> r.measured().stream())
                .mapToDouble(panel.value()).max().orElse(1) * 1.05);
        double yStep = niceStep(yMax / 5);
        double xStep = niceStep(seconds / 10.0);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double y = 0; y <= yMax + 1e-9; y += yStep) {
            int py = yPx(y, yMax, top, bottom);
            g.setColor(GRID);
            g.drawLine(left, py, right, py);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,.0f", y);
            g.drawString(label, left - 8 - fm.stringWidth(label), py + 4);
        }
        for (double x = 0; x <= seconds + 1e-9; x += xStep) {
            int px = xPx(x, seconds, left, right);
            g.setColor(GRID);
            g.drawLine(px, top, px, bottom);
            if (last) {
                g.setColor(Color.DARK_GRAY);
                String label = String.format(Locale.ROOT, "%.0f", x);
                g.drawString(label, px - fm.stringWidth(label) / 2, bottom + 16);
            }
        }
        if (last) {
            g.setColor(Color.BLACK);
            String axis = "seconds since the end of the warm-up";
            g.drawString(axis, (left + right - fm.stringWidth(axis)) / 2, bottom + 36);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(panel.title(), left, top - 8);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(panel.unit(), -(top + bottom) / 2 - rotated.getFontMetrics().stringWidth(panel.unit()) / 2, 22);
        rotated.dispose();

        if (panel.redoAge()) {
            redoLimits(g, RedoLimits.of(runs.get(0)), yMax, left, right, top, bottom);
        }
        for (int r = 0; r < runs.size(); r++) {
            Color color = RUN_COLORS[r % RUN_COLORS.length];
            List<SecondSample> samples = runs.get(r).measured();
            double[] values = samples.stream().mapToDouble(panel.value()).toArray();
            if (panel.smoothed()) {
                line(g, values, seconds, yMax, left, right, top, bottom,
                        new Color(color.getRed(), color.getGreen(), color.getBlue(), 70), new BasicStroke(1f));
                line(g, movingAverage(values, MOVING_AVERAGE_SECONDS), seconds, yMax, left, right, top, bottom, color,
                        new BasicStroke(2.2f));
            } else {
                line(g, values, seconds, yMax, left, right, top, bottom, color, new BasicStroke(1.8f));
            }
            if (panel.redoAge()) {
                blockedMarks(g, samples, r, color, seconds, left, right, top);
            }
        }
        if (panel.smoothed()) {
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
            g.setColor(Color.DARK_GRAY);
            String note = "pale: per second; solid: " + MOVING_AVERAGE_SECONDS + " s moving average";
            g.drawString(note, right - g.getFontMetrics().stringWidth(note), top - 8);
        }
    }

    private static void redoLimits(Graphics2D g, RedoLimits limits, double yMax, int left, int right, int top,
            int bottom) {
        Stroke dashed = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        String[] names = {"ADAPTIVE", "SYNC_FLUSH", "writers block"};
        long[] ages = {limits.adaptiveAgeBytes(), limits.syncFlushAgeBytes(), limits.freeCheckLimitBytes()};
        for (int i = 0; i < names.length; i++) {
            double pct = limits.pct(ages[i]);
            int py = yPx(pct, yMax, top, bottom);
            g.setColor(i == 2 ? new Color(200, 30, 30) : LIMIT);
            g.setStroke(dashed);
            g.drawLine(left, py, right, py);
            String label = String.format(Locale.ROOT, "%s %.1f%%", names[i], pct);
            // Stacked from the top edge: the three lines lie a few percent apart.
            int labelY = i == 0 ? py + 14 : py - 3;
            g.drawString(label, left + 6 + i * 150, labelY);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void blockedMarks(Graphics2D g, List<SecondSample> samples, int run, Color color, int seconds,
            int left, int right, int top) {
        g.setColor(color);
        for (SecondSample s : samples) {
            if (s.blocked()) {
                int px = xPx(s.second() + 0.5, seconds, left, right);
                int py = top + 4 + run * 8;
                g.fillPolygon(new int[] {px - 4, px + 4, px}, new int[] {py, py, py + 7}, 3);
            }
        }
    }

    private static void line(Graphics2D g, double[] values, int seconds, double yMax, int left, int right, int top,
            int bottom, Color color, Stroke stroke) {
        if (values.length == 0) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < values.length; i++) {
            // A second's value is drawn at its middle: second 0 covers [0, 1).
            double x = left + (i + 0.5) * (right - left) / (double) seconds;
            double y = bottom - Math.min(values[i], yMax) / yMax * (bottom - top);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        g.setColor(color);
        g.setStroke(stroke);
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
    }

    private static double[] movingAverage(double[] values, int window) {
        double[] result = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
            if (i >= window) {
                sum -= values[i - window];
            }
            result[i] = sum / Math.min(i + 1, window);
        }
        return result;
    }

    private static int xPx(double second, int seconds, int left, int right) {
        return (int) Math.round(left + second * (right - left) / seconds);
    }

    private static int yPx(double value, double yMax, int top, int bottom) {
        return (int) Math.round(bottom - value / yMax * (bottom - top));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double niceCeiling(double value) {
        double step = niceStep(value / 5);
        return Math.max(step, Math.ceil(value / step) * step);
    }
}
