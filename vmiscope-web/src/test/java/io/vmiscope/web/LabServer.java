package io.vmiscope.web;

import io.vmiscope.analysis.Analysis;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.web.live.LiveVm;

import java.nio.file.Path;
import java.util.List;

/**
 * The server over a store, analysed and listening on a free loopback port, for one test class: over
 * {@link TestStores#lab} ({@link #start}) or the imported fixtures ({@link ImportedServer#start}).
 */
record LabServer(DuckDbEventStore store, Analysis analysis, WebServer server) implements AutoCloseable {

    static LabServer start(Path dir, LiveVm live) {
        DuckDbEventStore store = TestStores.lab(dir.resolve("lab.duckdb"));
        Analysis analysis = Analysis.open(store);
        analysis.refresh(TestStores.LINUX);
        analysis.refresh(TestStores.WINDOWS);
        WebServer server = WebServer.start(ServerSettings.forHost("127.0.0.1", 0), store, analysis, () -> List.of(live),
                dir.resolve("no-model.json"));
        return new LabServer(store, analysis, server);
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        analysis.close();
        store.close();
    }
}
