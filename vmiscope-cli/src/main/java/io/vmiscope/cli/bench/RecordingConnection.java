package io.vmiscope.cli.bench;

import io.vmiscope.api.AccessStats;
import io.vmiscope.api.GuestConnection;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.Gva;
import io.vmiscope.api.PhysicalRead;
import io.vmiscope.api.StopEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection that records the physical read batches passing through it, so that exactly the same
 * requests can be replayed without any translation or decoding: the protocol floor of a workload.
 */
final class RecordingConnection implements GuestConnection {

    /** One recorded read: where and how much. */
    record Request(Gpa address, int length) {
    }

    private final GuestConnection target;
    private List<List<Request>> recording;

    RecordingConnection(GuestConnection target) {
        this.target = target;
    }

    /** Starts recording, dropping what was recorded before. */
    void record() {
        recording = new ArrayList<>();
    }

    /** The batches recorded since {@link #record()}, and stops recording. */
    List<List<Request>> stop() {
        List<List<Request>> batches = recording;
        recording = null;
        return batches;
    }

    /** Sends the recorded batches again, as they were sent. */
    static void replay(GuestConnection target, List<List<Request>> batches) {
        for (List<Request> batch : batches) {
            target.readAll(batch.stream().map(r -> PhysicalRead.of(r.address(), r.length())).toList());
        }
    }

    @Override
    public void read(Gpa address, byte[] buffer, int offset, int length) {
        if (recording != null) {
            recording.add(List.of(new Request(address, length)));
        }
        target.read(address, buffer, offset, length);
    }

    @Override
    public void readAll(List<PhysicalRead> reads) {
        if (recording != null) {
            recording.add(reads.stream().map(r -> new Request(r.address(), r.length())).toList());
        }
        target.readAll(reads);
    }

    @Override
    public int preferredChunkBytes() {
        return target.preferredChunkBytes();
    }

    @Override
    public AccessStats stats() {
        return target.stats();
    }

    @Override
    public List<Integer> vcpus() {
        return target.vcpus();
    }

    @Override
    public long register(int vcpu, String name) {
        return target.register(vcpu, name);
    }

    @Override
    public Map<String, Long> registers(int vcpu) {
        return target.registers(vcpu);
    }

    @Override
    public StopEvent pause() {
        return target.pause();
    }

    @Override
    public void resume() {
        target.resume();
    }

    @Override
    public boolean isPaused() {
        return target.isPaused();
    }

    @Override
    public StopEvent step(int vcpu) {
        return target.step(vcpu);
    }

    @Override
    public Optional<StopEvent> awaitStop(Duration timeout) {
        return target.awaitStop(timeout);
    }

    @Override
    public Breakpoint insert(Gva address, Kind kind) {
        return target.insert(address, kind);
    }

    @Override
    public void close() {
        target.close();
    }
}
