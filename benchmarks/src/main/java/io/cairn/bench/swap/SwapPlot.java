package io.cairn.bench.swap;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Two panels over the run's seconds: operations per second, and the p99.9 and longest operation
 * of each second, with a line where each swap happened. Plain Java2D (run headless).
 */
final class SwapPlot {

    private static final int WIDTH_PX = 1200;
    private static final int PANEL_PX = 260;
    private static final int LEFT_PX = 80;
    private static final int RIGHT_PX = 20;
    private static final int TOP_PX = 60;
    private static final int GAP_PX = 50;
    private static final Color GRID = new Color(225, 225, 225);
    private static final Color SWAP = new Color(200, 40, 40);

    private SwapPlot() {
    }

    static void write(SwapReport report, Path png) throws IOException {
        int height = TOP_PX + 2 * PANEL_PX + GAP_PX + 50;
        BufferedImage image = new BufferedImage(WIDTH_PX, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH_PX, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(String.format(Locale.ROOT, "Swaps under load: %d threads, %d MiB of data in a %d MiB pool,"
                + " fdatasync %.2f ms", report.threads, report.dataBytes >> 20, report.poolBytes >> 20, report.fsyncMillis),
                LEFT_PX, 30);
        List<SwapReport.Second> seconds = report.perSecond;
        panel(g, report, seconds, TOP_PX, "operations per second", s -> s.operations(), null, new Color(31, 119, 180));
        panel(g, report, seconds, TOP_PX + PANEL_PX + GAP_PX, "latency per second (ms): p99.9 (blue), max (orange)",
                SwapReport.Second::p999Millis, SwapReport.Second::maxMillis, new Color(31, 119, 180));
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void panel(Graphics2D g, SwapReport report, List<SwapReport.Second> seconds, int top, String title,
            ToDoubleFunction<SwapReport.Second> first, ToDoubleFunction<SwapReport.Second> second, Color color) {
        int width = WIDTH_PX - LEFT_PX - RIGHT_PX;
        double max = 0;
        for (SwapReport.Second s : seconds) {
            max = Math.max(max, first.applyAsDouble(s));
            if (second != null) {
                max = Math.max(max, second.applyAsDouble(s));
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 4; i++) {
            int y = top + PANEL_PX - i * PANEL_PX / 4;
            g.setColor(GRID);
            g.drawLine(LEFT_PX, y, LEFT_PX + width, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, max >= 100 ? "%.0f" : "%.1f", max * i / 4), 8, y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT_PX, top - 8);
        g.drawRect(LEFT_PX, top, width, PANEL_PX);
        for (int s = 0; s <= report.seconds; s += 10) {
            int x = LEFT_PX + (int) ((long) width * s / report.seconds);
            g.drawString(s + " s", x - 8, top + PANEL_PX + 16);
        }
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {5, 4}, 0));
        g.setColor(SWAP);
        for (SwapPauseMain.Swap swap : report.swaps) {
            int x = LEFT_PX + (int) (width * (swap.startNanos() / 1e9) / report.seconds);
            g.drawLine(x, top, x, top + PANEL_PX);
            g.drawString(swap.label(), x + 3, top + 14);
        }
        g.setStroke(new BasicStroke(2f));
        series(g, seconds, first, color, top, width, max, report.seconds);
        if (second != null) {
            series(g, seconds, second, new Color(230, 110, 0), top, width, max, report.seconds);
        }
    }

    private static void series(Graphics2D g, List<SwapReport.Second> seconds, ToDoubleFunction<SwapReport.Second> value,
            Color color, int top, int width, double max, int totalSeconds) {
        g.setColor(color);
        int px = -1;
        int py = -1;
        for (SwapReport.Second s : seconds) {
            int x = LEFT_PX + (int) (width * (s.second() + 0.5) / totalSeconds);
            int y = top + PANEL_PX - (int) (PANEL_PX * value.applyAsDouble(s) / max);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
    }
}
