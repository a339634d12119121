package io.vmiscope.web;

import io.vmiscope.testkit.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The UI in headless Chromium against the real server over a real store: a Linux lab VM (with hostile process
 * names) and an imported DRAKVUF log. Screenshots of every view go to target/screenshots/.
 */
class WebUiTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;

    private static final RecordingLiveVm LIVE = new RecordingLiveVm();
    private static LabServer lab;
    private static Browser browser;

    @BeforeAll
    static void serve() {
        lab = LabServer.start(dir, LIVE);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        browser.close();
        lab.close();
    }

    private static void open(String route) {
        browser.open(lab.server().url() + "#" + route);
    }

    /** Opens the lab VM's tree and the panel of the process named {@code name}. */
    private static void openProcessPanel(String name) {
        open("/vm/" + vm(TestStores.LINUX) + "/tree");
        browser.await("#view-tree[data-state=ready]");
        processRow(name).click();
        browser.await("#process-panel[data-state=ready]");
    }

    private static String vm(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static WebElement processRow(String name) {
        return browser.awaitAll("#tree .proc", 1).stream()
                .filter(p -> p.findElement(By.cssSelector(".proc-name")).getText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no process " + name + " in the tree"));
    }

    @Test
    void overview_listsBothVms() {
        open("/vms");
        browser.await("#view-vms[data-state=ready]");
        assertThat(browser.all("#vms-table tbody tr").stream().map(r -> r.getAttribute("data-vm")))
                .containsExactly(TestStores.LINUX, TestStores.WINDOWS);
        browser.screenshot(SCREENSHOTS.resolve("vms.png"));
    }

    @Test
    void tree_showsTheKnownProcesses_ofTheLinuxVmAndTheDrakvufLog() {
        open("/vm/" + vm(TestStores.LINUX) + "/tree");
        browser.await("#view-tree[data-state=ready]");
        assertThat(browser.all("#tree .proc-name").stream().map(WebElement::getText)).contains("init", "sh", "httpd");
        open("/vm/" + vm(TestStores.WINDOWS) + "/tree");
        browser.await("#view-tree[data-state=ready]");
        browser.awaitText("#tree", "explorer.exe");
        assertThat(browser.all("#tree .proc-name").stream().map(WebElement::getText)).contains("explorer.exe");
        browser.screenshot(SCREENSHOTS.resolve("tree-drakvuf.png"));
    }

    @Test
    void clickingAProcess_showsItsEvents() {
        openProcessPanel("httpd");
        List<WebElement> rows = browser.awaitAll("#process-events tbody tr[data-id]", 10);
        assertThat(rows.get(0).getText()).contains("exec");
        assertThat(browser.driver().findElement(By.id("pp-details")).getText()).contains("httpd -p 80");
        browser.screenshot(SCREENSHOTS.resolve("tree.png"));
    }

    @Test
    void hostileProcessNames_renderAsText() {
        open("/vm/" + vm(TestStores.LINUX) + "/tree");
        browser.await("#view-tree[data-state=ready]");
        WebElement html = processRow(TestStores.HTML_NAME);
        assertThat(browser.all("#tree img")).isEmpty();
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        html.click();
        browser.await("#process-panel[data-state=ready]");
        assertThat(browser.driver().findElement(By.id("pp-details")).getText()).contains("/tmp/" + TestStores.HTML_NAME);
        assertThat(browser.all("#process-panel img")).isEmpty();
        String control = (String) browser.script("return [...document.querySelectorAll('#tree .proc-name')]"
                + ".map(e => e.textContent).find(t => t.startsWith('red'))");
        assertThat(control).isEqualTo("red\\x1b[31m\\x07bell");
        assertThat(html.findElement(By.cssSelector(".proc-name")).findElements(By.xpath("./*"))).isEmpty();
    }

    @Test
    void timeline_drawsALanePerProcess() {
        open("/vm/" + vm(TestStores.LINUX) + "/timeline");
        browser.await("#view-timeline[data-state=ready]");
        assertThat(Integer.parseInt(browser.await("#timeline-chart").getAttribute("data-lanes"))).isGreaterThanOrEqualTo(4);
        browser.screenshot(SCREENSHOTS.resolve("timeline.png"));
    }

    @Test
    void behaviourGraph_listsWhatTheProcessTouched() {
        openProcessPanel("httpd");
        browser.driver().findElement(By.id("pp-graph")).click();
        browser.await("#view-graph[data-state=ready]");
        String list = browser.await("#graph-list").getText();
        assertThat(list).contains("/www/").contains("10.0.2.2");
        browser.screenshot(SCREENSHOTS.resolve("graph.png"));
    }

    @Test
    void events_areFilteredAndShownWhole() {
        open("/vm/" + vm(TestStores.WINDOWS) + "/events");
        browser.await("#view-events[data-state=ready]");
        browser.driver().findElement(By.id("ev-text")).sendKeys("powershell");
        browser.driver().findElement(By.id("ev-apply")).click();
        // the unfiltered page is there already: wait for the filtered one
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(browser.script(
                "return document.querySelector('#events-table tbody tr[data-id]')?.textContent.includes('powershell')")));
        List<WebElement> rows = browser.awaitAll("#events-table tbody tr[data-id]", 1);
        rows.get(0).click();
        assertThat(browser.awaitText("#event-detail", "powershell").getText()).contains("\"vm\"");
        browser.screenshot(SCREENSHOTS.resolve("events.png"));
    }

    @Test
    void planner_showsAPrediction() {
        open("/vm/" + vm(TestStores.LINUX) + "/overhead");
        browser.await("#view-overhead[data-state=ready]");
        browser.driver().findElement(By.id("plan-extra")).sendKeys("procevents, pslist:1s");
        browser.driver().findElement(By.id("plan-predict")).click();
        assertThat(browser.awaitText("#plan-result .prediction", "predicted slowdown").getText()).contains("4.0%");
        browser.screenshot(SCREENSHOTS.resolve("overhead.png"));
    }

    @Test
    void onDemandDialog_showsTheCostAgainstTheBudget_andCheaperVariants() {
        openProcessPanel("httpd");
        browser.await("button.ondemand[data-template=trace-process]").click();
        assertThat(browser.awaitText("#action-prediction", "predicted slowdown").getText()).contains("30.0%");
        assertThat(browser.await("#action-budget").getText()).contains("10");
        assertThat(browser.awaitAll("#action-variants li", 3)).hasSize(3);
        browser.screenshot(SCREENSHOTS.resolve("on-demand.png"));
        browser.driver().findElement(By.id("action-cancel")).click();
    }

    @Test
    void aTimeBoxedVariant_isStartedWithItsDutyCycle() {
        openProcessPanel("httpd");
        browser.await("button.ondemand[data-template=trace-process]").click();
        browser.await("#action-variants input[data-on-millis='1000']").click();
        browser.driver().findElement(By.id("action-start")).click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                .until(d -> LIVE.started.contains("syscalls:all[pid=120] on 1000 ms, off 3000 ms"));
    }

    @Test
    void header_callsAVmLive_onlyWhileAMonitorIsAttached() {
        open("/vm/" + vm(TestStores.LINUX) + "/tree");
        browser.await("#view-tree[data-state=ready]");
        assertThat(browser.awaitText("#vm-mode", "live").getText()).isEqualTo("● live");
        open("/vm/" + vm(TestStores.WINDOWS) + "/tree");
        browser.awaitText("#vm-mode", "stored");
        assertThat(browser.all("#vm-select option").stream().map(WebElement::getText))
                .containsExactly(TestStores.LINUX + " ● live", TestStores.WINDOWS);
    }
}
