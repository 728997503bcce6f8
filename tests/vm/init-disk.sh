#!/usr/bin/busybox sh
# /init of the small initramfs that boots the kernel-matrix VM from its
# root disk (tests/vm/run.sh, the default --rootfs disk): loads the
# virtio-blk and ext4 modules (Debian builds them as modules), mounts
# /dev/vda and hands over to the disk's /sbin/vm-init (tests/vm/init.sh).
# "/" is then a real block device, as the disk tests expect (psutil's
# disk_partitions(all=False) lists it, diskstats counts its I/O).
export PATH=/usr/bin:/usr/sbin
fatal() {
    echo "@@VM-FATAL $*"
    poweroff -f
}
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
while read -r mod; do
    [ -n "$mod" ] || continue
    insmod "/lib/modules/$(uname -r)/$mod" || echo "@@VM-WARN insmod $mod failed"
done </etc/vm/modules-boot
# The disk appears once virtio-pci has probed it.
n=0
while [ ! -b /dev/vda ] && [ $n -lt 100 ]; do
    sleep 0.1
    n=$((n + 1))
done
[ -b /dev/vda ] || fatal "no /dev/vda"
mkdir -p /newroot
mount -t ext4 -o rw,noatime /dev/vda /newroot || fatal "cannot mount /dev/vda"
umount /dev /proc
exec switch_root /newroot /sbin/vm-init
