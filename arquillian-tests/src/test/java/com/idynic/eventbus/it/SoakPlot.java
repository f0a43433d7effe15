package com.idynic.eventbus.it;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the soak samples as small multiples, one panel per series, time in minutes (no plotting library on the build
 * machine, so Java2D): the line is the series, the dashed red one its least-squares fit over the second half of the
 * load, the grey vertical line the end of the load.
 */
final class SoakPlot {
    private static final int W = 560;
    private static final int H = 240;
    private static final int LEFT = 70;
    private static final int TOP = 34;
    private static final int RIGHT = 16;
    private static final int BOTTOM = 40;

    /** One panel: a title, the y axis' label, one or more lines and their names (a legend when more than one). */
    record Panel(
            String title,
            String unit,
            List<ToDoubleFunction<SoakSampler.Sample>> lines,
            List<String> names,
            boolean fit) {}

    private SoakPlot() {}

    static void write(Path png, String title, List<SoakSampler.Sample> all, double loadEndSeconds) throws IOException {
        List<Panel> panels = new ArrayList<>();
        for (SoakVerdict.Series s : SoakVerdict.SERIES) {
            panels.add(new Panel(s.name(), unit(s.name()), List.of(s.value()), List.of(s.name()), true));
        }
        panels.add(new Panel(
                "throughput", "ev/s", rates(all), List.of("accepted", "webhook deliveries", "CDI calls"), false));
        panels.add(new Panel("refused_429 (total)", "publishes", List.of(s -> s.refused429()), List.of("429"), false));
        int cols = 2;
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * W, rows * H + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 12, 26);
        for (int i = 0; i < panels.size(); i++) {
            panel(g, panels.get(i), all, loadEndSeconds, (i % cols) * W, 40 + (i / cols) * H);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static String unit(String series) {
        return series.endsWith("_mb") ? "MB" : series.endsWith("_s") ? "s" : "rows";
    }

    /** Per-second rates between consecutive samples: accepted, webhook deliveries, CDI calls (-1 where unread). */
    private static List<ToDoubleFunction<SoakSampler.Sample>> rates(List<SoakSampler.Sample> all) {
        List<ToDoubleFunction<SoakSampler.Sample>> out = new ArrayList<>();
        for (ToDoubleFunction<SoakSampler.Sample> total : List.<ToDoubleFunction<SoakSampler.Sample>>of(
                SoakSampler.Sample::accepted, SoakSampler.Sample::delivered, SoakSampler.Sample::cdiDelivered)) {
            out.add(s -> {
                int i = all.indexOf(s);
                if (i <= 0) {
                    return 0;
                }
                SoakSampler.Sample p = all.get(i - 1);
                if (total.applyAsDouble(s) < 0 || total.applyAsDouble(p) < 0) {
                    return -1;
                }
                return (total.applyAsDouble(s) - total.applyAsDouble(p)) / (s.tSeconds() - p.tSeconds());
            });
        }
        return out;
    }

    private static void panel(Graphics2D g, Panel p, List<SoakSampler.Sample> all, double loadEnd, int x0, int y0) {
        Color[] colours = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e)};
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        double tMax = Math.max(1, all.get(all.size() - 1).tSeconds() / 60);
        double yMax = 0;
        double yMin = 0;
        for (ToDoubleFunction<SoakSampler.Sample> f : p.lines()) {
            for (SoakSampler.Sample s : all) {
                yMax = Math.max(yMax, f.applyAsDouble(s));
            }
        }
        double step = niceStep((yMax - yMin) / 4);
        yMax = Math.max(step, Math.ceil(yMax / step) * step);
        yMin = Math.floor(yMin / step) * step;
        double tStep = niceStep(tMax / 6);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.BLACK);
        g.drawString(p.title(), x0 + LEFT, y0 + 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int bx = x0 + LEFT;
        int by = y0 + TOP;
        for (double y = yMin; y <= yMax + step / 2; y += step) {
            int py = by + ph - (int) Math.round((y - yMin) / (yMax - yMin) * ph);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(bx, py, bx + pw, py);
            g.setColor(Color.DARK_GRAY);
            String label = fmt(y);
            g.drawString(label, bx - 6 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        for (double t = 0; t <= tMax + 1e-9; t += tStep) {
            int px = bx + (int) Math.round(t / tMax * pw);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(px, by, px, by + ph);
            g.setColor(Color.DARK_GRAY);
            String label = fmt(t);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, by + ph + 14);
        }
        g.drawString("time (min)", bx + pw / 2 - 25, by + ph + 30);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString(p.unit(), -(by + ph / 2 + 15), x0 + 14);
        r.dispose();
        g.setColor(Color.BLACK);
        g.drawRect(bx, by, pw, ph);
        int lx = bx + (int) Math.round(loadEnd / 60 / tMax * pw);
        g.setColor(Color.GRAY);
        g.drawLine(lx, by, lx, by + ph);
        final double lo = yMin;
        final double span = yMax - yMin;
        for (int i = 0; i < p.lines().size(); i++) {
            ToDoubleFunction<SoakSampler.Sample> f = p.lines().get(i);
            g.setColor(colours[i % colours.length]);
            g.setStroke(new BasicStroke(1.6f));
            int px = -1;
            int py = -1;
            for (SoakSampler.Sample s : all) {
                double v = f.applyAsDouble(s);
                if (v < 0) {
                    continue;
                }
                int x = bx + (int) Math.round(s.tSeconds() / 60 / tMax * pw);
                int y = by + ph - (int) Math.round((v - lo) / span * ph);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            if (p.lines().size() > 1) {
                g.fillRect(bx + 8, by + 8 + i * 14, 12, 3);
                g.drawString(p.names().get(i), bx + 24, by + 13 + i * 14);
            }
        }
        if (p.fit()) {
            fit(g, p.lines().get(0), all, loadEnd, bx, by, pw, ph, tMax, lo, span);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void fit(
            Graphics2D g,
            ToDoubleFunction<SoakSampler.Sample> f,
            List<SoakSampler.Sample> all,
            double loadEnd,
            int bx,
            int by,
            int pw,
            int ph,
            double tMax,
            double lo,
            double span) {
        List<SoakSampler.Sample> load = all.stream()
                .filter(s -> s.tSeconds() <= loadEnd && f.applyAsDouble(s) >= 0)
                .toList();
        if (load.size() < 4) {
            return;
        }
        List<SoakSampler.Sample> half = load.subList(load.size() / 2, load.size());
        double slope = SoakVerdict.slopePerMinute(half, f) / 60;
        double mt = half.stream()
                .mapToDouble(SoakSampler.Sample::tSeconds)
                .average()
                .orElse(0);
        double my = half.stream().mapToDouble(f).average().orElse(0);
        double t1 = half.get(0).tSeconds();
        double t2 = half.get(half.size() - 1).tSeconds();
        g.setColor(new Color(0xd62728));
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.drawLine(
                bx + (int) Math.round(t1 / 60 / tMax * pw),
                by + ph - (int) Math.round((my + slope * (t1 - mt) - lo) / span * ph),
                bx + (int) Math.round(t2 / 60 / tMax * pw),
                by + ph - (int) Math.round((my + slope * (t2 - mt) - lo) / span * ph));
        g.drawString(String.format(Locale.ROOT, "%+.3f/min", slope * 60), bx + pw - 90, by + 14);
    }

    private static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / mag;
        return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2g", v);
    }
}
