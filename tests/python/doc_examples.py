"""Every Python example in psutil 7.2.2's documentation, verbatim.

Extracted from the psutil 7.2.2 sdist (docs/index.rst and README.rst):
every ``>>>`` doctest block and every Python code block, in document order,
byte for byte (only the reST indentation of the block is removed). Shell
snippets (``pip install``, ``make test``, ``PSUTIL_DEBUG=1 ...``) are not
Python and are left out. ``tests/python/test_doc_examples.py`` runs them.

Each entry: ``where`` (file:line of the block's first line in the sdist),
``code`` (the block), and for a script whose output the docs show in a
separate block, ``prints`` (that block).
"""

EXAMPLES = [
    {
        "where": 'docs/index.rst:144',
        "code": '>>> import psutil\n>>> psutil.cpu_times()\nscputimes(user=17411.7, nice=77.99, system=3797.02, idle=51266.57, iowait=732.58, irq=0.01, softirq=142.43, steal=0.0, guest=0.0, guest_nice=0.0)\n',
    },
    {
        "where": 'docs/index.rst:176',
        "code": '>>> import psutil\n>>> # blocking\n>>> psutil.cpu_percent(interval=1)\n2.0\n>>> # non-blocking (percentage since last call)\n>>> psutil.cpu_percent(interval=None)\n2.9\n>>> # blocking, per-cpu\n>>> psutil.cpu_percent(interval=1, percpu=True)\n[2.0, 1.0]\n>>>\n',
    },
    {
        "where": 'docs/index.rst:230',
        "code": '>>> import psutil\n>>> psutil.cpu_count()\n4\n>>> psutil.cpu_count(logical=False)\n2\n',
    },
    {
        "where": 'docs/index.rst:243',
        "code": '>>> len(psutil.Process().cpu_affinity())\n1\n',
    },
    {
        "where": 'docs/index.rst:264',
        "code": '>>> import psutil\n>>> psutil.cpu_stats()\nscpustats(ctx_switches=20455687, interrupts=6598984, soft_interrupts=2134212, syscalls=0)\n',
    },
    {
        "where": 'docs/index.rst:286',
        "code": '>>> import psutil\n>>> psutil.cpu_freq()\nscpufreq(current=931.42925, min=800.0, max=3500.0)\n>>> psutil.cpu_freq(percpu=True)\n[scpufreq(current=2394.945, min=800.0, max=3500.0),\n scpufreq(current=2236.812, min=800.0, max=3500.0),\n scpufreq(current=1703.609, min=800.0, max=3500.0),\n scpufreq(current=1754.289, min=800.0, max=3500.0)]\n',
    },
    {
        "where": 'docs/index.rst:321',
        "code": '>>> import psutil\n>>> psutil.getloadavg()\n(3.14, 3.89, 4.67)\n>>> psutil.cpu_count()\n10\n>>> # percentage representation\n>>> [x / psutil.cpu_count() * 100 for x in psutil.getloadavg()]\n[31.4, 38.9, 46.7]\n',
    },
    {
        "where": 'docs/index.rst:381',
        "code": '>>> import psutil\n>>> mem = psutil.virtual_memory()\n>>> mem\nsvmem(total=10367352832, available=6472179712, percent=37.6, used=8186245120, free=2181107712, active=4748992512, inactive=2758115328, buffers=790724608, cached=3500347392, shared=787554304, slab=199348224)\n>>>\n>>> THRESHOLD = 100 * 1024 * 1024  # 100MB\n>>> if mem.available <= THRESHOLD:\n...     print("warning")\n...\n>>>\n',
    },
    {
        "where": 'docs/index.rst:414',
        "code": '>>> import psutil\n>>> psutil.swap_memory()\nsswap(total=2097147904L, used=886620160L, free=1210527744L, percent=42.3, sin=1050411008, sout=1906720768)\n',
    },
    {
        "where": 'docs/index.rst:447',
        "code": ">>> import psutil\n>>> psutil.disk_partitions()\n[sdiskpart(device='/dev/sda3', mountpoint='/', fstype='ext4', opts='rw,errors=remount-ro'),\n sdiskpart(device='/dev/sda7', mountpoint='/home', fstype='ext4', opts='rw')]\n",
    },
    {
        "where": 'docs/index.rst:466',
        "code": ">>> import psutil\n>>> psutil.disk_usage('/')\nsdiskusage(total=21378641920, used=4809781248, free=15482871808, percent=22.5)\n",
    },
    {
        "where": 'docs/index.rst:520',
        "code": ">>> import psutil\n>>> psutil.disk_io_counters()\nsdiskio(read_count=8141, write_count=2431, read_bytes=290203, write_bytes=537676, read_time=5868, write_time=94922)\n>>>\n>>> psutil.disk_io_counters(perdisk=True)\n{'sda1': sdiskio(read_count=920, write_count=1, read_bytes=2933248, write_bytes=512, read_time=6016, write_time=4),\n 'sda2': sdiskio(read_count=18707, write_count=8830, read_bytes=6060, write_bytes=3443, read_time=24585, write_time=1572),\n 'sdb1': sdiskio(read_count=161, write_count=0, read_bytes=786432, write_bytes=0, read_time=44, write_time=0)}\n",
    },
    {
        "where": 'docs/index.rst:575',
        "code": ">>> import psutil\n>>> psutil.net_io_counters()\nsnetio(bytes_sent=14508483, bytes_recv=62749361, packets_sent=84311, packets_recv=94888, errin=0, errout=0, dropin=0, dropout=0)\n>>>\n>>> psutil.net_io_counters(pernic=True)\n{'lo': snetio(bytes_sent=547971, bytes_recv=547971, packets_sent=5075, packets_recv=5075, errin=0, errout=0, dropin=0, dropout=0),\n'wlan0': snetio(bytes_sent=13921765, bytes_recv=62162574, packets_sent=79097, packets_recv=89648, errin=0, errout=0, dropin=0, dropout=0)}\n",
    },
    {
        "where": 'docs/index.rst:652',
        "code": ">>> import psutil\n>>> psutil.net_connections()\n[pconn(fd=115, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=48776), raddr=addr(ip='93.186.135.91', port=80), status='ESTABLISHED', pid=1254),\n pconn(fd=117, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=43761), raddr=addr(ip='72.14.234.100', port=80), status='CLOSING', pid=2987),\n pconn(fd=-1, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=60759), raddr=addr(ip='72.14.234.104', port=80), status='ESTABLISHED', pid=None),\n pconn(fd=-1, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=51314), raddr=addr(ip='72.14.234.83', port=443), status='SYN_SENT', pid=None)\n ...]\n",
    },
    {
        "where": 'docs/index.rst:704',
        "code": ">>> import psutil\n>>> psutil.net_if_addrs()\n{'lo': [snicaddr(family=<AddressFamily.AF_INET: 2>, address='127.0.0.1', netmask='255.0.0.0', broadcast='127.0.0.1', ptp=None),\n        snicaddr(family=<AddressFamily.AF_INET6: 10>, address='::1', netmask='ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', broadcast=None, ptp=None),\n        snicaddr(family=<AddressFamily.AF_LINK: 17>, address='00:00:00:00:00:00', netmask=None, broadcast='00:00:00:00:00:00', ptp=None)],\n 'wlan0': [snicaddr(family=<AddressFamily.AF_INET: 2>, address='192.168.1.3', netmask='255.255.255.0', broadcast='192.168.1.255', ptp=None),\n           snicaddr(family=<AddressFamily.AF_INET6: 10>, address='fe80::c685:8ff:fe45:641%wlan0', netmask='ffff:ffff:ffff:ffff::', broadcast=None, ptp=None),\n           snicaddr(family=<AddressFamily.AF_LINK: 17>, address='c4:85:08:45:06:41', netmask=None, broadcast='ff:ff:ff:ff:ff:ff', ptp=None)]}\n>>>\n",
    },
    {
        "where": 'docs/index.rst:763',
        "code": ">>> import psutil\n>>> psutil.net_if_stats()\n{'eth0': snicstats(isup=True, duplex=<NicDuplex.NIC_DUPLEX_FULL: 2>, speed=100, mtu=1500, flags='up,broadcast,running,multicast'),\n 'lo': snicstats(isup=True, duplex=<NicDuplex.NIC_DUPLEX_UNKNOWN: 0>, speed=0, mtu=65536, flags='up,loopback,running')}\n",
    },
    {
        "where": 'docs/index.rst:789',
        "code": ">>> import psutil\n>>> psutil.sensors_temperatures()\n{'acpitz': [shwtemp(label='', current=47.0, high=103.0, critical=103.0)],\n 'asus': [shwtemp(label='', current=47.0, high=None, critical=None)],\n 'coretemp': [shwtemp(label='Physical id 0', current=52.0, high=100.0, critical=100.0),\n              shwtemp(label='Core 0', current=45.0, high=100.0, critical=100.0),\n              shwtemp(label='Core 1', current=52.0, high=100.0, critical=100.0),\n              shwtemp(label='Core 2', current=45.0, high=100.0, critical=100.0),\n              shwtemp(label='Core 3', current=47.0, high=100.0, critical=100.0)]}\n",
    },
    {
        "where": 'docs/index.rst:815',
        "code": ">>> import psutil\n>>> psutil.sensors_fans()\n{'asus': [sfan(label='cpu_fan', current=3200)]}\n",
    },
    {
        "where": 'docs/index.rst:843',
        "code": '>>> import psutil\n>>>\n>>> def secs2hours(secs):\n...     mm, ss = divmod(secs, 60)\n...     hh, mm = divmod(mm, 60)\n...     return "%d:%02d:%02d" % (hh, mm, ss)\n...\n>>> battery = psutil.sensors_battery()\n>>> battery\nsbattery(percent=93, secsleft=16628, power_plugged=False)\n>>> print("charge = %s%%, time left = %s" % (battery.percent, secs2hours(battery.secsleft)))\ncharge = 93%, time left = 4:37:08\n',
    },
    {
        "where": 'docs/index.rst:876',
        "code": '>>> import psutil, datetime\n>>> psutil.boot_time()\n1389563460.0\n>>> datetime.datetime.fromtimestamp(psutil.boot_time()).strftime("%Y-%m-%d %H:%M:%S")\n\'2014-01-12 22:51:00\'\n',
    },
    {
        "where": 'docs/index.rst:902',
        "code": ">>> import psutil\n>>> psutil.users()\n[suser(name='giampaolo', terminal='pts/2', host='localhost', started=1340737536.0, pid=1352),\n suser(name='giampaolo', terminal='pts/3', host='localhost', started=1340737792.0, pid=1788)]\n",
    },
    {
        "where": 'docs/index.rst:922',
        "code": '>>> import psutil\n>>> psutil.pids()\n[1, 2, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, ..., 32498]\n',
    },
    {
        "where": 'docs/index.rst:949',
        "code": ">>> import psutil\n>>> for proc in psutil.process_iter(['pid', 'name', 'username']):\n...     print(proc.info)\n...\n{'name': 'systemd', 'pid': 1, 'username': 'root'}\n{'name': 'kthreadd', 'pid': 2, 'username': 'root'}\n{'name': 'ksoftirqd/0', 'pid': 3, 'username': 'root'}\n...\n",
    },
    {
        "where": 'docs/index.rst:960',
        "code": ">>> import psutil\n>>> procs = {p.pid: p.info for p in psutil.process_iter(['name', 'username'])}\n>>> procs\n{1: {'name': 'systemd', 'username': 'root'},\n 2: {'name': 'kthreadd', 'username': 'root'},\n 3: {'name': 'ksoftirqd/0', 'username': 'root'},\n ...}\n",
    },
    {
        "where": 'docs/index.rst:970',
        "code": '>>> psutil.process_iter.cache_clear()\n',
    },
    {
        "where": 'docs/index.rst:1008',
        "code": 'import psutil\n\ndef on_terminate(proc):\n    print("process {} terminated with exit code {}".format(proc, proc.returncode))\n\nprocs = psutil.Process().children()\nfor p in procs:\n    p.terminate()\ngone, alive = psutil.wait_procs(procs, timeout=3, callback=on_terminate)\nfor p in alive:\n    p.kill()\n',
    },
    {
        "where": 'docs/index.rst:1123',
        "code": '>>> import psutil\n>>> p = psutil.Process()\n>>> with p.oneshot():\n...     p.name()  # execute internal routine once collecting multiple info\n...     p.cpu_times()  # return cached value\n...     p.cpu_percent()  # return cached value\n...     p.create_time()  # return cached value\n...     p.ppid()  # return cached value\n...     p.status()  # return cached value\n...\n>>>\n',
    },
    {
        "where": 'docs/index.rst:1207',
        "code": ">>> import psutil\n>>> psutil.Process().exe()\n'/usr/bin/python3'\n",
    },
    {
        "where": 'docs/index.rst:1216',
        "code": ">>> import psutil\n>>> psutil.Process().cmdline()\n['python', 'manage.py', 'runserver']\n",
    },
    {
        "where": 'docs/index.rst:1225',
        "code": ">>> import psutil\n>>> psutil.Process().environ()\n{'LC_NUMERIC': 'it_IT.UTF-8', 'QT_QPA_PLATFORMTHEME': 'appmenu-qt5', 'IM_CONFIG_PHASE': '1', 'XDG_GREETER_DATA_DIR': '/var/lib/lightdm-data/giampaolo', 'XDG_CURRENT_DESKTOP': 'Unity', 'UPSTART_EVENTS': 'started starting', 'GNOME_KEYRING_PID': '', 'XDG_VTNR': '7', 'QT_IM_MODULE': 'ibus', 'LOGNAME': 'giampaolo', 'USER': 'giampaolo', 'PATH': '/home/giampaolo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games:/snap/bin:/home/giampaolo/svn/sysconf/bin', 'LC_PAPER': 'it_IT.UTF-8', 'GNOME_KEYRING_CONTROL': '', 'GTK_IM_MODULE': 'ibus', 'DISPLAY': ':0', 'LANG': 'en_US.UTF-8', 'LESS_TERMCAP_se': '\\x1b[0m', 'TERM': 'xterm-256color', 'SHELL': '/bin/bash', 'XDG_SESSION_PATH': '/org/freedesktop/DisplayManager/Session0', 'XAUTHORITY': '/home/giampaolo/.Xauthority', 'LANGUAGE': 'en_US', 'COMPIZ_CONFIG_PROFILE': 'ubuntu', 'LC_MONETARY': 'it_IT.UTF-8', 'QT_LINUX_ACCESSIBILITY_ALWAYS_ON': '1', 'LESS_TERMCAP_me': '\\x1b[0m', 'LESS_TERMCAP_md': '\\x1b[01;38;5;74m', 'LESS_TERMCAP_mb': '\\x1b[01;31m', 'HISTSIZE': '100000', 'UPSTART_INSTANCE': '', 'CLUTTER_IM_MODULE': 'xim', 'WINDOWID': '58786407', 'EDITOR': 'vim', 'SESSIONTYPE': 'gnome-session', 'XMODIFIERS': '@im=ibus', 'GPG_AGENT_INFO': '/home/giampaolo/.gnupg/S.gpg-agent:0:1', 'HOME': '/home/giampaolo', 'HISTFILESIZE': '100000', 'QT4_IM_MODULE': 'xim', 'GTK2_MODULES': 'overlay-scrollbar', 'XDG_SESSION_DESKTOP': 'ubuntu', 'SHLVL': '1', 'XDG_RUNTIME_DIR': '/run/user/1000', 'INSTANCE': 'Unity', 'LC_ADDRESS': 'it_IT.UTF-8', 'SSH_AUTH_SOCK': '/run/user/1000/keyring/ssh', 'VTE_VERSION': '4205', 'GDMSESSION': 'ubuntu', 'MANDATORY_PATH': '/usr/share/gconf/ubuntu.mandatory.path', 'VISUAL': 'vim', 'DESKTOP_SESSION': 'ubuntu', 'QT_ACCESSIBILITY': '1', 'XDG_SEAT_PATH': '/org/freedesktop/DisplayManager/Seat0', 'LESSCLOSE': '/usr/bin/lesspipe %s %s', 'LESSOPEN': '| /usr/bin/lesspipe %s', 'XDG_SESSION_ID': 'c2', 'DBUS_SESSION_BUS_ADDRESS': 'unix:abstract=/tmp/dbus-9GAJpvnt8r', '_': '/usr/bin/python', 'DEFAULTS_PATH': '/usr/share/gconf/ubuntu.default.path', 'LC_IDENTIFICATION': 'it_IT.UTF-8', 'LESS_TERMCAP_ue': '\\x1b[0m', 'UPSTART_SESSION': 'unix:abstract=/com/ubuntu/upstart-session/1000/1294', 'XDG_CONFIG_DIRS': '/etc/xdg/xdg-ubuntu:/usr/share/upstart/xdg:/etc/xdg', 'GTK_MODULES': 'gail:atk-bridge:unity-gtk-module', 'XDG_SESSION_TYPE': 'x11', 'PYTHONSTARTUP': '/home/giampaolo/.pythonstart', 'LC_NAME': 'it_IT.UTF-8', 'OLDPWD': '/home/giampaolo/svn/curio_giampaolo/tests', 'GDM_LANG': 'en_US', 'LC_TELEPHONE': 'it_IT.UTF-8', 'HISTCONTROL': 'ignoredups:erasedups', 'LC_MEASUREMENT': 'it_IT.UTF-8', 'PWD': '/home/giampaolo/svn/curio_giampaolo', 'JOB': 'gnome-session', 'LESS_TERMCAP_us': '\\x1b[04;38;5;146m', 'UPSTART_JOB': 'unity-settings-daemon', 'LC_TIME': 'it_IT.UTF-8', 'LESS_TERMCAP_so': '\\x1b[38;5;246m', 'PAGER': 'less', 'XDG_DATA_DIRS': '/usr/share/ubuntu:/usr/share/gnome:/usr/local/share/:/usr/share/:/var/lib/snapd/desktop', 'XDG_SEAT': 'seat0'}\n",
    },
    {
        "where": 'docs/index.rst:1247',
        "code": '>>> import psutil, datetime\n>>> p = psutil.Process()\n>>> p.create_time()\n1307289803.47\n>>> datetime.datetime.fromtimestamp(p.create_time()).strftime("%Y-%m-%d %H:%M:%S")\n\'2011-03-05 18:03:52\'\n',
    },
    {
        "where": 'docs/index.rst:1269',
        "code": ">>> import psutil\n>>> p = psutil.Process()\n>>> p.as_dict(attrs=['pid', 'name', 'username'])\n{'username': 'giampaolo', 'pid': 12366, 'name': 'python'}\n>>>\n>>> # get a list of valid attrs names\n>>> list(psutil.Process().as_dict().keys())\n['cmdline', 'connections', 'cpu_affinity', 'cpu_num', 'cpu_percent', 'cpu_times', 'create_time', 'cwd', 'environ', 'exe', 'gids', 'io_counters', 'ionice', 'memory_full_info', 'memory_info', 'memory_maps', 'memory_percent', 'name', 'net_connections', 'nice', 'num_ctx_switches', 'num_fds', 'num_threads', 'open_files', 'pid', 'ppid', 'status', 'terminal', 'threads', 'uids', 'username']\n",
    },
    {
        "where": 'docs/index.rst:1345',
        "code": '>>> import psutil\n>>> p = psutil.Process()\n>>> p.nice(10)  # set\n>>> p.nice()  # get\n10\n>>>\n',
    },
    {
        "where": 'docs/index.rst:1360',
        "code": '>>> p.nice(psutil.HIGH_PRIORITY_CLASS)\n',
    },
    {
        "where": 'docs/index.rst:1395',
        "code": '>>> import psutil\n>>> p = psutil.Process()\n>>> if psutil.LINUX:\n...     p.ionice(psutil.IOPRIO_CLASS_RT, value=7)\n... else:\n...     p.ionice(psutil.IOPRIO_HIGH)\n...\n>>> p.ionice()  # get\npionice(ioclass=<IOPriority.IOPRIO_CLASS_RT: 1>, value=7)\n',
    },
    {
        "where": 'docs/index.rst:1421',
        "code": '>>> import psutil\n>>> p = psutil.Process()\n>>> p.rlimit(psutil.RLIMIT_NOFILE, (128, 128))   # process can open max 128 file descriptors\n>>> p.rlimit(psutil.RLIMIT_FSIZE, (1024, 1024))  # can create files no bigger than 1024 bytes\n>>> p.rlimit(psutil.RLIMIT_FSIZE)                # get\n(1024, 1024)\n>>>\n',
    },
    {
        "where": 'docs/index.rst:1470',
        "code": '>>> import psutil\n>>> p = psutil.Process()\n>>> p.io_counters()\npio(read_count=454556, write_count=3456, read_bytes=110592, write_bytes=0, read_chars=769931, write_chars=203)\n',
    },
    {
        "where": 'docs/index.rst:1533',
        "code": '>>> import psutil\n>>> p = psutil.Process()\n>>> p.cpu_times()\npcputimes(user=0.03, system=0.67, children_user=0.0, children_system=0.0, iowait=0.08)\n>>> sum(p.cpu_times()[:2])  # cumulative, excluding children and iowait\n0.70\n',
    },
    {
        "where": 'docs/index.rst:1560',
        "code": '>>> import psutil\n>>> p = psutil.Process()\n>>> # blocking\n>>> p.cpu_percent(interval=1)\n2.0\n>>> # non-blocking (percentage since last call)\n>>> p.cpu_percent(interval=None)\n2.9\n',
    },
    {
        "where": 'docs/index.rst:1604',
        "code": '>>> import psutil\n>>> psutil.cpu_count()\n4\n>>> p = psutil.Process()\n>>> # get\n>>> p.cpu_affinity()\n[0, 1, 2, 3]\n>>> # set; from now on, process will run on CPU #0 and #1 only\n>>> p.cpu_affinity([0, 1])\n>>> p.cpu_affinity()\n[0, 1]\n>>> # reset affinity against all eligible CPUs\n>>> p.cpu_affinity([])\n',
    },
    {
        "where": 'docs/index.rst:1707',
        "code": '>>> import psutil\n>>> p = psutil.Process()\n>>> p.memory_info()\npmem(rss=15491072, vms=84025344, shared=5206016, text=2555904, lib=0, data=9891840, dirty=0)\n',
    },
    {
        "where": 'docs/index.rst:1749',
        "code": '>>> import psutil\n>>> p = psutil.Process()\n>>> p.memory_full_info()\npfullmem(rss=10199040, vms=52133888, shared=3887104, text=2867200, lib=0, data=5967872, dirty=0, uss=6545408, pss=6872064, swap=0)\n>>>\n',
    },
    {
        "where": 'docs/index.rst:1809',
        "code": ">>> import psutil\n>>> p = psutil.Process()\n>>> p.memory_maps()\n[pmmap_grouped(path='/lib/x8664-linux-gnu/libutil-2.15.so', rss=32768, size=2125824, pss=32768, shared_clean=0, shared_dirty=0, private_clean=20480, private_dirty=12288, referenced=32768, anonymous=12288, swap=0),\n pmmap_grouped(path='/lib/x8664-linux-gnu/libc-2.15.so', rss=3821568, size=3842048, pss=3821568, shared_clean=0, shared_dirty=0, private_clean=0, private_dirty=3821568, referenced=3575808, anonymous=3821568, swap=0),\n ...]\n",
    },
    {
        "where": 'docs/index.rst:1830',
        "code": 'A ─┐\n   │\n   ├─ B (child) ─┐\n   │             └─ X (grandchild) ─┐\n   │                                └─ Y (great grandchild)\n   ├─ C (child)\n   └─ D (child)\n\n>>> p.children()\nB, C, D\n>>> p.children(recursive=True)\nB, X, Y, C, D\n',
    },
    {
        "where": 'docs/index.rst:1870',
        "code": ">>> import psutil\n>>> f = open('file.ext', 'w')\n>>> p = psutil.Process()\n>>> p.open_files()\n[popenfile(path='/home/giampaolo/svn/psutil/file.ext', fd=3, position=0, mode='w', flags=32769)]\n",
    },
    {
        "where": 'docs/index.rst:1954',
        "code": ">>> import psutil\n>>> p = psutil.Process(1694)\n>>> p.name()\n'firefox'\n>>> p.net_connections()\n[pconn(fd=115, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=48776), raddr=addr(ip='93.186.135.91', port=80), status='ESTABLISHED'),\n pconn(fd=117, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=43761), raddr=addr(ip='72.14.234.100', port=80), status='CLOSING'),\n pconn(fd=119, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=60759), raddr=addr(ip='72.14.234.104', port=80), status='ESTABLISHED'),\n pconn(fd=123, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=51314), raddr=addr(ip='72.14.234.83', port=443), status='SYN_SENT')]\n",
    },
    {
        "where": 'docs/index.rst:2084',
        "code": '>>> import psutil\n>>> p = psutil.Process(9891)\n>>> p.terminate()\n>>> p.wait()\n<Negsignal.SIGTERM: -15>\n',
    },
    {
        "where": 'docs/index.rst:2129',
        "code": '>>> import psutil\n>>> from subprocess import PIPE\n>>>\n>>> p = psutil.Popen(["/usr/bin/python", "-c", "print(\'hello\')"], stdout=PIPE)\n>>> p.name()\n\'python\'\n>>> p.username()\n\'giampaolo\'\n>>> p.communicate()\n(\'hello\\n\', None)\n>>> p.wait(timeout=2)\n0\n>>>\n',
    },
    {
        "where": 'docs/index.rst:2178',
        "code": '>>> import psutil\n>>> psutil.heap_info()\npheap(heap_used=5177792, mmap_used=819200)\n',
    },
    {
        "where": 'docs/index.rst:2297',
        "code": ">>> import psutil\n>>> list(psutil.win_service_iter())\n[<WindowsService(name='AeLookupSvc', display_name='Application Experience') at 38850096>,\n <WindowsService(name='ALG', display_name='Application Layer Gateway Service') at 38850128>,\n <WindowsService(name='APNMCP', display_name='Ask Update Service') at 38850160>,\n <WindowsService(name='AppIDSvc', display_name='Application Identity') at 38850192>,\n ...]\n>>> s = psutil.win_service_get('alg')\n>>> s.as_dict()\n{'binpath': 'C:\\\\Windows\\\\System32\\\\alg.exe',\n 'description': 'Provides support for 3rd party protocol plug-ins for Internet Connection Sharing',\n 'display_name': 'Application Layer Gateway Service',\n 'name': 'alg',\n 'pid': None,\n 'start_type': 'manual',\n 'status': 'stopped',\n 'username': 'NT AUTHORITY\\\\LocalService'}\n",
    },
    {
        "where": 'docs/index.rst:2544',
        "code": '>>> import psutil\n>>> if psutil.version_info >= (4, 5):\n...    pass\n',
    },
    {
        "where": 'docs/index.rst:2558',
        "code": 'import psutil\n\ndef find_procs_by_name(name):\n    "Return a list of processes matching \'name\'."\n    ls = []\n    for p in psutil.process_iter([\'name\']):\n        if p.info[\'name\'] == name:\n            ls.append(p)\n    return ls\n',
    },
    {
        "where": 'docs/index.rst:2573',
        "code": 'import os\nimport psutil\n\ndef find_procs_by_name(name):\n    "Return a list of processes matching \'name\'."\n    ls = []\n    for p in psutil.process_iter(["name", "exe", "cmdline"]):\n        if name == p.info[\'name\'] or \\\n                p.info[\'exe\'] and os.path.basename(p.info[\'exe\']) == name or \\\n                p.info[\'cmdline\'] and p.info[\'cmdline\'][0] == name:\n            ls.append(p)\n    return ls\n',
    },
    {
        "where": 'docs/index.rst:2591',
        "code": 'import os\nimport signal\nimport psutil\n\ndef kill_proc_tree(pid, sig=signal.SIGTERM, include_parent=True,\n                   timeout=None, on_terminate=None):\n    """Kill a process tree (including grandchildren) with signal\n    "sig" and return a (gone, still_alive) tuple.\n    "on_terminate", if specified, is a callback function which is\n    called as soon as a child terminates.\n    """\n    assert pid != os.getpid(), "won\'t kill myself"\n    parent = psutil.Process(pid)\n    children = parent.children(recursive=True)\n    if include_parent:\n        children.append(parent)\n    for p in children:\n        try:\n            p.send_signal(sig)\n        except psutil.NoSuchProcess:\n            pass\n    gone, alive = psutil.wait_procs(children, timeout=timeout,\n                                    callback=on_terminate)\n    return (gone, alive)\n',
    },
    {
        "where": 'docs/index.rst:2621',
        "code": '>>> import psutil\n>>> from pprint import pprint as pp\n',
    },
    {
        "where": 'docs/index.rst:2626',
        "code": ">>> import getpass\n>>> pp([(p.pid, p.info['name']) for p in psutil.process_iter(['name', 'username']) if p.info['username'] == getpass.getuser()])\n(16832, 'bash'),\n(19772, 'ssh'),\n(20492, 'python')]\n",
    },
    {
        "where": 'docs/index.rst:2634',
        "code": ">>> pp([(p.pid, p.info) for p in psutil.process_iter(['name', 'status']) if p.info['status'] == psutil.STATUS_RUNNING])\n[(1150, {'name': 'Xorg', 'status': 'running'}),\n (1776, {'name': 'unity-panel-service', 'status': 'running'}),\n (20492, {'name': 'python', 'status': 'running'})]\n",
    },
    {
        "where": 'docs/index.rst:2641',
        "code": '>>> for p in psutil.process_iter([\'name\', \'open_files\']):\n...      for file in p.info[\'open_files\'] or []:\n...          if file.path.endswith(\'.log\'):\n...               print("%-5s %-10s %s" % (p.pid, p.info[\'name\'][:10], file.path))\n...\n1510  upstart    /home/giampaolo/.cache/upstart/unity-settings-daemon.log\n2174  nautilus   /home/giampaolo/.local/share/gvfs-metadata/home-ce08efac.log\n2650  chrome     /home/giampaolo/.config/google-chrome/Default/data_reduction_proxy_leveldb/000003.log\n',
    },
    {
        "where": 'docs/index.rst:2652',
        "code": ">>> pp([(p.pid, p.info['name'], p.info['memory_info'].rss) for p in psutil.process_iter(['name', 'memory_info']) if p.info['memory_info'].rss > 500 * 1024 * 1024])\n[(2650, 'chrome', 532324352),\n (3038, 'chrome', 1120088064),\n (21915, 'sublime_text', 615407616)]\n",
    },
    {
        "where": 'docs/index.rst:2659',
        "code": ">>> pp([(p.pid, p.info['name'], sum(p.info['cpu_times'])) for p in sorted(psutil.process_iter(['name', 'cpu_times']), key=lambda p: sum(p.info['cpu_times'][:2]))][-3:])\n[(2721, 'chrome', 10219.73),\n (1150, 'Xorg', 11116.989999999998),\n (2650, 'chrome', 18451.97)]\n",
    },
    {
        "where": 'docs/index.rst:2669',
        "code": 'import psutil\n\ndef bytes2human(n):\n    # http://code.activestate.com/recipes/578019\n    # >>> bytes2human(10000)\n    # \'9.8K\'\n    # >>> bytes2human(100001221)\n    # \'95.4M\'\n    symbols = (\'K\', \'M\', \'G\', \'T\', \'P\', \'E\', \'Z\', \'Y\')\n    prefix = {}\n    for i, s in enumerate(symbols):\n        prefix[s] = 1 << (i + 1) * 10\n    for s in reversed(symbols):\n        if abs(n) >= prefix[s]:\n            value = float(n) / prefix[s]\n            return \'%.1f%s\' % (value, s)\n    return "%sB" % n\n\ntotal = psutil.disk_usage(\'/\').total\nprint(total)\nprint(bytes2human(total))\n',
        "prints": '100399730688\n93.5G\n',
    },
    {
        "where": 'README.rst:146',
        "code": '>>> import psutil\n>>>\n>>> psutil.cpu_times()\nscputimes(user=3961.46, nice=169.729, system=2150.659, idle=16900.540, iowait=629.59, irq=0.0, softirq=19.42, steal=0.0, guest=0, guest_nice=0.0)\n>>>\n>>> for x in range(3):\n...     psutil.cpu_percent(interval=1)\n...\n4.0\n5.9\n3.8\n>>>\n>>> for x in range(3):\n...     psutil.cpu_percent(interval=1, percpu=True)\n...\n[4.0, 6.9, 3.7, 9.2]\n[7.0, 8.5, 2.4, 2.1]\n[1.2, 9.0, 9.9, 7.2]\n>>>\n>>> for x in range(3):\n...     psutil.cpu_times_percent(interval=1, percpu=False)\n...\nscputimes(user=1.5, nice=0.0, system=0.5, idle=96.5, iowait=1.5, irq=0.0, softirq=0.0, steal=0.0, guest=0.0, guest_nice=0.0)\nscputimes(user=1.0, nice=0.0, system=0.0, idle=99.0, iowait=0.0, irq=0.0, softirq=0.0, steal=0.0, guest=0.0, guest_nice=0.0)\nscputimes(user=2.0, nice=0.0, system=0.0, idle=98.0, iowait=0.0, irq=0.0, softirq=0.0, steal=0.0, guest=0.0, guest_nice=0.0)\n>>>\n>>> psutil.cpu_count()\n4\n>>> psutil.cpu_count(logical=False)\n2\n>>>\n>>> psutil.cpu_stats()\nscpustats(ctx_switches=20455687, interrupts=6598984, soft_interrupts=2134212, syscalls=0)\n>>>\n>>> psutil.cpu_freq()\nscpufreq(current=931.42925, min=800.0, max=3500.0)\n>>>\n>>> psutil.getloadavg()  # also on Windows (emulated)\n(3.14, 3.89, 4.67)\n',
    },
    {
        "where": 'README.rst:191',
        "code": '>>> psutil.virtual_memory()\nsvmem(total=10367352832, available=6472179712, percent=37.6, used=8186245120, free=2181107712, active=4748992512, inactive=2758115328, buffers=790724608, cached=3500347392, shared=787554304)\n>>> psutil.swap_memory()\nsswap(total=2097147904, used=296128512, free=1801019392, percent=14.1, sin=304193536, sout=677842944)\n>>>\n',
    },
    {
        "where": 'README.rst:202',
        "code": ">>> psutil.disk_partitions()\n[sdiskpart(device='/dev/sda1', mountpoint='/', fstype='ext4', opts='rw,nosuid'),\n sdiskpart(device='/dev/sda2', mountpoint='/home', fstype='ext', opts='rw')]\n>>>\n>>> psutil.disk_usage('/')\nsdiskusage(total=21378641920, used=4809781248, free=15482871808, percent=22.5)\n>>>\n>>> psutil.disk_io_counters(perdisk=False)\nsdiskio(read_count=719566, write_count=1082197, read_bytes=18626220032, write_bytes=24081764352, read_time=5023392, write_time=63199568, read_merged_count=619166, write_merged_count=812396, busy_time=4523412)\n>>>\n",
    },
    {
        "where": 'README.rst:218',
        "code": ">>> psutil.net_io_counters(pernic=True)\n{'eth0': netio(bytes_sent=485291293, bytes_recv=6004858642, packets_sent=3251564, packets_recv=4787798, errin=0, errout=0, dropin=0, dropout=0),\n 'lo': netio(bytes_sent=2838627, bytes_recv=2838627, packets_sent=30567, packets_recv=30567, errin=0, errout=0, dropin=0, dropout=0)}\n>>>\n>>> psutil.net_connections(kind='tcp')\n[sconn(fd=115, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=48776), raddr=addr(ip='93.186.135.91', port=80), status='ESTABLISHED', pid=1254),\n sconn(fd=117, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip='10.0.0.1', port=43761), raddr=addr(ip='72.14.234.100', port=80), status='CLOSING', pid=2987),\n ...]\n>>>\n>>> psutil.net_if_addrs()\n{'lo': [snicaddr(family=<AddressFamily.AF_INET: 2>, address='127.0.0.1', netmask='255.0.0.0', broadcast='127.0.0.1', ptp=None),\n        snicaddr(family=<AddressFamily.AF_INET6: 10>, address='::1', netmask='ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', broadcast=None, ptp=None),\n        snicaddr(family=<AddressFamily.AF_LINK: 17>, address='00:00:00:00:00:00', netmask=None, broadcast='00:00:00:00:00:00', ptp=None)],\n 'wlan0': [snicaddr(family=<AddressFamily.AF_INET: 2>, address='192.168.1.3', netmask='255.255.255.0', broadcast='192.168.1.255', ptp=None),\n           snicaddr(family=<AddressFamily.AF_INET6: 10>, address='fe80::c685:8ff:fe45:641%wlan0', netmask='ffff:ffff:ffff:ffff::', broadcast=None, ptp=None),\n           snicaddr(family=<AddressFamily.AF_LINK: 17>, address='c4:85:08:45:06:41', netmask=None, broadcast='ff:ff:ff:ff:ff:ff', ptp=None)]}\n>>>\n>>> psutil.net_if_stats()\n{'lo': snicstats(isup=True, duplex=<NicDuplex.NIC_DUPLEX_UNKNOWN: 0>, speed=0, mtu=65536, flags='up,loopback,running'),\n 'wlan0': snicstats(isup=True, duplex=<NicDuplex.NIC_DUPLEX_FULL: 2>, speed=100, mtu=1500, flags='up,broadcast,running,multicast')}\n>>>\n",
    },
    {
        "where": 'README.rst:245',
        "code": ">>> import psutil\n>>> psutil.sensors_temperatures()\n{'acpitz': [shwtemp(label='', current=47.0, high=103.0, critical=103.0)],\n 'asus': [shwtemp(label='', current=47.0, high=None, critical=None)],\n 'coretemp': [shwtemp(label='Physical id 0', current=52.0, high=100.0, critical=100.0),\n              shwtemp(label='Core 0', current=45.0, high=100.0, critical=100.0)]}\n>>>\n>>> psutil.sensors_fans()\n{'asus': [sfan(label='cpu_fan', current=3200)]}\n>>>\n>>> psutil.sensors_battery()\nsbattery(percent=93, secsleft=16628, power_plugged=False)\n>>>\n",
    },
    {
        "where": 'README.rst:264',
        "code": ">>> import psutil\n>>> psutil.users()\n[suser(name='giampaolo', terminal='pts/2', host='localhost', started=1340737536.0, pid=1352),\n suser(name='giampaolo', terminal='pts/3', host='localhost', started=1340737792.0, pid=1788)]\n>>>\n>>> psutil.boot_time()\n1365519115.0\n>>>\n",
    },
    {
        "where": 'README.rst:278',
        "code": '>>> import psutil\n>>> psutil.pids()\n[1, 2, 3, 4, 5, 6, 7, 46, 48, 50, 51, 178, 182, 222, 223, 224, 268, 1215,\n 1216, 1220, 1221, 1243, 1244, 1301, 1601, 2237, 2355, 2637, 2774, 3932,\n 4176, 4177, 4185, 4187, 4189, 4225, 4243, 4245, 4263, 4282, 4306, 4311,\n 4312, 4313, 4314, 4337, 4339, 4357, 4358, 4363, 4383, 4395, 4408, 4433,\n 4443, 4445, 4446, 5167, 5234, 5235, 5252, 5318, 5424, 5644, 6987, 7054,\n 7055, 7071]\n>>>\n>>> p = psutil.Process(7055)\n>>> p\npsutil.Process(pid=7055, name=\'python3\', status=\'running\', started=\'09:04:44\')\n>>> p.pid\n7055\n>>> p.name()\n\'python3\'\n>>> p.exe()\n\'/usr/bin/python3\'\n>>> p.cwd()\n\'/home/giampaolo\'\n>>> p.cmdline()\n[\'/usr/bin/python3\', \'main.py\']\n>>>\n>>> p.ppid()\n7054\n>>> p.parent()\npsutil.Process(pid=4699, name=\'bash\', status=\'sleeping\', started=\'09:06:44\')\n>>> p.parents()\n[psutil.Process(pid=4699, name=\'bash\', started=\'09:06:44\'),\n psutil.Process(pid=4689, name=\'gnome-terminal-server\', status=\'sleeping\', started=\'0:06:44\'),\n psutil.Process(pid=1, name=\'systemd\', status=\'sleeping\', started=\'05:56:55\')]\n>>> p.children(recursive=True)\n[psutil.Process(pid=29835, name=\'python3\', status=\'sleeping\', started=\'11:45:38\'),\n psutil.Process(pid=29836, name=\'python3\', status=\'waking\', started=\'11:43:39\')]\n>>>\n>>> p.status()\n\'running\'\n>>> p.create_time()\n1267551141.5019531\n>>> p.terminal()\n\'/dev/pts/0\'\n>>>\n>>> p.username()\n\'giampaolo\'\n>>> p.uids()\npuids(real=1000, effective=1000, saved=1000)\n>>> p.gids()\npgids(real=1000, effective=1000, saved=1000)\n>>>\n>>> p.cpu_times()\npcputimes(user=1.02, system=0.31, children_user=0.32, children_system=0.1, iowait=0.0)\n>>> p.cpu_percent(interval=1.0)\n12.1\n>>> p.cpu_affinity()\n[0, 1, 2, 3]\n>>> p.cpu_affinity([0, 1])  # set\n>>> p.cpu_num()\n1\n>>>\n>>> p.memory_info()\npmem(rss=10915840, vms=67608576, shared=3313664, text=2310144, lib=0, data=7262208, dirty=0)\n>>> p.memory_full_info()  # "real" USS memory usage (Linux, macOS, Win only)\npfullmem(rss=10199040, vms=52133888, shared=3887104, text=2867200, lib=0, data=5967872, dirty=0, uss=6545408, pss=6872064, swap=0)\n>>> p.memory_percent()\n0.7823\n>>> p.memory_maps()\n[pmmap_grouped(path=\'/lib/x8664-linux-gnu/libutil-2.15.so\', rss=32768, size=2125824, pss=32768, shared_clean=0, shared_dirty=0, private_clean=20480, private_dirty=12288, referenced=32768, anonymous=12288, swap=0),\n pmmap_grouped(path=\'/lib/x8664-linux-gnu/libc-2.15.so\', rss=3821568, size=3842048, pss=3821568, shared_clean=0, shared_dirty=0, private_clean=0, private_dirty=3821568, referenced=3575808, anonymous=3821568, swap=0),\n pmmap_grouped(path=\'[heap]\',  rss=32768, size=139264, pss=32768, shared_clean=0, shared_dirty=0, private_clean=0, private_dirty=32768, referenced=32768, anonymous=32768, swap=0),\n pmmap_grouped(path=\'[stack]\', rss=2465792, size=2494464, pss=2465792, shared_clean=0, shared_dirty=0, private_clean=0, private_dirty=2465792, referenced=2277376, anonymous=2465792, swap=0),\n ...]\n>>>\n>>> p.io_counters()\npio(read_count=478001, write_count=59371, read_bytes=700416, write_bytes=69632, read_chars=456232, write_chars=517543)\n>>>\n>>> p.open_files()\n[popenfile(path=\'/home/giampaolo/monit.py\', fd=3, position=0, mode=\'r\', flags=32768),\n popenfile(path=\'/var/log/monit.log\', fd=4, position=235542, mode=\'a\', flags=33793)]\n>>>\n>>> p.net_connections(kind=\'tcp\')\n[pconn(fd=115, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip=\'10.0.0.1\', port=48776), raddr=addr(ip=\'93.186.135.91\', port=80), status=\'ESTABLISHED\'),\n pconn(fd=117, family=<AddressFamily.AF_INET: 2>, type=<SocketType.SOCK_STREAM: 1>, laddr=addr(ip=\'10.0.0.1\', port=43761), raddr=addr(ip=\'72.14.234.100\', port=80), status=\'CLOSING\')]\n>>>\n>>> p.threads()\n[pthread(id=5234, user_time=22.5, system_time=9.2891),\n pthread(id=5237, user_time=0.0707, system_time=1.1)]\n>>>\n>>> p.num_threads()\n4\n>>> p.num_fds()\n8\n>>> p.num_ctx_switches()\npctxsw(voluntary=78, involuntary=19)\n>>>\n>>> p.nice()\n0\n>>> p.nice(10)  # set\n>>>\n>>> p.ionice(psutil.IOPRIO_CLASS_IDLE)  # IO priority (Win and Linux only)\n>>> p.ionice()\npionice(ioclass=<IOPriority.IOPRIO_CLASS_IDLE: 3>, value=0)\n>>>\n>>> p.rlimit(psutil.RLIMIT_NOFILE, (5, 5))  # set resource limits (Linux only)\n>>> p.rlimit(psutil.RLIMIT_NOFILE)\n(5, 5)\n>>>\n>>> p.environ()\n{\'LC_PAPER\': \'it_IT.UTF-8\', \'SHELL\': \'/bin/bash\', \'GREP_OPTIONS\': \'--color=auto\',\n\'XDG_CONFIG_DIRS\': \'/etc/xdg/xdg-ubuntu:/usr/share/upstart/xdg:/etc/xdg\',\n ...}\n>>>\n>>> p.as_dict()\n{\'status\': \'running\', \'num_ctx_switches\': pctxsw(voluntary=63, involuntary=1), \'pid\': 5457, ...}\n>>> p.is_running()\nTrue\n>>> p.suspend()\n>>> p.resume()\n>>>\n>>> p.terminate()\n>>> p.kill()\n>>> p.wait(timeout=3)\n<Exitcode.EX_OK: 0>\n>>>\n>>> psutil.test()\nUSER         PID %CPU %MEM     VSZ     RSS TTY        START    TIME  COMMAND\nroot           1  0.0  0.0   24584    2240            Jun17   00:00  init\nroot           2  0.0  0.0       0       0            Jun17   00:00  kthreadd\n...\ngiampaolo  31475  0.0  0.0   20760    3024 /dev/pts/0 Jun19   00:00  python2.4\ngiampaolo  31721  0.0  2.2  773060  181896            00:04   10:30  chrome\nroot       31763  0.0  0.0       0       0            00:05   00:00  kworker/0:1\n>>>\n',
    },
    {
        "where": 'README.rst:416',
        "code": '>>> import psutil\n>>> for proc in psutil.process_iter([\'pid\', \'name\']):\n...     print(proc.info)\n...\n{\'pid\': 1, \'name\': \'systemd\'}\n{\'pid\': 2, \'name\': \'kthreadd\'}\n{\'pid\': 3, \'name\': \'ksoftirqd/0\'}\n...\n>>>\n>>> psutil.pid_exists(3)\nTrue\n>>>\n>>> def on_terminate(proc):\n...     print("process {} terminated".format(proc))\n...\n>>> # waits for multiple processes to terminate\n>>> gone, alive = psutil.wait_procs(procs_list, timeout=3, callback=on_terminate)\n>>>\n',
    },
    {
        "where": 'README.rst:440',
        "code": '>>> import psutil\n>>> psutil.heap_info()\npheap(heap_used=5177792, mmap_used=819200)\n>>> psutil.heap_trim()\n',
    },
    {
        "where": 'README.rst:452',
        "code": ">>> list(psutil.win_service_iter())\n[<WindowsService(name='AeLookupSvc', display_name='Application Experience') at 38850096>,\n <WindowsService(name='ALG', display_name='Application Layer Gateway Service') at 38850128>,\n <WindowsService(name='APNMCP', display_name='Ask Update Service') at 38850160>,\n <WindowsService(name='AppIDSvc', display_name='Application Identity') at 38850192>,\n ...]\n>>> s = psutil.win_service_get('alg')\n>>> s.as_dict()\n{'binpath': 'C:\\\\Windows\\\\System32\\\\alg.exe',\n 'description': 'Provides support for 3rd party protocol plug-ins for Internet Connection Sharing',\n 'display_name': 'Application Layer Gateway Service',\n 'name': 'alg',\n 'pid': None,\n 'start_type': 'manual',\n 'status': 'stopped',\n 'username': 'NT AUTHORITY\\\\LocalService'}\n",
    },
]
