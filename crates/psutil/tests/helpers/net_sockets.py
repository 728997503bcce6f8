"""Opens one socket of every kind psutil's net_connections() reports and
prints, as one JSON line, what each should look like:
name -> [fd, family, type, laddr, raddr, status]. Then waits for stdin
to close. Used by tests/system_net.rs and the CLI tests."""
import json
import os
import socket
import sys
import tempfile

keep = {}
out = {}


def inet_addr(a):
    return list(a[:2]) if a and a[1] else []


def unix_addr(a):
    if isinstance(a, bytes):
        return "@" + a[1:].decode() if a[:1] == b"\0" else a.decode()
    return a or ""


def add(name, s, status):
    keep[name] = s
    if s.family == socket.AF_UNIX:
        laddr, raddr = unix_addr(s.getsockname()), ""
    else:
        laddr = inet_addr(s.getsockname())
        try:
            raddr = inet_addr(s.getpeername())
        except OSError:
            raddr = []
    out[name] = [s.fileno(), int(s.family), int(s.type), laddr, raddr, status]


def tcp_pair(tag, fam, host, client_fam=None, client_host=None):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.bind((host, 0))
    srv.listen(5)
    add(tag + "_listen", srv, "LISTEN")
    cli = socket.socket(client_fam or fam, socket.SOCK_STREAM)
    cli.connect((client_host or host, srv.getsockname()[1]))
    add(tag + "_client", cli, "ESTABLISHED")
    acc, _ = srv.accept()
    add(tag + "_accepted", acc, "ESTABLISHED")


tcp_pair("tcp4", socket.AF_INET, "127.0.0.1")
tcp_pair("tcp6", socket.AF_INET6, "::1")
# An IPv6 socket talking to an IPv4 listener: a v4-mapped address.
tcp_pair("mapped", socket.AF_INET, "127.0.0.1", socket.AF_INET6, "::ffff:127.0.0.1")

u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u4.bind(("127.0.0.1", 0))
add("udp4_bound", u4, "NONE")
u4c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u4c.connect(u4.getsockname())
add("udp4_connected", u4c, "NONE")
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.bind(("::1", 0))
add("udp6_bound", u6, "NONE")

d = tempfile.mkdtemp(prefix="psutil-rs-net ")
path = os.path.join(d, "a sock")
us = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
us.bind(path)
us.listen(5)
add("unix_listen", us, "NONE")
uc = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
uc.connect(path)
add("unix_client", uc, "NONE")
ua, _ = us.accept()
add("unix_accepted", ua, "NONE")
ud = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
ud.bind(b"\0psutil-rs-test-%d" % os.getpid())
add("unix_abstract", ud, "NONE")

print(json.dumps(out), flush=True)
sys.stdin.read()
os.unlink(path)
os.rmdir(d)
