package com.acme.shop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Busy threads that keep the cores loaded while a test runs, as a busy CI machine does: timing bugs
 * at the end of a run (a commit racing a close) showed up only then.
 */
public final class CpuLoad implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  private CpuLoad(int threadCount) {
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::spin, "cpu-load-" + i);
      t.setDaemon(true);
      t.setPriority(Thread.NORM_PRIORITY);
      threads.add(t);
      t.start();
    }
  }

  /** Starts {@code threads} busy threads; close to stop them. */
  public static CpuLoad start(int threads) {
    return new CpuLoad(threads);
  }

  private void spin() {
    long x = 0;
    while (running.get()) {
      x += System.nanoTime() % 7;
    }
    if (x == 42) {
      System.out.print(""); // keeps the loop from being optimised away
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
  }
}
