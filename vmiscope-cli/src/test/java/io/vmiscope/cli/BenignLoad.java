package io.vmiscope.cli;

import io.vmiscope.guest.QemuVm;
import io.vmiscope.overhead.workload.Workload;
import io.vmiscope.overhead.workload.WorkloadGuest;
import io.vmiscope.overhead.workload.Workloads;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benign load of the live tests: a client requests the index page and both CGIs (the ping CGI as meant: a host
 * name) every two seconds, as a user or a health checker would, while crond and syslogd go on as they do — the
 * guest's services alone, or with the overhead workloads one after another (web, syscalls, forkexec, fileio, cpu; an
 * equal share of the time each).
 */
final class BenignLoad {

    static final List<String> PAGES = List.of("/", "/cgi-bin/status", "/cgi-bin/ping?host=127.0.0.1");

    private BenignLoad() {
    }

    /** What runs beside the client. */
    private interface Meanwhile {
        void run() throws InterruptedException;
    }

    /**
     * The services' load with the workloads on {@code vm} for {@code total}.
     *
     * @return the web requests answered with 200
     */
    static long withWorkloads(QemuVm vm, Duration total) throws InterruptedException {
        WorkloadGuest guest = new WorkloadGuest(new ConsoleShell(vm.console()),
                new InetSocketAddress("127.0.0.1", vm.httpPort()), vm.serialLog());
        return withClient(vm, () -> {
            List<Workload> workloads = Workloads.all();
            Duration each = total.dividedBy(workloads.size());
            for (Workload workload : workloads) {
                workload.start(guest);
                try {
                    Thread.sleep(each.toMillis());
                } finally {
                    workload.stop(guest);
                }
            }
        });
    }

    /**
     * The services' load alone on {@code vm} for {@code total}.
     *
     * @return the web requests answered with 200
     */
    static long servicesOnly(QemuVm vm, Duration total) throws InterruptedException {
        return withClient(vm, () -> Thread.sleep(total.toMillis()));
    }

    private static long withClient(QemuVm vm, Meanwhile meanwhile) throws InterruptedException {
        AtomicLong answered = new AtomicLong();
        Thread client = new Thread(() -> requestPages(vm.httpPort(), answered), "benign-client");
        client.setDaemon(true);
        client.start();
        try {
            meanwhile.run();
        } finally {
            client.interrupt();
            client.join(10_000);
        }
        return answered.get();
    }

    /** The pages in turn, one request every two seconds. */
    private static void requestPages(int port, AtomicLong answered) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
            URI page = URI.create("http://127.0.0.1:" + port + PAGES.get(i % PAGES.size()));
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    answered.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // a refused or timed-out request under load is not answered: the next one is tried
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
