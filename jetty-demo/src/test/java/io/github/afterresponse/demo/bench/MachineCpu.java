package io.github.afterresponse.demo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the whole machine spent busy (all processes, all CPUs), from {@code /proc/stat}: with
 * this JVM's own CPU beside it, it says whether the CPUs were saturated, and by whom.
 */
public final class MachineCpu {

    /** Clock ticks per second of {@code /proc/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    private MachineCpu() {
    }

    /** Busy CPU seconds since boot (user, nice, system, irq, softirq, steal), or -1 without /proc/stat. */
    public static double busySeconds() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
