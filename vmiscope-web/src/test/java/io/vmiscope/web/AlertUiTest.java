package io.vmiscope.web;

import io.vmiscope.detect.BatchDetection;
import io.vmiscope.detect.IntegrityDetector;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.IntegrityFindingEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.store.EventFilter;
import io.vmiscope.testkit.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The alerts in headless Chromium against the real server over a real store, whose alerts the real Sigma detector
 * with the default ruleset raised over the lab VM (TestStores): the Alerts view, its filters, an alert's detail, a
 * mark kept in the store, the tree's badges, the timeline's markers and the overview's counts. Screenshots go to
 * target/screenshots/alerts-*.png (docs/web.md shows copies).
 */
class AlertUiTest {

    static final Path SCREENSHOTS = WebUiTest.SCREENSHOTS;

    @TempDir
    static Path dir;

    private static LabServer lab;
    private static Browser browser;

    @BeforeAll
    static void serve() {
        lab = LabServer.start(dir, new RecordingLiveVm());
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        browser.close();
        lab.close();
    }

    private static void open(String view) {
        browser.open(lab.server().url() + "#/vm/" + TestStores.LINUX + "/" + view);
        browser.await("#view-" + view.split("/")[0] + "[data-state=ready]");
    }

    /** The Alerts view with no filter set (a test before may have left some: the page stays loaded between tests). */
    private static void openAlerts() {
        open("alerts");
        browser.driver().findElement(By.id("al-text")).clear();
        browser.driver().findElement(By.id("al-rule")).clear();
        new Select(browser.driver().findElement(By.id("al-level"))).selectByValue("");
        new Select(browser.driver().findElement(By.id("al-mark"))).selectByValue("");
        clickFresh(() -> browser.driver().findElement(By.id("al-apply")));
        browser.awaitAll("#alerts-table tbody tr[data-id]", 8);
    }

    /** The text of every element {@code css} matches. */
    @SuppressWarnings("unchecked")
    private static List<String> texts(String css) {
        return (List<String>) browser.script("return [...document.querySelectorAll(arguments[0])].map(e => e.innerText)", css);
    }

