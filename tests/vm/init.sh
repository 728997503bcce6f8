#!/usr/bin/busybox sh
# /sbin/vm-init of the kernel-matrix VM (tests/vm/run.sh builds its root):
# PID 1, after init-disk.sh switched to the root disk, or as /init of an
# initramfs-only root. Runs under busybox sh, which prefers its own
# applets to PATH: the host's setpriv is called by its path. Prints marker lines on the serial console
# that tests/vm/vmtool.py report reads:
#   @@VM-KERNEL release   @@VM-UPTIME seconds   @@VM-PLAN name…
#   @@VM-BEGIN name … libtest output … @@VM-END name rc=N   @@VM-DONE
# No `set -e`: one failing step must not stop the others (and PID 1
# exiting panics the kernel); every step's status is reported instead.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TMPDIR=/tmp LANG=C.UTF-8 RUST_BACKTRACE=1 TERM=dumb
CONF=/etc/vm/config
uptime_s() { cut -d' ' -f1 /proc/uptime; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# A checkout under /tmp (a clone in /tmp/x) has its test directories there
# on the root image: a tmpfs over /tmp would hide them.
if [ -z "$(ls -A /tmp 2>/dev/null)" ]; then
    mount -t tmpfs -o mode=1777 tmpfs /tmp
else
    chmod 1777 /tmp
fi
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lock
: >/run/utmp
. "$CONF"
if [ "$VM_CGROUP2" = 1 ]; then
    # The unified hierarchy where systemd puts it (the cgroup tests expect
    # it there); nsdelegate as systemd mounts it.
    mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup ||
        echo "@@VM-WARN cgroup2 mount failed"
fi
ip link set lo up
hostname psutil-vm
# Kernel modules a Debian system would auto-load (the sock_diag families):
# no modprobe/udev here, so load them in dependency order ourselves.
while read -r mod; do
    [ -n "$mod" ] || continue
    insmod "/lib/modules/$(uname -r)/$mod" || echo "@@VM-WARN insmod $mod failed"
done </etc/vm/modules

echo "@@VM-KERNEL $(uname -r)"
echo "@@VM-UPTIME $(uptime_s)"
plan=""
while IFS='	' read -r name exe dir user; do
    plan="$plan $name"
done </etc/vm/plan
echo "@@VM-PLAN$plan"

# run_as USER CMD…: as root, or as nobody through setpriv like test.sh's
# unprivileged step (a clean environment, no supplementary groups).
run_as() {
    user="$1"
    shift
    if [ "$user" = nobody ]; then
        /usr/bin/setpriv --reuid=nobody --regid=nogroup --clear-groups \
            env -i PATH="$PATH" HOME=/nonexistent TMPDIR=/tmp LANG=C.UTF-8 \
            RUST_BACKTRACE=1 "$@"
    else
        "$@"
    fi
}

# reap_leftovers NAME: kill what a test binary left running (children
# it leaked), so the next binary starts alone; names them in a warning.
reap_leftovers() {
    left=""
    for d in /proc/[0-9]*; do
        p="${d#/proc/}"
        [ "$p" = 1 ] || [ "$p" = $$ ] && continue
        # Kernel threads have an empty cmdline; so does our own subshell
        # reading it, but that is $$'s child only while this loop runs.
        [ -s "$d/cmdline" ] || continue
        ppid="$(cut -d' ' -f4 "$d/stat" 2>/dev/null)"
        [ "$ppid" = $$ ] && continue
        left="$left $p:$(cat "$d/comm" 2>/dev/null)"
        kill -9 "$p" 2>/dev/null
    done
    [ -z "$left" ] || echo "@@VM-WARN leftover processes after $1:$left"
}

while IFS='	' read -r name exe dir user args; do
    echo "@@VM-BEGIN $name t=$(uptime_s)"
    # Output to a file, not a pipe: a child a test leaked would keep a pipe
    # open (and this loop waiting) long after the binary exited. Not the
    # console tty either: no colours. --show-output keeps what passing
    # tests printed, so the report can tell which said "skipped".
    # $args is split on purpose: libtest flags and test-name filters.
    # shellcheck disable=SC2086
    run_binary() {
        (cd "$dir" && run_as "$user" "$exe" --test-threads="$VM_TEST_THREADS" \
            --show-output --color never $args </dev/null >/tmp/.out 2>&1)
    }
    run_binary
    rc=$?
    cat /tmp/.out
    reap_leftovers "$name"
    # Live tests race with a software-emulated CPU: a failing binary runs
    # once more, and the report shows the first failure either way.
    if [ "$rc" -ne 0 ]; then
        echo "@@VM-RETRY $name rc=$rc"
        run_binary
        rc=$?
        cat /tmp/.out
        reap_leftovers "$name"
    fi
    rm -f /tmp/.out
    echo "@@VM-END $name rc=$rc t=$(uptime_s)"
done </etc/vm/plan

# Extra commands (run.sh ARGS -- CMD…): one shell command a line.
n=0
while IFS= read -r cmd; do
    [ -n "$cmd" ] || continue
    n=$((n + 1))
    echo "@@VM-BEGIN extra:$n t=$(uptime_s)"
    echo "\$ $cmd"
    # /bin/sh is dash: the commands see the real tools on PATH.
    /bin/sh -c "$cmd" </dev/null 2>&1
    echo "@@VM-END extra:$n rc=$? t=$(uptime_s)"
done </etc/vm/extra

echo "@@VM-DONE t=$(uptime_s)"
sync
poweroff -f
