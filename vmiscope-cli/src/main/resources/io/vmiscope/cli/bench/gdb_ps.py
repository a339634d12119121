# Baseline for `vmiscope bench ps`: Debian's gdb producing the same process list over the same QEMU
# gdbstub, written the way a gdb user would: one read per field, kernel memory read through the
# stub's virtual addressing, a manual page walk (in QEMU's physical-memory mode) for each argv.
# Run as: VMISCOPE_BENCH_CONFIG=cfg.json gdb -nx -batch -x gdb_ps.py
import json
import os
import sys
import time

import gdb

sys.path.insert(0, os.path.dirname(os.environ["VMISCOPE_BENCH_CONFIG"]))
from vmiscope_gdb import cfg, rd, u32, u64  # noqa: E402  (connects to the stub)

off = cfg["offsets"]
PF_KTHREAD = 0x00200000
ADDR = 0x000FFFFFFFFFF000

def physical(on):
    gdb.execute("maint packet Qqemu.PhyMemMode:%d" % (1 if on else 0), to_string=True)


def user_to_physical(cr3, va):
    table = cr3 & ADDR
    for shift in (39, 30, 21, 12):
        entry = u64(table + ((va >> shift) & 0x1FF) * 8)
        if not entry & 1:
            return None
        if shift in (30, 21) and entry & 0x80:
            size = 1 << shift
            return (entry & ADDR & ~(size - 1)) | (va & (size - 1))
        table = entry & ADDR
    return table | (va & 0xFFF)


def read_argv(cr3, start, end):
    length = min(end - start, cfg["maxArgvBytes"])
    data = b""
    physical(True)
    try:
        va = start
        while len(data) < length:
            pa = user_to_physical(cr3, va)
            if pa is None:
                return None
            chunk = min(length - len(data), 4096 - (va & 0xFFF))
            data += rd(pa, chunk)
            va += chunk
    except gdb.MemoryError:
        return None
    finally:
        physical(False)
    return [a.decode("utf-8", "replace") for a in data.split(b"\0") if a] if data else []


def listing():
    page_offset_base = u64(cfg["pageOffsetBase"])
    init_task = cfg["initTask"]
    procs = []
    task = init_task
    for _ in range(cfg["maxNodes"]):
        pid = u32(task + off["pid"])
        tgid = u32(task + off["tgid"])
        comm = rd(task + off["comm"], 16).split(b"\0")[0].decode("utf-8", "replace")
        ppid = u32(u64(task + off["real_parent"]) + off["tgid"])
        cred = u64(task + off["real_cred"])
        uid = u32(cred + off["cred_uid"])
        gid = u32(cred + off["cred_gid"])
        flags = u32(task + off["flags"])
        state = u32(task + off["state"])
        exit_state = u32(task + off["exit_state"])
        start_time = u64(task + off["start_time"])
        mm = u64(task + off["mm"])
        argv = []
        if mm and not flags & PF_KTHREAD:
            pgd = u64(mm + off["mm_pgd"])
            arg_start = u64(mm + off["mm_arg_start"])
            arg_end = u64(mm + off["mm_arg_end"])
            if arg_end > arg_start:
                argv = read_argv(pgd - page_offset_base, arg_start, arg_end) or []
        if pid != 0:
            procs.append({"pid": tgid, "ppid": ppid, "comm": comm, "uid": uid, "gid": gid,
                          "state": state | exit_state, "start": start_time, "argv": argv})
        task = u64(task + off["tasks"]) - off["tasks"]
        if task == init_task:
            break
    return procs


times = []
result = None
for i in range(cfg["warmup"] + cfg["runs"]):
    t0 = time.perf_counter_ns()
    result = listing()
    t1 = time.perf_counter_ns()
    if i >= cfg["warmup"]:
        times.append(t1 - t0)

with open(cfg["output"], "w") as out:
    json.dump({"walkNanos": times, "processes": result}, out)
gdb.execute("detach", to_string=True)
