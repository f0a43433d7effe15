package com.idynic.eventbus.cli;

/** One line of progress for a long job: {@code [#####.....]  50%  500/1000  eta 5s  running}. */
final class ProgressBar {
    private final int width;

    ProgressBar(int width) {
        this.width = width;
    }

    /**
     * @param done units finished
     * @param total units in all; 0 when the job has nothing to do
     * @param etaSeconds the bus's estimate, negative when it has none
     * @param state the job's state, shown last
     */
    String render(long done, long total, long etaSeconds, String state) {
        int percent =
                total <= 0 ? ("running".equals(state) ? 0 : 100) : (int) Math.min(100, Math.max(0, done * 100 / total));
        int filled = percent * width / 100;
        StringBuilder b = new StringBuilder("[");
        b.append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
        b.append(String.format("%3d%%", percent))
                .append("  ")
                .append(done)
                .append('/')
                .append(total);
        if ("running".equals(state) && etaSeconds >= 0) {
            b.append("  eta ").append(duration(etaSeconds));
        }
        return b.append("  ").append(state).toString();
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
        }
        return seconds / 3600 + "h" + String.format("%02d", seconds % 3600 / 60) + "m";
    }
}
