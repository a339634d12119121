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
 * Batches are grouped by stop: every stop the VM reports starts a new group.
 */
final class RecordingConnection implements GuestConnection {

    /** One recorded read: where and how much. */
    record Request(Gpa address, int length) {
    }

    /** The read batches of one stop (or of everything between two stops). */
    record Group(List<List<Request>> batches) {
    }

    private final GuestConnection target;
    private List<Group> recording;
    private List<List<Request>> current;
    private final List<Long> registerNanos = new ArrayList<>();

    RecordingConnection(GuestConnection target) {
        this.target = target;
    }

    /** Starts recording, dropping what was recorded before. */
    void record() {
        recording = new ArrayList<>();
        current = new ArrayList<>();
        recording.add(new Group(current));
    }

    /** The groups recorded since {@link #record()} (the first one holds what came before any stop); stops recording. */
    List<Group> stop() {
        List<Group> groups = recording;
        recording = null;
        current = null;
        return groups;
    }

    /** Sends a group's batches again, as they were sent. */
    static void replay(GuestConnection target, Group group) {
        for (List<Request> batch : group.batches()) {
            target.readAll(batch.stream().map(r -> PhysicalRead.of(r.address(), r.length())).toList());
        }
    }

    @Override
    public void read(Gpa address, byte[] buffer, int offset, int length) {
        if (current != null) {
            current.add(List.of(new Request(address, length)));
        }
        target.read(address, buffer, offset, length);
    }

    @Override
    public void readAll(List<PhysicalRead> reads) {
        if (current != null) {
            current.add(reads.stream().map(r -> new Request(r.address(), r.length())).toList());
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
        long t0 = System.nanoTime();
        Map<String, Long> registers = target.registers(vcpu);
        if (recording != null) {
            registerNanos.add(System.nanoTime() - t0);
        }
        return registers;
    }

    /** How long each register read took while recording: at a hit, the stub's first answer after the stop. */
    List<Long> registerNanos() {
        return List.copyOf(registerNanos);
    }

    @Override
    public void setRegister(int vcpu, String name, long value) {
        target.setRegister(vcpu, name, value);
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
    public void resumeAt(int vcpu, long rip) {
        target.resumeAt(vcpu, rip);
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
        Optional<StopEvent> stop = target.awaitStop(timeout);
        if (stop.isPresent() && recording != null) {
            current = new ArrayList<>();
            recording.add(new Group(current));
        }
        return stop;
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
