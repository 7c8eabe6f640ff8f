package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.RunListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds a run at {@code phase} (the first time it is reached) until released, so a test can act on the cluster meanwhile. */
final class HoldAt implements RunListener {
    private final String phase;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    HoldAt(String phase) {
        this.phase = phase;
    }

    @Override
    public void phaseReached(String id, String at) {
        if (at.equals(phase) && reached.getCount() > 0) {
            reached.countDown();
            try {
                released.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the run reached the phase within two minutes. */
    boolean awaitReached() throws InterruptedException {
        return reached.await(120, TimeUnit.SECONDS);
    }

    void release() {
        released.countDown();
    }
}
