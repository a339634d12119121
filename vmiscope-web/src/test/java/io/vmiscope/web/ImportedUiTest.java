package io.vmiscope.web;

import io.vmiscope.testkit.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Imported logs in headless Chromium as a new user reads them after {@code vmiscope import} and {@code vmiscope
 * serve}: processes by base name with the path on hover and in the detail, a name and a summary for every
 * plugin's rows, the process column filled from the tree, the whole VM's behaviour graph without a click, and
 * no claim of "live" for a stored file. Screenshots of every view on the Windows DRAKVUF log and on the
 * Volatility process list go to target/screenshots/imported/ (docs/web.md: how they are copied into docs/web/).
 */
class ImportedUiTest {

    static final Path SCREENSHOTS = WebUiTest.SCREENSHOTS.resolve("imported");
    private static final String DEVICE = "\\Device\\HarddiskVolume2";

    @TempDir
    static Path dir;

    private static LabServer imported;
    private static Browser browser;

    @BeforeAll
    static void serve() {
        imported = ImportedServer.start(dir);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        browser.close();
        imported.close();
    }

    /** Loads the page afresh (a change of hash alone would keep the previous test's search and selection). */
    private static void open(String vm, String view) {
        browser.open("about:blank");
        browser.open(imported.server().url() + "#/vm/" + vm + "/" + view);
        browser.await("#view-" + view + "[data-state=ready]");
    }

