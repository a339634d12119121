package io.vmiscope.cli;

import io.vmiscope.analysis.Analysis;
import io.vmiscope.analysis.VmActivity;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import io.vmiscope.web.WebServer;
import io.vmiscope.session.live.LiveVms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code vmiscope serve}: the browser UI over a stored file — imported logs, earlier monitoring sessions. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the browser UI over a store: process trees, timelines, behaviour graphs, events and "
                + "measured costs of every VM in it, until Ctrl-C. Prints the URL to open: it carries the access "
                + "token that every request needs (also on loopback), which opening it stores as a cookie.",
                "Example: vmiscope import drakvuf drakmon.log --vm win7 --db case.duckdb && vmiscope serve --db case.duckdb"})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    DbOption db;

    @Mixin
    WebOptions web;

    @Override
    public Integer call() throws InterruptedException {
        if (!Files.isRegularFile(db.path())) {
            throw new IllegalArgumentException("no store at " + db.path() + ": run 'vmiscope import' or 'vmiscope demo' first");
        }
        try (DuckDbEventStore store = DuckDbEventStore.open(db.path(), StoreOptions.defaults());
             Analysis analysis = Analysis.open(store)) {
            for (VmActivity vm : analysis.vms()) {
                analysis.refresh(vm.vm());
            }
            CountDownLatch ended = new CountDownLatch(1);
            try (WebServer server = WebServer.start(web.settings(), store, analysis, LiveVms.NONE, web.model())) {
                Runtime.getRuntime().addShutdownHook(new Thread(ended::countDown, "vmiscope-serve-end"));
                System.out.println("vmiscope: serving " + db.path() + " (" + analysis.vms().size() + " VMs) at " + server.url()
                        + "  — Ctrl-C ends");
                ended.await();
            }
        }
        return 0;
    }
}
