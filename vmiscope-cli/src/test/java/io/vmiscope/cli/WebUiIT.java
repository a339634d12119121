package io.vmiscope.cli;

import io.vmiscope.events.ActionSpec;
import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.testkit.Browser;
import io.vmiscope.web.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The UI end to end on the live demo guest, as {@code vmiscope demo} runs it: the tree shows the guest's
 * processes, clicking one shows its events, an on-demand action started from the UI yields live events and
 * is stopped from the UI, and processes with hostile names render as text. One booted guest for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {

    private static final String HTML_NAME = "<img src=x onerror=alert(1)>";
    private static final double GENEROUS_BUDGET = 5.0;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private QemuVm vm;
    private LiveDemo demo;
    private WebServer server;
    private Browser browser;

    @BeforeAll
    void startTheUiOnTheDemoGuest() throws Exception {
        vm = TestGuests.boot("web-ui");
        // a generous budget: the tests change the guest's load after the probe's baseline, which the controller
        // would rightly count as slowdown; test 6 lowers it to see the controller act
        demo = LiveDemo.start(vm, new Budget(GENEROUS_BUDGET),
                Stream.of("pslist:2s", "procevents").map(ActionSpec::parse).toList(),
                Optional.of(new SigmaDetector(RuleLoader.load(List.of(), true, Set.of()))));
        server = demo.server();
        browser = Browser.start();
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        if (browser != null) {
            browser.close();
        }
        if (demo != null) {
            demo.close();
        }
        if (vm != null) {
            vm.stop();
        }
    }

    private void openTree() {
        browser.open(server.url() + "#/vm/" + URLEncoder.encode(vm.name(), StandardCharsets.UTF_8) + "/tree");
        browser.await("#view-tree[data-state=ready]");
    }

    /** Starts a shell script under {@code name} in /tmp of the guest, looping, in the background; returns its pid. */
    private String startScript(String name) {
        String path = "/tmp/" + name;
        return vm.console().run("printf '#!/bin/sh\\nwhile :; do cat /proc/loadavg >/dev/null; sleep 1; done\\n' > \""
                + path + "\"; chmod +x \"" + path + "\"; \"" + path + "\" >/dev/null 2>&1 </dev/null & echo $!",
                Duration.ofSeconds(10)).output().strip();
    }

    /**
     * Searches the tree for {@code search} until a process named {@code name} shows (the live views refresh
     * every second), and clicks it; returns its key.
     */
    private String clickProcess(String search, String name) {
        openTree();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                WebElement box = browser.driver().findElement(By.id("tree-search"));
                box.clear();
                box.sendKeys(search);
                String key = (String) browser.script("const row = [...document.querySelectorAll('#tree .proc')]"
                        + ".find(r => r.querySelector('.proc-name').textContent === arguments[0]);"
                        + "if (row) { row.click(); return row.dataset.key; } return null;", name);
                if (key != null) {
                    return key;
                }
            } catch (StaleElementReferenceException e) {
                // the tree was redrawn under us: look again
            }
            sleep(1000);
        }
        throw new AssertionError("the tree never showed " + name);
    }

    @Test
    @Order(1)
    void theTreeShowsTheGuestsProcesses_andClickingOneShowsItsEvents() {
        openTree();
        // read in one go: the live tree may be redrawn between two WebDriver calls
        assertThat((List<?>) browser.script("return [...document.querySelectorAll('#tree .proc-cmd')].map(e => e.textContent)"))
                .anySatisfy(c -> assertThat((String) c).contains("httpd -p 80"));
        startScript("webui-worker");
        clickProcess("webui-worker", "webui-worker");
        browser.await("#process-panel[data-state=ready]");
        assertThat(browser.awaitAll("#process-events tbody tr[data-id]", 1)).as("the worker's events, its exec among them")
                .anySatisfy(row -> assertThat(row.getText()).contains("exec"));
        browser.screenshot(SCREENSHOTS.resolve("live-tree.png"));
    }

    @Test
    @Order(2)
    void anOnDemandAction_startedFromTheUi_yieldsLiveEvents_andStopsFromTheUi() throws Exception {
        traceFromTheUi();
    }

    private void traceFromTheUi() {
        String pid = startScript("webui-traced");
        clickProcess("webui-traced", "webui-traced");
        browser.await("#process-panel[data-state=ready]");
        click("button.ondemand[data-template=trace-process]");
        assertThat(browser.awaitText("#action-prediction", "predicted slowdown").getText()).matches(".*\\d+\\.\\d%.*");
        assertThat(browser.await("#action-budget").getText()).contains("500");
        browser.screenshot(SCREENSHOTS.resolve("live-on-demand.png"));
        click("#action-variants input[value^='syscalls:file,network,process']");
        click("#action-start");
        String id = "syscalls:file,network,process[pid=" + pid + "]";
        browser.await("#running-actions li[data-action-id='" + id + "']");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean seen = false;
        while (!seen && System.nanoTime() < deadline) {
            seen = (Boolean) browser.script("return [...document.querySelectorAll('#live-events li.live-event')]"
                    + ".some(li => li.dataset.kind === 'syscall' && li.querySelector('.num').textContent === arguments[0])", pid);
            sleep(500);
        }
        assertThat(seen).as("a live syscall event of pid %s in %s", pid, browser.await("#live-events").getText()).isTrue();
        browser.screenshot(SCREENSHOTS.resolve("live-action.png"));
        click("#running-actions li[data-action-id='" + id + "'] button.stop-action");
        long stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!browser.all("#running-actions li[data-action-id='" + id + "']").isEmpty() && System.nanoTime() < stopDeadline) {
            sleep(500);
        }
        assertThat(browser.all("#running-actions li[data-action-id='" + id + "']")).isEmpty();
    }

    /** Last, so that the views have the other tests' activity to show (and the screenshots for docs/web.md). */
    @Test
    @Order(4)
    void theOverviewAndOverheadViews_showMeasuredCosts_andThePlannerPredictsWithTheLiveRates() {
        String base = server.url() + "#/vm/" + URLEncoder.encode(vm.name(), StandardCharsets.UTF_8);
        browser.open(server.url() + "#/vms");
        browser.await("#view-vms[data-state=ready]");
        assertThat(browser.await("#vms-table tbody tr[data-vm='" + vm.name() + "']").getText()).contains("procevents");
        browser.screenshot(SCREENSHOTS.resolve("live-vms.png"));
        browser.open(base + "/overhead");
        browser.await("#view-overhead[data-state=ready]");
        assertThat(browser.await("#overhead-actions").getText()).contains("procevents").contains("pslist:2s");
        browser.driver().findElement(By.id("plan-extra")).sendKeys("syscalls:file");
        click("#plan-predict");
        assertThat(browser.awaitText("#plan-result .prediction", "predicted slowdown").getText()).matches(".*\\d+\\.\\d%.*");
        browser.screenshot(SCREENSHOTS.resolve("live-overhead.png"));
        browser.open(base + "/timeline");
        browser.await("#view-timeline[data-state=ready]");
        browser.screenshot(SCREENSHOTS.resolve("live-timeline.png"));
    }

    /** First, while the guest is quiet: the later tests' looping scripts keep it busy enough to be degraded. */
    @Test
    @Order(0)
    void anAlertRaisedLive_appearsInTheAlertsView_withItsRuleAndTechnique() throws Exception {
        String module = vm.console().run("find /lib/modules -name dummy.ko | head -1", Duration.ofSeconds(20))
                .output().strip();
        // by its path: busybox's shell runs a bare applet name in its own process, without an exec to see
        vm.console().run("$(which insmod) " + module + "; $(which rmmod) dummy", Duration.ofSeconds(20));
        JsonNode alert = demo.awaitAlert(a -> a.get("fields").get("title").asText().startsWith("Kernel Module Inserted"),
                Duration.ofSeconds(30));
        String alerts = server.url() + "#/vm/" + URLEncoder.encode(vm.name(), StandardCharsets.UTF_8) + "/alerts";
        browser.open(alerts + "/" + alert.get("id").asText());
        assertThat(browser.await("#alert-detail[data-state=ready]").getText())
                .contains("Kernel Module Inserted").contains("T1547.006");
        browser.open(alerts);
        browser.await("#view-alerts[data-state=ready]");
        assertThat(browser.awaitText("#alerts-table", "Kernel Module Inserted").getText()).contains("T1547.006");
        browser.screenshot(SCREENSHOTS.resolve("live-alerts.png"));
    }

    /** Last: it lowers the budget, and the controller degrades what runs until it has restored it again. */
    @Test
    @Order(6)
    void anOnDemandAction_thatKeepsTheVmOverItsBudget_isDegradedByTheController_andTheBrowsersAreTold() throws Exception {
        String loop = vm.console().run("sh -c 'while :; do cat /proc/version >/dev/null; done' >/dev/null 2>&1 </dev/null"
                + " & echo $!", Duration.ofSeconds(10)).output().strip();
        String vmPath = demo.vmPath();
        try {
            demo.budget(0.02);
            demo.write(vmPath + "/actions", "POST", "{\"spec\": \"syscalls:all\"}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            JsonNode degraded = null;
            while (degraded == null && System.nanoTime() < deadline) {
                sleep(1000);
                for (JsonNode e : demo.json(vmPath + "/events?kind=control&name=degraded&limit=500").get("items")) {
                    if (e.get("action").asText().equals("syscalls:all")) {
                        degraded = e;
                    }
                }
            }
            assertThat(degraded).as("syscalls:all degraded by the session's budget controller").isNotNull();
            assertThat(degraded.get("fields").get("reason").asText()).contains("> budget 2.0%");
            assertThat(demo.json(vmPath + "/overhead").get("slowdownBasis").asText())
                    .as("the estimate says what it rests on").startsWith("VM-stopped time");
        } finally {
            vm.console().run("kill " + loop, Duration.ofSeconds(10));
            demo.writeAnyStatus(vmPath + "/actions/" + URLEncoder.encode("syscalls:all", StandardCharsets.UTF_8),
                    "DELETE"); // 404 when it never started
            demo.budget(GENEROUS_BUDGET);
        }
    }

    @Test
    @Order(3)
    void processesWithHostileNames_renderAsText() {
        startScript(HTML_NAME);
        startScript("$(printf 'esc\\033[31m\\007x')");
        String key = clickProcess("onerror", HTML_NAME);
        assertThat(browser.all("#tree img, #process-panel img")).isEmpty();
        assertThat(browser.script("return document.querySelector('#tree .proc[data-key=\"' + arguments[0]"
                + " + '\"] .proc-name').childElementCount", key)).isEqualTo(0L);
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        clickProcess("esc", "esc\\x1b[31m\\x07x");
        browser.screenshot(SCREENSHOTS.resolve("live-hostile-names.png"));
    }

    /** Clicks what {@code css} matches, again if the live views redrew it meanwhile. */
    private void click(String css) {
        for (int attempt = 0; ; attempt++) {
            try {
                browser.await(css).click();
                return;
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