    private static WebElement processRow(String name) {
        return browser.awaitAll("#tree .proc", 1).stream()
                .filter(p -> p.findElement(By.cssSelector(".proc-name")).getText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no process " + name + " in the tree"));
    }

    private static List<String> texts(String css) {
        return browser.all(css).stream().map(WebElement::getText).toList();
    }

    @Test
    void tree_showsBaseNames_withTheWholePathOnHoverAndInTheDetail() {
        open(ImportedServer.WINDOWS, "tree");
        browser.awaitText("#tree", "invoice.exe");
        assertThat(texts("#tree .proc-name")).contains("System", "smss.exe", "services.exe", "svchost.exe",
                "explorer.exe", "invoice.exe", "cmd.exe").noneMatch(name -> name.contains("\\"));
        assertThat(processRow("services.exe").findElement(By.cssSelector(".proc-name")).getAttribute("title"))
                .isEqualTo(DEVICE + "\\Windows\\System32\\services.exe");
        browser.screenshot(SCREENSHOTS.resolve("drakvuf-tree.png"));
        processRow("invoice.exe").click();
        browser.await("#process-panel[data-state=ready]");
        assertThat(browser.await("#pp-title").getText()).isEqualTo("invoice.exe (pid 5268)");
        assertThat(browser.await("#pp-details dd[data-field=image]").getText())
                .isEqualTo("C:\\Users\\John\\Desktop\\invoice.exe");
        browser.awaitAll("#process-events tbody tr[data-id]", 10);
        browser.screenshot(SCREENSHOTS.resolve("drakvuf-process.png"));
    }

    @Test
    void timeline_lanesAreBaseNames_andTheirTooltipsHaveTheWholePath() {
        open(ImportedServer.WINDOWS, "timeline");
        @SuppressWarnings("unchecked")
        List<String> lanes = (List<String>) browser.script("return echarts.getInstanceByDom("
                + "document.getElementById('timeline-chart')).getOption().yAxis[0].data");
        assertThat(lanes).contains("invoice.exe (5268)", "svchost.exe (776)").noneMatch(l -> l.contains("\\"));
        String tooltip = (String) browser.script("const o = echarts.getInstanceByDom(document.getElementById("
                + "'timeline-chart')).getOption(); const y = o.yAxis[0].data.indexOf('invoice.exe (5268)');"
                + " return o.tooltip[0].formatter({value: [0, y, 1, 1]});");
        assertThat(tooltip).startsWith("invoice.exe (5268)\nC:\\Users\\John\\Desktop\\invoice.exe\n");
        browser.screenshot(SCREENSHOTS.resolve("drakvuf-timeline.png"));
    }

    @Test
    void events_ofEveryKnownPlugin_haveANameAndASummary_andTheProcessTheTreeKnows() {
        for (String vm : ImportedServer.VMS) {
            open(vm, "events");
            List<WebElement> rows = browser.awaitAll("#events-table tbody tr[data-id]", 1);
            assertThat(browser.await("#ev-page-label").getText()).endsWith("of " + rows.size());
            for (WebElement row : rows) {
                List<WebElement> cells = row.findElements(By.tagName("td"));
                assertThat(cells.get(4).getText()).as(vm + ": " + row.getText()).isNotBlank();
                assertThat(cells.get(5).getText()).as(vm + ": " + row.getText()).isNotBlank()
                        .doesNotContain("tool=drakvuf");
                if (!cells.get(1).getText().isEmpty()) {
                    assertThat(cells.get(2).getText()).as(vm + ": the process of " + row.getText()).isNotBlank()
                            .doesNotContain("\\");
                }
            }
            if (vm.equals(ImportedServer.WINDOWS)) {
                assertThat(texts("#events-table tbody tr")).anySatisfy(row -> assertThat(row)
                        .contains("invoice.exe", "dll_discovered", "\\Windows\\System32\\wininet.dll at 0x7ffc1d400000"))
                        .anySatisfy(row -> assertThat(row).contains("LdrLoadDll", "LdrLoadDll(Arg0=0x0"))
                        .anySatisfy(row -> assertThat(row).contains("NtSetValueKey", "CurrentVersion\\Run\\Updater = "));
                browser.screenshot(SCREENSHOTS.resolve("drakvuf-events.png"));
            }
        }
    }

    @Test
    void graph_showsTheWholeVm_withoutPickingAProcess() {
        open(ImportedServer.WINDOWS, "graph");
        String list = browser.await("#graph-list").getText();
        assertThat(list).contains("invoice.exe (pid 5268)", "explorer.exe (pid 3944)", "c2.badhost.example",
                "198.51.100.23", "CurrentVersion\\Run", "Roaming\\Updater\\");
        assertThat(browser.await("#graph-title").getText()).isEqualTo("behaviour of " + ImportedServer.WINDOWS);
        Long nodes = (Long) browser.script("return echarts.getInstanceByDom(document.getElementById('graph-chart'))"
                + ".getOption().series[0].data.length");
        assertThat(nodes).isGreaterThan(10);
        browser.screenshot(SCREENSHOTS.resolve("drakvuf-graph.png"));
        browser.driver().findElement(By.linkText("invoice.exe (pid 5268)")).click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("graph-title")).getText().equals("behaviour of invoice.exe (pid 5268)"));
        assertThat(browser.await("#graph-vm").isDisplayed()).isTrue();
    }

    @Test
    void header_saysTheStreamIsConnected_butNeverThatAStoredVmIsLive() {
        open(ImportedServer.WINDOWS, "tree");
        browser.awaitText("#stream-status", "stream connected");
        assertThat(browser.await("#vm-mode").getText()).isEqualTo("stored");
        assertThat(browser.await("#top").getText()).doesNotContain("live");
        assertThat(texts("#vm-select option")).noneMatch(option -> option.contains("live"));
    }

    @Test
    void aVolatilityProcessList_readsInEveryView() {
        open(ImportedServer.VOLATILITY_WINDOWS, "tree");
        browser.awaitText("#tree", "invoice.exe");
        assertThat(texts("#tree .proc-name")).contains("System", "services.exe", "explorer.exe", "invoice.exe");
        browser.driver().findElement(By.id("tree-search")).sendKeys("ping");
        browser.awaitText("#tree-matches", "1 match");
        assertThat(browser.await("#tree .proc.match .proc-name").getText()).isEqualTo("PING.EXE");
        browser.screenshot(SCREENSHOTS.resolve("volatility-tree.png"));
        processRow("invoice.exe").click();
        browser.await("#process-panel[data-state=ready]");
        assertThat(browser.await("#pp-title").getText()).isEqualTo("invoice.exe (pid 5268)");
        browser.screenshot(SCREENSHOTS.resolve("volatility-process.png"));
        open(ImportedServer.VOLATILITY_WINDOWS, "timeline");
        browser.awaitText("#timeline-info", "process lists (snapshots) are shown in the Tree view");
        browser.screenshot(SCREENSHOTS.resolve("volatility-timeline.png"));
        open(ImportedServer.VOLATILITY_WINDOWS, "graph");
        assertThat(browser.await("#graph-list").getText()).contains("PING.EXE (pid 6188)", "cmd.exe (pid 6120)");
        browser.screenshot(SCREENSHOTS.resolve("volatility-graph.png"));
        open(ImportedServer.VOLATILITY_WINDOWS, "events");
        WebElement row = browser.awaitAll("#events-table tbody tr[data-id]", 1).get(0);
        assertThat(row.getText()).contains("windows.pslist", "13 processes: System, Registry, smss.exe");
        row.click();
        browser.awaitText("#event-detail", "\"windows.pslist\"");
        browser.screenshot(SCREENSHOTS.resolve("volatility-events.png"));
    }
}
