package io.vmiscope.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class GraceTest {

    @Test
    void endsAsSoonAsTheOwnerIsDone() {
        AtomicInteger polls = new AtomicInteger();
        long t0 = System.nanoTime();
        Grace.await(() -> polls.incrementAndGet() >= 3, Duration.ofSeconds(10));
        assertThat(polls.get()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void endsWhenTheGraceIsOver_evenIfTheOwnerNeverIsDone() {
        long t0 = System.nanoTime();
        Grace.await(() -> false, Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    @Test
    void anInterruptEndsTheWaitAtOnce_andKeepsTheFlag() {
        Thread.currentThread().interrupt();
        long t0 = System.nanoTime();
        Grace.await(() -> false, Duration.ofSeconds(10));
        assertThat(Thread.interrupted()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
}
