package org.e2enet.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class MemoryAdmissionTest {
    private static final org.e2enet.core.window.WindowedPrediction.Checkpoint GO_ON = (done, total) -> { };

    @Test
    void casesAreAdmittedWhileTheyFitAndTheRestWaitInArrivalOrder() throws Exception {
        MemoryAdmission a = new MemoryAdmission(100);
        MemoryAdmission.Admitted first = a.admit(60, GO_ON);
        MemoryAdmission.Admitted small = a.admit(40, GO_ON);
        assertEquals(100, a.inUse());
        assertEquals(2, a.cases());
        CompletableFuture<MemoryAdmission.Admitted> big = CompletableFuture.supplyAsync(() -> a.admit(70, GO_ON));
        Thread.sleep(100);
        CompletableFuture<MemoryAdmission.Admitted> tiny = CompletableFuture.supplyAsync(() -> a.admit(10, GO_ON));
        assertThrows(TimeoutException.class, () -> big.get(200, TimeUnit.MILLISECONDS));
        small.close();
        // 40 are free, enough for the tiny case, but the big one came first
        assertThrows(TimeoutException.class, () -> tiny.get(200, TimeUnit.MILLISECONDS));
        first.close();
        big.get(10, TimeUnit.SECONDS);
        tiny.get(10, TimeUnit.SECONDS);
        assertEquals(80, a.inUse());
        assertEquals(2, a.cases());
    }

    @Test
    void aCaseLargerThanTheBudgetRunsAlone() throws Exception {
        MemoryAdmission a = new MemoryAdmission(100);
        MemoryAdmission.Admitted huge = a.admit(500, GO_ON);
        CompletableFuture<MemoryAdmission.Admitted> next = CompletableFuture.supplyAsync(() -> a.admit(1, GO_ON));
        assertThrows(TimeoutException.class, () -> next.get(200, TimeUnit.MILLISECONDS));
        huge.close();
        next.get(10, TimeUnit.SECONDS).close();
        assertEquals(0, a.inUse());
    }

    @Test
    void aCallerThatGivesUpWhileQueuedDoesNotBlockThoseBehindIt() throws Exception {
        MemoryAdmission a = new MemoryAdmission(100);
        MemoryAdmission.Admitted running = a.admit(100, GO_ON);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<MemoryAdmission.Admitted> quitter = CompletableFuture.supplyAsync(() -> a.admit(50, (d, t) -> {
            if (stop.get()) {
                throw new CancellationException("gave up");
            }
        }));
        Thread.sleep(100);
        CompletableFuture<MemoryAdmission.Admitted> behind = CompletableFuture.supplyAsync(() -> a.admit(50, GO_ON));
        Thread.sleep(100);
        stop.set(true);
        assertTrue(assertThrows(java.util.concurrent.ExecutionException.class, () -> quitter.get(10, TimeUnit.SECONDS))
                .getCause() instanceof CancellationException);
        assertFalse(behind.isDone());
        running.close();
        behind.get(10, TimeUnit.SECONDS).close();
        assertEquals(0, a.inUse());
    }
}
