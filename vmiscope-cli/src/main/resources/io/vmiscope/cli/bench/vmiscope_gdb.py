# Shared by vmiscope's gdb benchmark scripts: the JSON config they are given, the connection to the
# stub (made on import), and one-request-per-call reads. Written beside the scripts by GdbScript.
import json
import os
import struct

import gdb

cfg = json.load(open(os.environ["VMISCOPE_BENCH_CONFIG"]))

gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("set architecture i386:x86-64", to_string=True)
gdb.execute("target remote %s" % cfg["target"], to_string=True)
inf = gdb.selected_inferior()


def rd(addr, n):
    return bytes(inf.read_memory(addr, n))


def u64(addr):
    return struct.unpack("<Q", rd(addr, 8))[0]


def u32(addr):
    return struct.unpack("<I", rd(addr, 4))[0]
