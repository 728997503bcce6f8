#!/usr/bin/env bash
# Kernel-matrix harness: runs the crate's live tests (and the CLI tests that
# need no Python) inside qemu VMs booting Debian's kernel packages.
#
#   tests/vm/run.sh [OPTIONS] [-- CMD…]
#
#   --kernel LIST     comma-separated series: 6.1 (bookworm), 6.12
#                     (bookworm-backports), 5.10 (bullseye), or "all";
#                     default 6.1,6.12
#   --tests REGEX     test binaries whose name matches (names: process_live,
#                     cli_process, psutil:lib, psutil-cli:bin, …); default: every
#                     test target of crates/psutil and crates/psutil-cli but
#                     the fixture_* ones (recorded files: kernel-independent)
#   --no-tests        boot and run only the extra commands
#   --test-args ARGS  passed to every test binary (libtest flags/filters)
#   --threads N       libtest --test-threads (default 2)
#   --no-unprivileged don't run the unprivileged_* tests again as nobody
#   --no-cgroup2      don't mount cgroup2 at /sys/fs/cgroup
#   --no-modules      don't load the sock_diag modules (a kernel without
#                     them: the /proc/net fallback)
#   --module NAME     load another module of the kernel package (repeatable)
#   --bin PATH        put PATH and its shared libraries in the VM at the same
#                     path (repeatable)
#   --file PATH       put a file or directory in the VM at the same path
#   --append ARGS     extra kernel command line (e.g. psi=0)
#   --rootfs disk|initramfs
#                     disk (default): the root is an ext4 image on a
#                     virtio disk, so "/" is a real block device (the disk
#                     tests need one); initramfs: everything in the
#                     initramfs (no modules needed to boot)
#   --mem MIB --smp N --timeout SECONDS (per VM; default 2048, 2, 1500)
#   --verbose         stream the serial console
#   VM_ACCEL=kvm      use KVM instead of software emulation (TCG)
#   -- CMD…           shell commands run in the VM after the tests, one
#                     argument each; each gets a result line like a binary
#
# Exit status: 0 when every binary and command passed on every kernel.
# Kernels and packages are cached in build/vm-cache (VM_CACHE overrides);
# serial logs are kept there (logs/SERIES.log). Installs qemu-system-x86,
# busybox-static and cpio with apt-get when missing (CI runs on a fresh
# machine). The host's apt configuration is not changed: kernel packages
# come through a private sources list and lists directory in the cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/vm"
CACHE="${VM_CACHE:-$ROOT/build/vm-cache}"
MIRROR="${VM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

kernels="6.1,6.12"
tests_re=""
run_tests=1
test_args=""
threads=2
unprivileged=1
cgroup2=1
load_modules=1
extra_modules=()
extra_bins=()
extra_files=()
append=""
mem=2048
rootfs=disk
smp=2
timeout_s=1500
verbose=0
extra_cmds=()

while [[ $# -gt 0 ]]; do
    case "$1" in
    --kernel) kernels="$2"; shift 2 ;;
    --tests) tests_re="$2"; shift 2 ;;
    --no-tests) run_tests=0; shift ;;
    --test-args) test_args="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --no-unprivileged) unprivileged=0; shift ;;
    --no-cgroup2) cgroup2=0; shift ;;
    --no-modules) load_modules=0; shift ;;
    --module) extra_modules+=("$2"); shift 2 ;;
    --bin) extra_bins+=("$(realpath "$2")"); shift 2 ;;
    --file) extra_files+=("$(realpath "$2")"); shift 2 ;;
    --append) append="$2"; shift 2 ;;
    --rootfs) rootfs="$2"; shift 2 ;;
    --mem) mem="$2"; shift 2 ;;
    --smp) smp="$2"; shift 2 ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --verbose) verbose=1; shift ;;
    --) shift; extra_cmds=("$@"); break ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$kernels" == all ]] && kernels="5.10,6.1,6.12"

log() { printf '[vm] %s\n' "$*" >&2; }

# Debian suite that carries each kernel series. The exact package (ABI
# name, version) is resolved at run time: it changes with every point
# release.
suite_of() {
    case "$1" in
    5.10) echo bullseye ;;
    6.1) echo bookworm ;;
    6.12) echo bookworm-backports ;;
    *) echo "run.sh: unknown kernel series $1 (5.10, 6.1, 6.12)" >&2; return 1 ;;
    esac
}