    private static void until(String script) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(browser.script(script)));
    }

    /** The row of the alert titled {@code title…}, once the list shows it (a live refresh may redraw the list). */
    /** Clicks an alert's row, again if the live list was redrawn under the click. */
    private static void clickAlertRow(String title) {
        clickFresh(() -> alertRow(title));
    }

    /** Clicks what {@code find} finds, finding it again if a live redraw replaced it before the click landed. */
    private static void clickFresh(java.util.function.Supplier<WebElement> find) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    find.get().click();
                    return true;
                });
    }

    private static WebElement alertRow(String title) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                .until(d -> browser.all("#alerts-table tbody tr[data-id]").stream()
                        .filter(r -> r.findElement(By.cssSelector(".title")).getText().startsWith(title)).findFirst()
                        .orElse(null));
    }

    @Test
    void theAlertsView_listsTheAlertsWithTheirLevels_andFiltersThem() {
        openAlerts();
        assertThat(alertRow("Password Hashes Read").getText()).contains("high").contains("T1003.008")
                .contains("cat (154)");
        assertThat(browser.await("#al-counts").getText()).contains("critical 1").contains("high 6").contains("medium 1");
        browser.screenshot(SCREENSHOTS.resolve("alerts-list.png"));
        new Select(browser.driver().findElement(By.id("al-level"))).selectByValue("critical");
        clickFresh(() -> browser.driver().findElement(By.id("al-apply")));
        until("return document.querySelectorAll('#alerts-table tbody tr[data-id]').length === 1");
        assertThat(browser.await("#alerts-table tbody tr[data-id]").getText()).contains("File Downloaded");
        new Select(browser.driver().findElement(By.id("al-level"))).selectByValue("");
        browser.driver().findElement(By.id("al-text")).sendKeys("crontab");
        clickFresh(() -> browser.driver().findElement(By.id("al-apply")));
        until("return [...document.querySelectorAll('#alerts-table tbody tr[data-id]')].every(r => r.textContent.includes('rontab'))"
                + " && document.querySelectorAll('#alerts-table tbody tr[data-id]').length === 1");
    }

    @Test
    void anAlertsDetail_showsWhyItsEvidenceAndTheProcessAncestry() {
        openAlerts();
        clickAlertRow("File Downloaded");
        browser.awaitText("#alert-detail h2", "File Downloaded");
        browser.await("#alert-detail[data-state=ready]");
        assertThat(browser.await("#alert-detail .explanation").getText()).contains("2 rules matched in order");
        // read as text in one go: a live refresh may redraw the detail between two element lookups
        assertThat(texts("#alert-evidence tbody tr[data-id]")).satisfiesExactly(
                wget -> assertThat(wget).contains("wget").contains("/tmp/kit"),
                exec -> assertThat(exec).contains("exec").contains("/tmp/kit"));
        List<String> ancestry = texts("#alert-ancestry li");
        assertThat(ancestry).hasSize(5);
        assertThat(ancestry.get(0)).startsWith("kit (152)");
        assertThat(ancestry.get(2)).isEqualTo("httpd (120) httpd -p 80");
        assertThat(browser.driver().getCurrentUrl()).contains("/alerts/");
        browser.screenshot(SCREENSHOTS.resolve("alerts-detail.png"));
        clickFresh(() -> browser.await("#alert-ancestry li:nth-child(2) a"));
        browser.await("#process-panel[data-state=ready]");
        assertThat(browser.await("#pp-details").getText()).contains("wget -O /tmp/kit");
    }

    @Test
    void markingAFalsePositive_isKeptInTheStore_andShownAfterAReload() {
        openAlerts();
        clickFresh(() -> alertRow("Crontab").findElement(By.cssSelector("button[data-mark=false_positive]")));
        until("return [...document.querySelectorAll('#alerts-table tbody tr[data-id]')]"
                + ".some(r => r.textContent.includes('Crontab') && r.querySelector('.marked.false_positive'))");
        browser.driver().navigate().refresh();
        browser.await("#view-alerts[data-state=ready]");
        until("return [...document.querySelectorAll('#alerts-table tbody tr[data-id]')]"
                + ".some(r => r.textContent.includes('Crontab') && r.querySelector('.marked')?.textContent === 'false positive')");
        browser.screenshot(SCREENSHOTS.resolve("alerts-marked.png"));
        clickFresh(() -> alertRow("Crontab").findElement(By.cssSelector("button[data-mark='']")));
        until("return [...document.querySelectorAll('#alerts-table tbody tr[data-id]')]"
                + ".some(r => r.textContent.includes('Crontab') && !r.querySelector('.marked'))");
    }

    @Test
    void theTreeBadgesProcessesWithAlerts_theTimelineMarksThem_andTheOverviewCountsThem() {
        open("tree");
        browser.driver().findElement(By.id("tree-search")).sendKeys("kit");
        WebElement kit = browser.awaitAll("#tree .proc.match", 3).stream()
                .filter(p -> p.findElement(By.cssSelector(".proc-name")).getText().equals("kit")).findFirst().orElseThrow();
        WebElement badge = kit.findElement(By.cssSelector(".alert-badge"));
        assertThat(badge.getText()).isEqualTo("⚠ 2");
        assertThat(badge.getAttribute("class")).contains("level-critical");
        assertThat(browser.all("#tree .proc .alert-badge")).hasSizeGreaterThanOrEqualTo(5);
        browser.screenshot(SCREENSHOTS.resolve("alerts-tree.png"));
        open("timeline");
        assertThat(Integer.parseInt(browser.await("#timeline-chart").getAttribute("data-alert-markers")))
                .isGreaterThanOrEqualTo(6);
        assertThat(browser.await("#timeline-info").getText()).contains("alerts marked ⚠");
        browser.screenshot(SCREENSHOTS.resolve("alerts-timeline.png"));
        browser.open(lab.server().url() + "#/vms");
        browser.await("#view-vms[data-state=ready]");
        WebElement count = browser.await("#vms-table tr[data-vm='" + TestStores.LINUX + "'] td.alerts .level");
        assertThat(count.getAttribute("class")).contains("level-critical");
        assertThat(Integer.parseInt(count.getText())).isGreaterThanOrEqualTo(6);
    }

    @Test
    void hostileNamesInAlerts_renderAsText() {
        openAlerts();
        assertThat(browser.all("#view-alerts img")).isEmpty();
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.script("return [...document.querySelectorAll('#alerts-table .proc-name')]"
                + ".map(e => e.textContent)")).asString().contains(TestStores.HTML_NAME.substring(0, 15))
                .contains("red\\x1b[31m\\x07bell");
        clickAlertRow("Program Executed from /tmp");
        browser.await("#alert-detail[data-state=ready]");
        assertThat(browser.all("#alert-detail img")).isEmpty();
    }

    @Test
    void aLiveAlert_appearsInTheOpenAlertsView() {
        openAlerts();
        int before = browser.all("#alerts-table tbody tr[data-id]").size();
        AlertEvent live = new AlertEvent(TestStores.INTRUSION + 9_000_000_000L, TestStores.LINUX, "sigma",
                new ProcessRef(154, 154, 152, 33, "cat"), "live-rule", "Raised While You Watch", AlertEvent.Level.LOW,
                List.of("T1003.008"), List.of(), "a live alert", "");
        lab.store().accept(live);   // as the session does: stored, and streamed
        lab.store().flush();
        lab.server().liveEvents().accept(live);
        browser.awaitText("#alerts-table tbody", "Raised While You Watch");
        assertThat(browser.all("#alerts-table tbody tr[data-id]")).hasSize(before + 1);
    }

    @Test
    void aCrossViewFindingsAlert_showsWhichViewSawWhat_asText() {
        String vm = "linux-rootkit";
        Map<String, String> views = new LinkedHashMap<>();
        views.put("task list (init_task.tasks)", "absent");
        views.put("pid allocator (init_pid_ns.idr)", "pid 4242 → task 0xffff888003a1c000");
        views.put("children lists", "child of pid 1 (" + TestStores.HTML_NAME + ")");
        lab.store().accept(new IntegrityFindingEvent(TestStores.INTRUSION, vm, "checks:5s",
                new ProcessRef(4242, 4242, -1, -1, "sleep"), "hidden-processes", "pid 4242 (sleep)",
                "process 4242 (sleep) is missing from the task list while other views show it", views, List.of("T1014")));
        lab.store().flush();
        BatchDetection.run(lab.store(), lab.store(), EventFilter.ALL.withVm(vm), new IntegrityDetector(), alert -> { });

        browser.open(lab.server().url() + "#/vm/" + vm + "/alerts");
        browser.await("#view-alerts[data-state=ready]");
        clickAlertRow("Process hidden from the task list");
        browser.await("#alert-detail[data-state=ready]");
        assertThat(texts("#alert-detail .alert-views tbody tr")).containsExactly(
                "task list (init_task.tasks)\tabsent",
                "pid allocator (init_pid_ns.idr)\tpid 4242 → task 0xffff888003a1c000",
                "children lists\tchild of pid 1 (" + TestStores.HTML_NAME + ")");
        assertThat(browser.all("#alert-detail img")).isEmpty();
        browser.screenshot(SCREENSHOTS.resolve("alerts-views.png"));
    }
}
