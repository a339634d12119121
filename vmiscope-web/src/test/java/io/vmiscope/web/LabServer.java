package io.vmiscope.web;

import io.vmiscope.analysis.Analysis;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.session.live.LiveVm;

import java.nio.file.Path;
import java.util.List;

/**
 * The server over a store, analysed and listening on a free loopback port with an access token, for one test
 * class: over {@link TestStores#lab} ({@link #start}) or the imported fixtures ({@link ImportedServer#start}).
 */
record LabServer(DuckDbEventStore store, Analysis analysis, WebServer server, ServerSettings settings)
        implements AutoCloseable {

    static LabServer start(Path dir, LiveVm live) {
        DuckDbEventStore store = TestStores.lab(dir.resolve("lab.duckdb"));
        Analysis analysis = Analysis.open(store);
        analysis.refresh(TestStores.LINUX);
        analysis.refresh(TestStores.WINDOWS);
        ServerSettings settings = ServerSettings.withToken("127.0.0.1", 0);
        WebServer server = WebServer.start(settings, store, analysis, () -> List.of(live), dir.resolve("no-model.json"));
        return new LabServer(store, analysis, server, settings);
    }

    int port() {
        return server.port();
    }

    /** A client that sends the token with every request. */
    Http http() {
        return new Http(port(), settings.token());
    }

    @Override
    public void close() {
        server.close();
        analysis.close();
        store.close();
    }
}