# ---- host tools -------------------------------------------------------------

ensure_tools() {
    local missing=()
    command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
    # The static build: the VM has no libc of its own for busybox.
    [[ -x /bin/busybox ]] && /bin/busybox --list >/dev/null 2>&1 &&
        ! ldd /bin/busybox >/dev/null 2>&1 || missing+=(busybox-static)
    command -v cpio >/dev/null || missing+=(cpio)
    command -v objcopy >/dev/null || missing+=(binutils)
    command -v mke2fs >/dev/null || missing+=(e2fsprogs)
    if [[ ${#missing[@]} -gt 0 ]]; then
        log "installing ${missing[*]}"
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
            install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# ---- kernels ----------------------------------------------------------------

APT_DIR="$CACHE/apt"
apt_opts=(
    -o "Dir::Etc::sourcelist=$APT_DIR/sources.list"
    -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$APT_DIR/lists"
    -o "Dir::Cache=$APT_DIR/cache"
    -o "APT::Sandbox::User=root"
    -o "Acquire::Languages=none"
    -o "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false"
    -o "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false"
    -o "Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false"
)
apt_updated=0

apt_update() {
    [[ $apt_updated -eq 1 ]] && return 0
    mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
    local s suites=()
    IFS=, read -ra series <<<"$kernels"
    for s in "${series[@]}"; do suites+=("$(suite_of "$s")"); done
    : >"$APT_DIR/sources.list"
    for s in $(printf '%s\n' "${suites[@]}" | sort -u); do
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $s main" \
            >>"$APT_DIR/sources.list"
    done
    apt-get "${apt_opts[@]}" -qq update
    apt_updated=1
}

# fetch_kernel SERIES: sets KDIR to a directory with vmlinuz, release and
# the lib/modules tree of the package's net/ and block drivers.
fetch_kernel() {
    local series="$1" suite pkg version deb
    suite="$(suite_of "$series")"
    local current="$CACHE/kernels/$series"
    if ! apt_update; then
        if [[ -e "$current/vmlinuz" ]]; then
            log "apt-get update failed: using the cached $series kernel"
            KDIR="$(realpath "$current")"
            return 0
        fi
        return 1
    fi
    # linux-image-amd64 is the metapackage; its Depends names the image.
    pkg="$(apt-cache "${apt_opts[@]}" show "linux-image-amd64/$suite" |
        sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -1)"
    version="$(apt-cache "${apt_opts[@]}" show "$pkg/$suite" |
        sed -n 's/^Version: //p' | head -1)"
    [[ -n "$pkg" && -n "$version" ]] || { log "no kernel package in $suite"; return 1; }
    KDIR="$CACHE/kernels/${pkg#linux-image-}_$version"
    if [[ ! -e "$KDIR/vmlinuz" ]]; then
        log "downloading $pkg $version ($suite)"
        mkdir -p "$CACHE/debs"
        (cd "$CACHE/debs" && apt-get "${apt_opts[@]}" -qq download "$pkg/$suite")
        deb="$(ls "$CACHE/debs/${pkg}_"*.deb | head -1)"
        rm -rf "$KDIR.tmp" && mkdir -p "$KDIR.tmp"
        # Only the kernel and the module directories the VM may load from.
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$KDIR.tmp" --wildcards \
            './boot/vmlinuz-*' './lib/modules/*/kernel/net/*' \
            './lib/modules/*/kernel/drivers/block/*' './lib/modules/*/kernel/drivers/virtio/*' \
            './lib/modules/*/kernel/fs/*' './lib/modules/*/kernel/lib/*' \
            './lib/modules/*/kernel/crypto/*' './lib/modules/*/kernel/arch/x86/crypto/*'
        mv "$KDIR.tmp"/boot/vmlinuz-* "$KDIR.tmp/vmlinuz"
        basename "$(ls -d "$KDIR.tmp"/lib/modules/*)" >"$KDIR.tmp/release"
        rm -f "$deb"
        mv "$KDIR.tmp" "$KDIR"
    fi
    ln -sfn "$(basename "$KDIR")" "$current"
}

# ---- initramfs --------------------------------------------------------------

# copy_elf STAGE PATH: PATH (an executable) and every shared library ldd
# lists for it, the dynamic loader included, at their own paths.
copy_elf() {
    local stage="$1" exe="$2" lib
    copy_path "$stage" "$exe"
    # ldd prints "name => /path (addr)" and "/lib64/ld-linux… (addr)";
    # static binaries make it fail, which is fine.
    for lib in $(ldd "$exe" 2>/dev/null | awk '{for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i}'); do
        [[ -e "$stage$lib" ]] || copy_path "$stage" "$lib"
    done
}

# copy_path STAGE PATH: PATH's content (symlinks followed) at PATH in STAGE.
copy_path() {
    local stage="$1" src="$2"
    mkdir -p "$stage$(dirname "$src")"
    cp -rL "$src" "$stage$src"
}

# Programs of the host that the tests run and whose output they parse
# (busybox's df/free/ip/mount print other formats, and busybox `sleep`
# copied under another name stops working): the real ones, as on the host.
HOST_TOOLS=(sleep true false bash dash setpriv env findmnt df free mount umount ip who
    unshare nproc lscpu vmstat uptime cat)

# build_root SERIES KDIR STAGE: the VM's root filesystem tree in STAGE.
build_root() {
    local series="$1" kdir="$2" stage="$3" t p rel
    rm -rf "$stage"
    mkdir -p "$stage"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc/vm,proc,sys,dev,tmp,run,root,var}
    # Merged /usr, as on the host: /bin/sleep and /usr/bin/sleep are one.
    ln -s usr/bin "$stage/bin"
    ln -s usr/sbin "$stage/sbin"
    ln -s usr/lib "$stage/lib"
    ln -s usr/lib64 "$stage/lib64"
    ln -s ../run "$stage/var/run"
    for t in "${HOST_TOOLS[@]}"; do
        p="$(type -P "$t")" || { log "host has no $t: busybox's"; continue; }
        copy_elf "$stage" "$p"
        # Reachable under both /bin and /usr/bin, whichever the host used.
        [[ -e "$stage/usr/bin/$t" ]] || ln -s "$p" "$stage/usr/bin/$t"
    done
    # /bin/sh is dash, as on Debian: `sh -c` in the tests runs the real
    # sleep/true (busybox's sh would run its own applets, PATH or not).
    ln -s dash "$stage/usr/bin/sh"
    cp /bin/busybox "$stage/usr/bin/busybox"
    # Every other command from busybox (sh, ps, insmod, poweroff, …); not
    # where a host tool of that name is, in either bin directory (busybox
    # puts some applets in sbin: its setpriv would shadow the real one).
    while read -r rel; do
        t="$(basename "$rel")"
        [[ -e "$stage/usr/bin/$t" || -e "$stage/usr/sbin/$t" || -L "$stage/$rel" ]] ||
            ln -s /usr/bin/busybox "$stage/$rel"
    done < <(/bin/busybox --list-full)
    for p in "${extra_bins[@]}"; do copy_elf "$stage" "$p"; done
    for p in "${extra_files[@]}"; do copy_path "$stage" "$p"; done

    # A root and a nobody user (the tests look up names; the unprivileged
    # pass runs as nobody), files-only name service.
    cat >"$stage/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
    cat >"$stage/etc/group" <<'EOF'
root:x:0:
tty:x:5:
nogroup:x:65534:
EOF
    printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' >"$stage/etc/nsswitch.conf"
    printf '127.0.0.1 localhost\n::1 localhost\n' >"$stage/etc/hosts"
    echo psutil-vm >"$stage/etc/hostname"

    # Test binaries at their host paths: they find CARGO_BIN_EXE_psutil,
    # CARGO_MANIFEST_DIR fixtures and CARGO_TARGET_TMPDIR by absolute path.
    : >"$stage/etc/vm/plan"
    if [[ $run_tests -eq 1 ]]; then
        local kind name exe dir
        while IFS=$'\t' read -r kind name exe dir; do
            copy_elf "$stage" "$exe"
            # Debug info is most of a test binary: strip it (smaller initramfs,
            # faster boot); backtraces keep function names.
            objcopy --strip-debug "$stage$exe"
            [[ "$kind" == test ]] || continue
            mkdir -p "$stage$dir"
            [[ -d "$dir/tests/fixtures" && ! -e "$stage$dir/tests/fixtures" ]] &&
                copy_path "$stage" "$dir/tests/fixtures"
            printf '%s\t%s\t%s\troot\t%s\n' "$name" "$exe" "$dir" "$test_args" >>"$stage/etc/vm/plan"
            if [[ $unprivileged -eq 1 && "$name" == unprivileged ]]; then
                printf '%s\t%s\t%s\tnobody\tunprivileged_ %s\n' "unprivileged@nobody" "$exe" "$dir" \
                    "$test_args" >>"$stage/etc/vm/plan"
            fi
        done <"$CACHE/artifacts.tsv"
        mkdir -p "$stage$TARGET_DIR/tmp"
        chmod 1777 "$stage$TARGET_DIR/tmp"
    fi
    printf '%s\n' "${extra_cmds[@]}" >"$stage/etc/vm/extra"

    # Kernel modules: sock_diag families (a Debian system loads them on the
    # first sock_diag request) plus what --module asks for.
    local mods=()
    [[ $load_modules -eq 1 ]] && mods+=(inet_diag tcp_diag udp_diag unix_diag)
    mods+=("${extra_modules[@]}")
    local release
    release="$(cat "$kdir/release")"
    : >"$stage/etc/vm/modules"
    if [[ ${#mods[@]} -gt 0 ]]; then
        python3 "$HERE/vmtool.py" modules "$kdir/lib/modules/$release" \
            "$stage/lib/modules/$release" "${mods[@]}" >"$stage/etc/vm/modules"
    fi
    cat >"$stage/etc/vm/config" <<EOF
VM_CGROUP2=$cgroup2
VM_TEST_THREADS=$threads
EOF
    install -m 755 "$HERE/init.sh" "$stage/sbin/vm-init"
    ln -s sbin/vm-init "$stage/init"
    chmod -R a+rX "$stage"
}

# cpio_of DIR OUT: DIR as a newc initramfs, uncompressed (the kernel
# unpacks it faster than it would decompress it under emulation).
cpio_of() {
    (cd "$1" && find . -print0 | cpio --null -o -H newc --quiet --owner=0:0) >"$2"
}

# build_disk SERIES KDIR STAGE IMG INITRD: STAGE as an ext4 image, and a
# small initramfs (busybox, the virtio/ext4 modules, init-disk.sh) that
# mounts it as the root.
build_disk() {
    local series="$1" kdir="$2" stage="$3" img="$4" initrd="$5" release size boot
    release="$(cat "$kdir/release")"
    # Room for the tests' files (a 4 MiB write, copies of sleep, …).
    size=$(($(du -sm "$stage" | cut -f1) * 5 / 4 + 256))
    rm -f "$img"
    # ext4 asks the crypto API for crc32c at mount (there is no modprobe to
    # answer): crc32c_generic is loaded before it.
    mke2fs -q -t ext4 -L psutil-vm -d "$stage" "$img" "${size}M" >/dev/null
    boot="$CACHE/boot-$series"
    rm -rf "$boot"
    mkdir -p "$boot"/{usr/bin,usr/lib,etc/vm,proc,dev,newroot}
    ln -s usr/bin "$boot/bin"
    ln -s usr/bin "$boot/sbin"
    ln -s usr/lib "$boot/lib"
    cp /bin/busybox "$boot/usr/bin/busybox"
    for t in sh mount umount insmod sleep poweroff switch_root mkdir uname cat; do
        ln -s busybox "$boot/usr/bin/$t"
    done
    # virtio_pci/virtio are built into 6.12 (vmtool skips them there).
    python3 "$HERE/vmtool.py" modules "$kdir/lib/modules/$release" \
        "$boot/lib/modules/$release" virtio_pci virtio_blk crc32c_generic ext4 >"$boot/etc/vm/modules-boot"
    install -m 755 "$HERE/init-disk.sh" "$boot/init"
    cpio_of "$boot" "$initrd"
    rm -rf "$boot"
}

# ---- run --------------------------------------------------------------------

boot() {
    local series="$1" kdir="$2" initrd="$3" disk="$4" logf="$5" rc
    # Software emulation (TCG) by default: a /dev/kvm may be there and still
    # not work (nested virtualisation here hangs the guest at boot), and CI
    # must not depend on it. VM_ACCEL=kvm opts in where it works.
    local accel="${VM_ACCEL:-tcg}"
    local cpu=max
    [[ "$accel" == kvm ]] && cpu=host
    local cmd=(qemu-system-x86_64 -accel "$accel" -cpu "$cpu" -smp "$smp" -m "$mem"
        -kernel "$kdir/vmlinuz" -initrd "$initrd"
        ${disk:+-drive "file=$disk,format=raw,if=virtio,cache=unsafe"}
        -append "console=ttyS0 panic=-1 quiet loglevel=4 $append"
        -display none -serial stdio -monitor none -nic none -no-reboot)
    set +e
    # --foreground: timeout stays in our process group, so stopping this
    # script stops qemu too. sed -u, not tr: tr buffers 4 KiB at a time.
    timeout --foreground -k 10 "$timeout_s" "${cmd[@]}" </dev/null 2>&1 |
        sed -u 's/\r$//' | tee "$logf" |
        if [[ $verbose -eq 1 ]]; then cat; else
            # Progress only: which binary runs, and how each ended.
            grep --line-buffered -E '^@@VM-(KERNEL|UPTIME|BEGIN|END|WARN|DONE)' ||
                true
        fi | sed -u "s/^/[vm $series] /"
    rc=${PIPESTATUS[0]}
    set -e
    [[ $rc -ne 0 && $rc -ne 124 && $rc -ne 137 ]] && log "$series: qemu exited with $rc"
    [[ $rc -eq 124 || $rc -eq 137 ]] && log "$series: timed out after ${timeout_s}s"
    return 0
}

ensure_tools
mkdir -p "$CACHE/logs"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
if [[ $run_tests -eq 1 ]]; then
    log "building the test binaries"
    # The VM has no Python: the oracle tests skip themselves (no
    # PSUTIL_REQUIRE_ORACLE there), the fixture tests are left out.
    (cd "$ROOT" && cargo test -p psutil-rs -p psutil-rs-cli --no-run --message-format=json) |
        python3 "$HERE/vmtool.py" artifacts "${tests_re:-.}" |
        awk -F'\t' '$1 == "bin" || $2 !~ /^fixture_/' >"$CACHE/artifacts.tsv"
    [[ -s "$CACHE/artifacts.tsv" ]] || { log "no test binaries matched"; exit 1; }
else
    : >"$CACHE/artifacts.tsv"
fi

overall=0
summary=()
IFS=, read -ra series_list <<<"$kernels"
for series in "${series_list[@]}"; do
    t0=$SECONDS
    if ! fetch_kernel "$series"; then
        summary+=("$series: no kernel package")
        overall=1
        continue
    fi
    initrd="$CACHE/initrd-$series.cpio"
    stage="$CACHE/stage-$series"
    disk=""
    build_root "$series" "$KDIR" "$stage"
    if [[ "$rootfs" == disk ]]; then
        disk="$CACHE/root-$series.img"
        build_disk "$series" "$KDIR" "$stage" "$disk" "$initrd"
        log "$series: booting $(basename "$KDIR") (root disk $(du -sm "$stage" | cut -f1) MiB)"
    else
        cpio_of "$stage" "$initrd"
        log "$series: booting $(basename "$KDIR") (initramfs $(du -m "$initrd" | cut -f1) MiB)"
    fi
    rm -rf "$stage"
    logf="$CACHE/logs/$series.log"
    t1=$SECONDS
    boot "$series" "$KDIR" "$initrd" "$disk" "$logf"
    set +e
    python3 "$HERE/vmtool.py" report "$logf"
    rc=$?
    set -e
    summary+=("$series: $([[ $rc -eq 0 ]] && echo ok || echo FAILED) (VM $((SECONDS - t1))s, total $((SECONDS - t0))s; log $logf)")
    [[ $rc -eq 0 ]] || overall=1
    rm -f "$initrd" ${disk:+"$disk"}
done
printf '[vm] %s\n' "${summary[@]}"
exit $overall
