package io.vmiscope.cli.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded simulation of what DRAKVUF sees in a busy Windows 10 guest, for the store benchmark: a start-up
 * process list, then mostly system calls with their returns (in bursts of one thread), the file, registry
 * and network records of DRAKVUF's filetracer, regmon and socketmon plugins, and process creations and
 * exits (procmon). The simulation says <em>what</em> happens; a {@link Trace} says how it is written down
 * ({@link StoreDrakvufLog}: {@code drakmon.log} JSON lines; {@link StoreEventFeed}: vmiscope events).
 *
 * <p>Shape, per 1,000 records: ~950 {@code syscall}/{@code sysret} (in pairs), ~26 filetracer, ~20 regmon,
 * ~2 procmon, ~2 socketmon — so ~5,500 processes started over 5 million lines, about
 * {@value #TARGET_TRANSIENT} short-lived ones alive at any time beside the 44 of the start-up list. Busy
 * processes are busier (activity weights follow a capped Pareto law). Process and thread ids are multiples of
 * 4 drawn at random from {@value #ID_SLOTS} slots, so the ids of ended processes come back, as on Windows.
 * Calls are 200 µs apart on average, each return 2–42 µs after its call (DRAKVUF slows a guest down a lot):
 * 5 million lines span ~9 minutes.
 *
 * <p>The same seed gives the same records. Not thread-safe.
 */
public final class StoreWorkload {

    /** Where the trace starts: 2024-05-27 12:00:00 UTC, in nanoseconds since the epoch. */
    private static final long START_NANOS = 1_716_811_200_000_000_000L;

    private static final int ID_SLOTS = 4096;
    private static final int TARGET_TRANSIENT = 150;
    private static final double MEAN_GAP_NANOS = 200_000;
    private static final double MAX_WEIGHT = 40;
    /** One step in this many is a process creation or exit (a step of syscalls is ~14 records). */
    private static final int PROCMON_ONE_IN = 36;

    /** A guest process as the simulation knows it; {@code image} is the Win32 path of its executable. */
    public record Proc(int pid, int ppid, int[] tids, long sessionId, String image, String processName,
                       String commandLine, String cr3, double weight, boolean resident) {

        /** The image's file name, e.g. {@code svchost.exe}. */
        public String baseName() {
            return image.substring(image.lastIndexOf('\\') + 1);
        }
    }

    /** A system call of the simulated guest's table (Windows 10 x64 numbers) and its arguments' names. */
    public record Syscall(String name, int number, String[] arguments, Target target) {
    }

    /** Which other plugin reports on a system call as well. */
    public enum Target { NONE, FILE, REGISTRY, NETWORK }

    /** How the simulation's records are written down; one method per record. */
    public interface Trace {

        /** One entry of DRAKVUF's start-up process list. */
        void runningProcess(long timeNanos, Proc process);

        /** The start-up list is complete. */
        void endOfStartupList();

        /** A system call entered by thread {@code tid}; {@code values} match {@code call.arguments()}. */
        void syscall(long timeNanos, Proc process, int tid, int vcpu, Syscall call, String[] values);

        /** The same call returning {@code status} (an NTSTATUS). */
        void sysret(long timeNanos, Proc process, int tid, int vcpu, Syscall call, long status);

        /** {@code creator} started {@code child} with NtCreateUserProcess. */
        void created(long timeNanos, Proc creator, int tid, Proc child);

        /** {@code caller} ended {@code ended} with NtTerminateProcess and {@code status}. */
        void terminated(long timeNanos, Proc caller, int tid, Proc ended, long status);

        /** filetracer: {@code operation} on {@code fileName} through {@code call}. */
        void file(long timeNanos, Proc process, int tid, Syscall call, String operation, String fileName,
                  String handle);

        /** regmon: {@code call} on {@code key}, value {@code valueName} = {@code value}. */
        void registry(long timeNanos, Proc process, int tid, Syscall call, String key, String valueName, String value);

        /** socketmon: a TCP connection or UDP datagram, or a DNS lookup when {@code dnsName} is not null. */
        void network(long timeNanos, Proc process, int tid, String method, String protocol, String localIp,
                     int localPort, String remoteIp, int remotePort, String dnsName);
    }

    private static final Syscall[] SYSCALLS = {
            call("NtWaitForSingleObject", 4, Target.NONE, "Handle", "Alertable", "Timeout"),
            call("NtReadFile", 6, Target.FILE, "FileHandle", "Event", "ApcRoutine", "ApcContext", "IoStatusBlock",
                    "Buffer", "Length", "ByteOffset", "Key"),
            call("NtDeviceIoControlFile", 7, Target.NETWORK, "FileHandle", "Event", "ApcRoutine", "ApcContext",
                    "IoStatusBlock", "IoControlCode", "InputBuffer", "InputBufferLength", "OutputBuffer",
                    "OutputBufferLength"),
            call("NtWriteFile", 8, Target.FILE, "FileHandle", "Event", "ApcRoutine", "ApcContext", "IoStatusBlock",
                    "Buffer", "Length", "ByteOffset", "Key"),
            call("NtRemoveIoCompletion", 9, Target.NONE, "IoCompletionHandle", "KeyContext", "ApcContext",
                    "IoStatusBlock", "Timeout"),
            call("NtSetInformationThread", 13, Target.NONE, "ThreadHandle", "ThreadInformationClass",
                    "ThreadInformation", "ThreadInformationLength"),
            call("NtSetEvent", 14, Target.NONE, "EventHandle", "PreviousState"),
            call("NtClose", 15, Target.NONE, "Handle"),
            call("NtQueryInformationFile", 17, Target.FILE, "FileHandle", "IoStatusBlock", "FileInformation", "Length",
                    "FileInformationClass"),
            call("NtOpenKey", 18, Target.REGISTRY, "KeyHandle", "DesiredAccess", "ObjectAttributes"),
            call("NtQueryValueKey", 23, Target.REGISTRY, "KeyHandle", "ValueName", "KeyValueInformationClass",
                    "KeyValueInformation", "Length", "ResultLength"),
            call("NtAllocateVirtualMemory", 24, Target.NONE, "ProcessHandle", "BaseAddress", "ZeroBits", "RegionSize",
                    "AllocationType", "Protect"),
            call("NtQueryInformationProcess", 25, Target.NONE, "ProcessHandle", "ProcessInformationClass",
                    "ProcessInformation", "ProcessInformationLength", "ReturnLength"),
            call("NtFreeVirtualMemory", 30, Target.NONE, "ProcessHandle", "BaseAddress", "RegionSize", "FreeType"),
            call("NtQueryVirtualMemory", 35, Target.NONE, "ProcessHandle", "BaseAddress", "MemoryInformationClass",
                    "MemoryInformation", "MemoryInformationLength", "ReturnLength"),
            call("NtOpenProcess", 38, Target.NONE, "ProcessHandle", "DesiredAccess", "ObjectAttributes", "ClientId"),
            call("NtMapViewOfSection", 40, Target.NONE, "SectionHandle", "ProcessHandle", "BaseAddress", "ZeroBits",
                    "CommitSize", "SectionOffset", "ViewSize", "InheritDisposition", "AllocationType", "Win32Protect"),
            call("NtUnmapViewOfSection", 42, Target.NONE, "ProcessHandle", "BaseAddress"),
            call("NtQueryPerformanceCounter", 49, Target.NONE, "PerformanceCounter", "PerformanceFrequency"),
            call("NtOpenFile", 51, Target.FILE, "FileHandle", "DesiredAccess", "ObjectAttributes", "IoStatusBlock",
                    "ShareAccess", "OpenOptions"),
            call("NtDelayExecution", 52, Target.NONE, "Alertable", "DelayInterval"),
            call("NtQuerySystemInformation", 54, Target.NONE, "SystemInformationClass", "SystemInformation",
                    "SystemInformationLength", "ReturnLength"),
            call("NtQueryAttributesFile", 61, Target.FILE, "ObjectAttributes", "FileInformation"),
            call("NtProtectVirtualMemory", 80, Target.NONE, "ProcessHandle", "BaseAddress", "RegionSize",
                    "NewProtect", "OldProtect"),
            call("NtCreateFile", 85, Target.FILE, "FileHandle", "DesiredAccess", "ObjectAttributes", "IoStatusBlock",
                    "AllocationSize", "FileAttributes", "ShareAccess", "CreateDisposition", "CreateOptions", "EaBuffer",
                    "EaLength"),
            call("NtSetValueKey", 96, Target.REGISTRY, "KeyHandle", "ValueName", "TitleIndex", "Type", "Data",
                    "DataSize"),
    };

    /** Relative frequencies of {@link #SYSCALLS}, as in a desktop guest: waits, handles and memory dominate. */
    private static final int[] SYSCALL_WEIGHTS = {
            140, 60, 70, 30, 60, 20, 50, 110, 25, 30, 45, 45, 30, 35, 25, 8, 20, 15, 25, 15, 30, 12, 12, 20, 12, 6};

    /** The processes of the start-up list, parents first: name, parent's name, session, command line. */
    private static final String[][] RESIDENT = {
            {"Registry", "System", "0", ""}, {"smss.exe", "System", "0", "\\SystemRoot\\System32\\smss.exe"},
            {"csrss.exe", "smss.exe", "0",
                    "%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768"},
            {"wininit.exe", "smss.exe", "0", "wininit.exe"}, {"winlogon.exe", "smss.exe", "1", "winlogon.exe"},
            {"services.exe", "wininit.exe", "0", "C:\\Windows\\system32\\services.exe"},
            {"lsass.exe", "wininit.exe", "0", "C:\\Windows\\system32\\lsass.exe"},
            {"fontdrvhost.exe", "wininit.exe", "0", "\"fontdrvhost.exe\""}, {"dwm.exe", "winlogon.exe", "1", "\"dwm.exe\""},
            {"svchost.exe", "services.exe", "0", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p"},
            {"svchost.exe", "services.exe", "0", "C:\\Windows\\system32\\svchost.exe -k RPCSS -p"},
            {"svchost.exe", "services.exe", "0", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule"},
            {"svchost.exe", "services.exe", "0", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Winmgmt"},
            {"svchost.exe", "services.exe", "0",
                    "C:\\Windows\\system32\\svchost.exe -k LocalServiceNetworkRestricted -p"},
            {"svchost.exe", "services.exe", "0", "C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache"},
            {"svchost.exe", "services.exe", "0",
                    "C:\\Windows\\system32\\svchost.exe -k LocalSystemNetworkRestricted -p -s SysMain"},
            {"svchost.exe", "services.exe", "0", "C:\\Windows\\System32\\svchost.exe -k utcsvc -p"},
            {"svchost.exe", "services.exe", "0", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s wuauserv"},
            {"svchost.exe", "services.exe", "1", "C:\\Windows\\system32\\svchost.exe -k UnistackSvcGroup"},
            {"spoolsv.exe", "services.exe", "0", "C:\\Windows\\System32\\spoolsv.exe"},
            {"MsMpEng.exe", "services.exe", "0",
                    "\"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.24030.9-0\\MsMpEng.exe\""},
            {"SearchIndexer.exe", "services.exe", "0", "C:\\Windows\\system32\\SearchIndexer.exe /Embedding"},
            {"SecurityHealthService.exe", "services.exe", "0", "C:\\Windows\\system32\\SecurityHealthService.exe"},
            {"SgrmBroker.exe", "services.exe", "0", "C:\\Windows\\system32\\SgrmBroker.exe"},
            {"NisSrv.exe", "services.exe", "0",
                    "\"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.24030.9-0\\NisSrv.exe\""},
            {"WmiPrvSE.exe", "svchost.exe", "0", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding"},
            {"audiodg.exe", "svchost.exe", "0", "C:\\Windows\\system32\\AUDIODG.EXE 0x4a8"},
            {"sihost.exe", "svchost.exe", "1", "sihost.exe"},
            {"taskhostw.exe", "svchost.exe", "1", "taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}"},
            {"explorer.exe", "winlogon.exe", "1", "C:\\Windows\\Explorer.EXE"},
            {"ctfmon.exe", "svchost.exe", "1", "\"ctfmon.exe\""},
            {"StartMenuExperienceHost.exe", "svchost.exe", "1",
                    "\"C:\\Windows\\SystemApps\\StartMenuExperienceHost.exe\" -ServerName:App.AppXywbrabmsek0gm3tkwpr5kwzbs55tkqay.mca"},
            {"RuntimeBroker.exe", "svchost.exe", "1", "C:\\Windows\\System32\\RuntimeBroker.exe -Embedding"},
            {"RuntimeBroker.exe", "svchost.exe", "1", "C:\\Windows\\System32\\RuntimeBroker.exe -Embedding"},
            {"SearchApp.exe", "svchost.exe", "1",
                    "\"C:\\Windows\\SystemApps\\Microsoft.Windows.Search_cw5n1h2txyewy\\SearchApp.exe\" -ServerName:CortanaUI.AppX8z9r6jm96hw4bsbneegw0kyxx296wr9t.mca"},
            {"TextInputHost.exe", "svchost.exe", "1",
                    "\"C:\\Windows\\SystemApps\\MicrosoftWindows.Client.CBS_cw5n1h2txyewy\\TextInputHost.exe\" -ServerName:InputApp.AppXjd5de1g66v206tj52m9d0dtpppx4cgpn.mca"},
            {"ShellExperienceHost.exe", "svchost.exe", "1",
                    "\"C:\\Windows\\SystemApps\\ShellExperienceHost_cw5n1h2txyewy\\ShellExperienceHost.exe\" -ServerName:App.AppXtk181tbxbce2qsex02s8tw7hfxa9xb3t.mca"},
            {"dllhost.exe", "svchost.exe", "1", "C:\\Windows\\system32\\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}"},
            {"OneDrive.exe", "explorer.exe", "1",
                    "\"C:\\Users\\alice\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background"},
            {"msedge.exe", "explorer.exe", "1",
                    "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --no-startup-window"},
            {"vmtoolsd.exe", "explorer.exe", "1", "\"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe\" -n vmusr"},
            {"cmd.exe", "explorer.exe", "1", "\"C:\\Windows\\system32\\cmd.exe\""},
            {"conhost.exe", "cmd.exe", "1", "\\??\\C:\\Windows\\system32\\conhost.exe 0x4"},
    };

    /** Programs started during the trace: name and command-line arguments. */
    private static final String[][] TRANSIENT = {
            {"cmd.exe", "/c \"dir C:\\Users\\alice\\Documents\""}, {"conhost.exe", "0xffffffff -ForceV1"},
            {"powershell.exe", "-NoProfile -ExecutionPolicy Bypass -Command Get-Process"},
            {"rundll32.exe", "C:\\Windows\\system32\\shell32.dll,SHCreateLocalServerRunDll {9aa46009-3ce0-458a-a354-715610a075e6}"},
            {"backgroundTaskHost.exe", "-ServerName:BackgroundTaskHost.WebAccountProvider"},
            {"WmiPrvSE.exe", "-secured -Embedding"}, {"dllhost.exe", "/Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}"},
            {"svchost.exe", "-k wsappx -p -s ClipSVC"}, {"svchost.exe", "-k netsvcs -p -s BITS"},
            {"msedge.exe", "--type=renderer --lang=en-US --renderer-client-id=7 --mojo-platform-channel-handle=3428"},
            {"msedge.exe", "--type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US"},
            {"msedge.exe", "--type=gpu-process --gpu-preferences=UAAAAAAAAADgAAAYAAAAAAAAAAAAAAAAAABgAAAAAAAwAAAAAAAAAAAAAAAAAAAAAA"},
            {"notepad.exe", "C:\\Users\\alice\\Documents\\notes.txt"}, {"SearchProtocolHost.exe", "Global\\UsGthrFltPipeMssGthrPipe3"},
            {"SearchFilterHost.exe", "0 812 816 824 8192 820 800"}, {"taskhostw.exe", "Install $(Arg0)"},
            {"consent.exe", "1068 300 000001E2E3F1C3A0"}, {"WerFault.exe", "-u -p 5032 -s 1228"},
            {"MpCmdRun.exe", "-wdenable"}, {"git.exe", "status --porcelain"}, {"python.exe", "C:\\tools\\sync.py --once"},
            {"tasklist.exe", "/v"}, {"net.exe", "user"}, {"whoami.exe", "/all"}, {"reg.exe",
            "query HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"}, {"schtasks.exe", "/query /fo LIST"},
            {"TiWorker.exe", "-Embedding"}, {"sppsvc.exe", ""}, {"CompatTelRunner.exe", "-m:appraiser.dll -f:DoScheduledTelemetryRun"},
            {"OfficeClickToRun.exe", "/service"}, {"curl.exe", "-s https://example.org/update.json"},
    };

    private static final String[] FILES = {
            "\\??\\C:\\Windows\\System32\\kernel32.dll", "\\??\\C:\\Windows\\System32\\ntdll.dll",
            "\\??\\C:\\Windows\\System32\\en-US\\KernelBase.dll.mui", "\\??\\C:\\Windows\\Fonts\\segoeui.ttf",
            "\\??\\C:\\Users\\alice\\AppData\\Local\\Temp\\~DF3A1C.tmp",
            "\\??\\C:\\Users\\alice\\AppData\\Local\\Microsoft\\Edge\\User Data\\Default\\History",
            "\\??\\C:\\Users\\alice\\AppData\\Local\\Microsoft\\Edge\\User Data\\Default\\Cache\\Cache_Data\\data_1",
            "\\??\\C:\\Users\\alice\\Documents\\notes.txt", "\\??\\C:\\Users\\alice\\Desktop\\invoice.pdf",
            "\\??\\C:\\ProgramData\\Microsoft\\Windows Defender\\Scans\\History\\Service\\DetectionHistory",
            "\\??\\C:\\Windows\\Prefetch\\CMD.EXE-0BD30981.pf", "\\??\\C:\\Windows\\System32\\config\\SOFTWARE",
            "\\??\\C:\\Windows\\System32\\winevt\\Logs\\Microsoft-Windows-PowerShell%4Operational.evtx",
            "\\??\\C:\\Windows\\SoftwareDistribution\\DataStore\\DataStore.edb", "\\??\\PIPE\\srvsvc",
            "\\??\\C:\\Windows\\Temp\\MpCmdRun.log", "\\Device\\HarddiskVolume2\\$Extend\\$UsnJrnl:$J",
    };

    private static final String[][] REGISTRY = {
            {"\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "SecurityHealth",
                    "%windir%\\system32\\SecurityHealthSystray.exe"},
            {"\\REGISTRY\\USER\\S-1-5-21-3623811015-3361044348-30300820-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs",
                    "MRUListEx", "0x03000000"},
            {"\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters", "Hostname", "DESKTOP-7K2QF1M"},
            {"\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options",
                    "DevOverrideEnable", "0"},
            {"\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager", "SafeDllSearchMode", "1"},
            {"\\REGISTRY\\USER\\S-1-5-21-3623811015-3361044348-30300820-1001\\Control Panel\\International", "LocaleName",
                    "en-US"},
            {"\\REGISTRY\\MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender", "DisableAntiSpyware", "0"},
    };

    private static final String[] DNS_NAMES = {
            "login.live.com", "settings-win.data.microsoft.com", "www.bing.com", "ctldl.windowsupdate.com",
            "example.org", "edge.microsoft.com", "v10.events.data.microsoft.com", "onedrive.live.com"};

    private static final String[] REMOTE_IPS = {
            "20.190.159.4", "13.107.42.14", "204.79.197.200", "93.184.215.14", "142.250.185.78", "52.113.194.132",
            "192.168.56.1", "10.0.2.3"};

    private final SplittableRandom random;
    private final int[] syscallCumulative;
    private final List<Proc> live = new ArrayList<>();
    private final BitSet idsInUse = new BitSet(ID_SLOTS);
    private final BitSet pidsEverUsed = new BitSet(ID_SLOTS);
    private long timeNanos = START_NANOS;
    private int transientAlive;
    private long processesCreated;
    private long pidsReused;
    private boolean started;

    public StoreWorkload(long seed) {
        this.random = new SplittableRandom(seed);
        this.syscallCumulative = new int[SYSCALLS.length];
        int sum = 0;
        for (int i = 0; i < SYSCALLS.length; i++) {
            sum += SYSCALL_WEIGHTS[i];
            syscallCumulative[i] = sum;
        }
    }

    /** Processes started during the trace so far (the start-up list not counted). */
    public long processesCreated() {
        return processesCreated;
    }

    /** Of those, how many got a pid that an earlier, ended process had. */
    public long pidsReused() {
        return pidsReused;
    }

    /**
     * Writes the next few records to {@code trace}: the start-up list the first time, then one burst of a
     * thread's activity (or one process creation or exit). Call it until the trace has enough.
     */
    public void step(Trace trace) {
        if (!started) {
            started = true;
            startupList(trace);
            return;
        }
        if (random.nextInt(PROCMON_ONE_IN) == 0) {
            procmon(trace);
            return;
        }
        Proc p = pickActive();
        int tid = p.tids()[random.nextInt(p.tids().length)];
        int vcpu = random.nextInt(2);
        int calls = 1 + random.nextInt(12);
        for (int i = 0; i < calls; i++) {
            Syscall call = pickSyscall();
            String[] values = values(call);
            trace.syscall(tick(), p, tid, vcpu, call, values);
            plugins(trace, p, tid, call, values);
            timeNanos += 2_000 + random.nextInt(40_000);
            trace.sysret(timeNanos, p, tid, vcpu, call, status(call));
        }
    }

    private void startupList(Trace trace) {
        Proc system = new Proc(4, 0, new int[] {8}, 0, "System", "System", "", "0x1aa000", 5, true);
        claim(4);
        claim(8);
        live.add(system);
        trace.runningProcess(timeNanos, system);
        for (String[] resident : RESIDENT) {
            int ppid = live.stream().filter(q -> q.baseName().equals(resident[1])).findFirst().orElseThrow().pid();
            Proc p = newProcess(ppid, resident[0], resident[3], Long.parseLong(resident[2]), true);
            live.add(p);
            trace.runningProcess(timeNanos, p);
        }
        trace.endOfStartupList();
    }

    private void procmon(Trace trace) {
        if (transientAlive == 0 || random.nextInt(2 * TARGET_TRANSIENT) >= transientAlive) {
            Proc parent = random.nextInt(3) == 0 ? live.get(random.nextInt(live.size()))
                    : live.get(1 + random.nextInt(RESIDENT.length));
            String[] program = TRANSIENT[random.nextInt(TRANSIENT.length)];
            Proc child = newProcess(parent.pid(), program[0], program[1], parent.sessionId(), false);
            processesCreated++;
            trace.created(tick(), parent, parent.tids()[0], child);
            live.add(child);
            transientAlive++;
            return;
        }
        Proc ended;
        do {
            ended = live.get(random.nextInt(live.size()));
        } while (ended.resident());
        boolean self = random.nextInt(4) != 0;
        Proc caller = self ? ended : live.get(random.nextInt(live.size()));
        long status = self ? 0 : random.nextBoolean() ? 1 : 0xC000013AL;
        trace.terminated(tick(), caller, caller.tids()[0], ended, status);
        live.remove(ended);
        transientAlive--;
        idsInUse.clear(ended.pid() / 4);
        for (int tid : ended.tids()) {
            idsInUse.clear(tid / 4);
        }
    }

    private Proc newProcess(int ppid, String name, String arguments, long session, boolean resident) {
        int pid = freeId();
        if (pidsEverUsed.get(pid / 4)) {
            pidsReused++;
        }
        pidsEverUsed.set(pid / 4);
        claim(pid);
        int[] tids = new int[1 + random.nextInt(resident ? 6 : 3)];
        for (int i = 0; i < tids.length; i++) {
            tids[i] = freeId();
            claim(tids[i]);
        }
        String folder = name.equals("msedge.exe") ? "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\"
                : name.equals("git.exe") ? "C:\\Program Files\\Git\\cmd\\"
                : name.equals("python.exe") ? "C:\\Python312\\" : "C:\\Windows\\System32\\";
        String image = name.equals("Registry") ? "Registry" : folder + name;
        String processName = name.equals("Registry") ? "Registry"
                : "\\Device\\HarddiskVolume2" + image.substring(2);
        String commandLine = resident ? arguments : ("\"" + image + "\" " + arguments).strip();
        double weight = Math.min(MAX_WEIGHT, 1 / Math.pow(1 - random.nextDouble(), 0.7));
        String cr3 = "0x" + Long.toHexString(0x1000L * (0x10000 + random.nextInt(0x100000)));
        return new Proc(pid, ppid, tids, session, image, processName, commandLine, cr3, weight, resident);
    }

    /** A free id slot, drawn at random so that ids of ended processes come back after a while. */
    private int freeId() {
        int slot = 2 + random.nextInt(ID_SLOTS - 2);
        int free = idsInUse.nextClearBit(slot);
        if (free >= ID_SLOTS) {
            free = idsInUse.nextClearBit(2);
        }
        if (free >= ID_SLOTS) {
            throw new IllegalStateException("the simulated guest ran out of process ids");
        }
        return free * 4;
    }

    private void claim(int id) {
        idsInUse.set(id / 4);
    }

    /** A live process, busy ones more often (weights follow a Pareto law, capped). */
    private Proc pickActive() {
        while (true) {
            Proc p = live.get(random.nextInt(live.size()));
            if (random.nextDouble() * MAX_WEIGHT < p.weight()) {
                return p;
            }
        }
    }

    private Syscall pickSyscall() {
        int r = random.nextInt(syscallCumulative[syscallCumulative.length - 1]);
        for (int i = 0; i < syscallCumulative.length; i++) {
            if (r < syscallCumulative[i]) {
                return SYSCALLS[i];
            }
        }
        throw new IllegalStateException("weights out of range");
    }

    private String[] values(Syscall call) {
        String[] values = new String[call.arguments().length];
        for (int i = 0; i < values.length; i++) {
            String argument = call.arguments()[i];
            if (argument.equals("ObjectAttributes") && call.target() == Target.FILE) {
                values[i] = FILES[random.nextInt(FILES.length)];
            } else if (argument.equals("ObjectAttributes") && call.target() == Target.REGISTRY) {
                values[i] = REGISTRY[random.nextInt(REGISTRY.length)][0];
            } else if (argument.endsWith("Length") || argument.endsWith("Class") || argument.equals("Alertable")) {
                values[i] = Integer.toString(random.nextInt(argument.equals("Alertable") ? 2 : 4096));
            } else if (argument.endsWith("Handle") || argument.equals("Handle")) {
                values[i] = "0x" + Integer.toHexString(4 * (1 + random.nextInt(0x400)));
            } else {
                values[i] = "0x" + Long.toHexString(0x7ff0_0000_0000L + random.nextLong(0x1_0000_0000L));
            }
        }
        return values;
    }

    private void plugins(Trace trace, Proc p, int tid, Syscall call, String[] values) {
        switch (call.target()) {
            case FILE -> {
                if (random.nextInt(3) == 0) {
                    String operation = switch (call.name()) {
                        case "NtCreateFile" -> "create";
                        case "NtOpenFile" -> "open";
                        case "NtReadFile" -> "read";
                        case "NtWriteFile" -> "write";
                        default -> "query";
                    };
                    trace.file(timeNanos + 1_000, p, tid, call, operation, FILES[random.nextInt(FILES.length)],
                            values[0].startsWith("0x") ? values[0] : "0x0");
                }
            }
            case REGISTRY -> {
                if (random.nextInt(2) == 0) {
                    String[] entry = REGISTRY[random.nextInt(REGISTRY.length)];
                    trace.registry(timeNanos + 1_000, p, tid, call, entry[0], entry[1], entry[2]);
                }
            }
            case NETWORK -> {
                if (random.nextInt(20) == 0) {
                    if (random.nextInt(4) == 0) {
                        trace.network(timeNanos + 1_000, p, tid, "DnsQueryExW", "UDPv4", "10.0.2.15", 0, "10.0.2.3",
                                53, DNS_NAMES[random.nextInt(DNS_NAMES.length)]);
                    } else {
                        boolean tcp = random.nextInt(5) != 0;
                        trace.network(timeNanos + 1_000, p, tid, tcp ? "TcpCreateAndConnectTcbComplete"
                                        : "UdpSendMessages", tcp ? "TCPv4" : "UDPv4", "10.0.2.15",
                                49152 + random.nextInt(16384), REMOTE_IPS[random.nextInt(REMOTE_IPS.length)],
                                tcp ? 443 : 53, null);
                    }
                }
            }
            default -> {
                // the syscall plugin is the only one reporting this call
            }
        }
    }

    /** STATUS_SUCCESS mostly; STATUS_TIMEOUT, STATUS_PENDING, STATUS_OBJECT_NAME_NOT_FOUND, … sometimes. */
    private long status(Syscall call) {
        int r = random.nextInt(100);
        if (r < 85) {
            return 0;
        }
        return switch (call.target()) {
            case FILE -> r < 95 ? 0xC0000034L : 0x103L;
            case REGISTRY -> 0xC0000034L;
            case NETWORK -> 0x103L;
            case NONE -> r < 95 ? 0x102L : 0xC0000008L;
        };
    }

    /** Advances the clock by an exponentially distributed gap and returns the new time. */
    private long tick() {
        timeNanos += (long) (-MEAN_GAP_NANOS * Math.log(1 - random.nextDouble()));
        return timeNanos;
    }

    /** The text DRAKVUF prints beside an NTSTATUS (sysret's {@code Info}, procmon's {@code ExitStatusStr}). */
    public static String statusName(long status) {
        return switch ((int) status) {
            case 0 -> "STATUS_SUCCESS";
            case 1 -> "STATUS_WAIT_1";
            case 0x102 -> "STATUS_TIMEOUT";
            case 0x103 -> "STATUS_PENDING";
            case 0xC0000008 -> "STATUS_INVALID_HANDLE";
            case 0xC0000034 -> "STATUS_OBJECT_NAME_NOT_FOUND";
            case 0xC000013A -> "STATUS_CONTROL_C_EXIT";
            default -> "";
        };
    }

    private static Syscall call(String name, int number, Target target, String... arguments) {
        return new Syscall(name, number, arguments, target);
    }
}
