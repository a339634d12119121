# Baseline for `vmiscope bench trace`: Debian's gdb tracing openat and execve over the same QEMU
# gdbstub, decoding what vmiscope decodes (the current task's pid, tgid, ppid, uid and name; the
# syscall's arguments; the path and argv strings from the caller's memory), the way a gdb user writes
# it: a gdb.Breakpoint whose stop() reads with one request per field and returns False to go on.
# Run as: VMISCOPE_BENCH_CONFIG=cfg.json gdb -nx -batch -x gdb_trace.py
import json
import os
import sys
import threading
import time

import gdb

sys.path.insert(0, os.path.dirname(os.environ["VMISCOPE_BENCH_CONFIG"]))
from vmiscope_gdb import cfg, rd, u32, u64  # noqa: E402  (connects to the stub)

off = cfg["offsets"]
O_FLAGS = [(0o1, "O_WRONLY"), (0o2, "O_RDWR"), (0o100, "O_CREAT"), (0o200, "O_EXCL"), (0o1000, "O_TRUNC"),
           (0o2000, "O_APPEND"), (0o4000, "O_NONBLOCK"), (0o200000, "O_DIRECTORY"), (0o2000000, "O_CLOEXEC")]

out = open(cfg["output"], "w")
count = {"events": 0}


def reg(name):
    return int(gdb.parse_and_eval("$" + name)) & 0xFFFFFFFFFFFFFFFF


def cstring(addr, cap=4096):
    data = b""
    try:
        while len(data) < cap:
            chunk = rd(addr + len(data), min(256, cap - len(data)))
            nul = chunk.find(b"\0")
            if nul >= 0:
                return (data + chunk[:nul]).decode("utf-8", "replace")
            data += chunk
    except gdb.MemoryError:
        pass
    return data.decode("utf-8", "replace")


def current():
    task = u64(reg("gs_base") + cfg["currentTask"])
    return {"pid": u32(task + off["tgid"]), "tid": u32(task + off["pid"]),
            "ppid": u32(u64(task + off["real_parent"]) + off["tgid"]),
            "uid": u32(u64(task + off["real_cred"]) + off["cred_uid"]),
            "process": rd(task + off["comm"], 16).split(b"\0")[0].decode("utf-8", "replace")}


def flags(value):
    names = [n for bit, n in O_FLAGS if value & bit]
    return "|".join(names or ["O_RDONLY"])


class Trace(gdb.Breakpoint):
    def __init__(self, address, name):
        super().__init__("*0x%x" % address, internal=True)
        self.syscall = name

    def stop(self):
        regs = reg("rdi")
        args = [u64(regs + off["pt_regs_" + r]) for r in ("di", "si", "dx", "r10")]
        event = current()
        event["syscall"] = self.syscall
        if self.syscall == "openat":
            event["args"] = [args[0], cstring(args[1]), flags(args[2]), "0%o" % args[3]]
        else:
            argv = []
            for i in range(cfg["maxArgv"]):
                p = u64(args[1] + 8 * i)
                if p == 0:
                    break
                argv.append(cstring(p))
            event["args"] = [cstring(args[0]), argv]
        out.write(json.dumps(event) + "\n")
        count["events"] += 1
        return time.monotonic() >= deadline  # True ends the `continue` below


deadline = time.monotonic() + cfg["seconds"]
for name, address in cfg["hooks"].items():
    Trace(address, name)

# Safety net if the guest stops making syscalls: interrupt from gdb's own event loop.
safety = threading.Timer(cfg["seconds"] + 10, lambda: gdb.post_event(lambda: gdb.execute("interrupt")))
safety.daemon = True
safety.start()
t0 = time.monotonic()
gdb.execute("continue", to_string=True)
elapsed = time.monotonic() - t0
safety.cancel()
out.close()
with open(cfg["summary"], "w") as s:
    json.dump({"events": count["events"], "seconds": elapsed}, s)
gdb.execute("delete", to_string=True)
gdb.execute("detach", to_string=True)
