package io.vmiscope.monitor;

import io.vmiscope.x86.ContextRead;
import io.vmiscope.linux.task.CurrentTaskReader;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.api.AccessContext;
import io.vmiscope.api.Gva;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.syscall.DecodedArg;
import io.vmiscope.linux.walk.ReadPlan;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Network events: connect, bind and listen at their syscall entries, and accepted connections at
 * {@code inet_getname}/{@code inet6_getname} called with {@code peer == 2} — only accept asks for the
 * peer's name that way, after the connection was taken from the queue, so the peer's address is in the
 * socket already (a blocking accept needs no return breakpoint).
 */
public final class NetworkEventsAction implements Action {

    private static final int AF_INET6 = 10;
    private static final int ACCEPT_PEER = 2;

    private final String id;
    private final ProcessFilter filter;
    private final SyscallEntries entries;
    private final List<Hook> hooks = new ArrayList<>();
    private final long socketSk;
    private final ReadPlan sockPlan;
    private final long daddr;
    private final long rcvSaddr;
    private final long dport;
    private final long num;
    private final long family;
    private final long v6daddr;

    public NetworkEventsAction(LinuxGuest linux, ProcessFilter filter) {
        this.id = new ActionSpec.NetworkEvents(filter).toString();
        this.filter = filter;
        this.entries = new SyscallEntries(linux);
        KernelProfile p = linux.profile();
        this.socketSk = p.offset("socket", "sk");
        long common = p.offset("sock", "__sk_common");
        this.daddr = common + p.offset("sock_common", "skc_daddr");
        this.rcvSaddr = common + p.offset("sock_common", "skc_rcv_saddr");
        this.dport = common + p.offset("sock_common", "skc_dport");
        this.num = common + p.offset("sock_common", "skc_num");
        this.family = common + p.offset("sock_common", "skc_family");
        this.v6daddr = common + p.offset("sock_common", "skc_v6_daddr");
        this.sockPlan = ReadPlan.builder(2048).field(daddr, 4).field(rcvSaddr, 4).field(dport, 2).field(num, 2)
                .field(family, 2).field(v6daddr, 16).build();
        hooks.addAll(entries.hooks(Set.of("connect", "bind", "listen"), this::onEntry));
        for (String getname : List.of("inet_getname", "inet6_getname")) {
            if (p.findSymbol(getname).isPresent()) {
                hooks.add(new Hook(getname, Gva.of(linux.address(getname)), this::onGetname));
            }
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Hook> hooks() {
        return List.copyOf(hooks);
    }


    private void onEntry(Hit hit, SyscallEntries.Call call) {
        ProcessRef process = hit.process();
        if (!filter.matches(process)) {
            return;
        }
        List<DecodedArg> args = entries.decode(hit, call);
        String address = args.stream().filter(a -> a.type().equals("SOCKADDR")).map(DecodedArg::text)
                .findFirst().orElse("");
        hit.emit(new NetworkEvent(hit.timeNanos(), hit.vm(), id, process, call.name(), address, (int) call.args()[0],
                call.name()));
    }

    /** {@code inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer)}. */
    private void onGetname(Hit hit) {
        if (hit.register("rdx") != ACCEPT_PEER) {
            return;
        }
        ContextRead skRead = ContextRead.of(AccessContext.kernel(Gva.of(hit.register("rdi") + socketSk)), 8);
        hit.readWithCurrentTask(List.of(skRead));
        ProcessRef process = hit.process();
        if (!filter.matches(process)) {
            return;
        }
        long sk = CurrentTaskReader.pointer(skRead);
        ReadPlan.Block s = sockPlan.read(hit.memory(), Gva.of(sk));
        int port = Short.toUnsignedInt(Short.reverseBytes((short) s.u32(dport)));
        String peer = hostPort((s.u32(family) & 0xffff) == AF_INET6 ? s.bytes(v6daddr, 16) : le32(s.u32(daddr)), port);
        String local = hostPort(le32(s.u32(rcvSaddr)), s.u32(num) & 0xffff);
        hit.emit(new NetworkEvent(hit.timeNanos(), hit.vm(), id, process, "accept", peer + " -> " + local, -1,
                "accept"));
    }

    /** A network-order IPv4 address as stored in memory (little-endian u32 read) back to its bytes. */
    private static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** {@code 1.2.3.4:80}, {@code [::1]:80}; an IPv4-mapped IPv6 peer (a dual-stack socket) shows as IPv4. */
    private static String hostPort(byte[] address, int port) {
        try {
            InetAddress ip = InetAddress.getByAddress(address);
            return (ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress()) + ":" + port;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
