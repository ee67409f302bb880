#!/bin/bash
# Run a command as on a host without /dev/kvm: in a private mount namespace
# whose /dev holds only the usual character devices.  Needs root (unshare).
#   tests/nokvm/hide-kvm.sh make run
set -e
if [ "$1" != --inside ]; then
	exec unshare --mount --propagation private "$0" --inside "$@"
fi
shift
dev=$(mktemp -d)
mount -t tmpfs -o mode=755 rvkvm-nokvm "$dev"
for d in null zero full random urandom tty; do
	[ -e /dev/$d ] || continue
	touch "$dev/$d"
	mount --bind /dev/$d "$dev/$d"
done
mkdir "$dev/pts" "$dev/shm"
mount --bind /dev/pts "$dev/pts"
mount --bind /dev/shm "$dev/shm"
ln -s /proc/self/fd "$dev/fd"
ln -s /proc/self/fd/0 "$dev/stdin"
ln -s /proc/self/fd/1 "$dev/stdout"
ln -s /proc/self/fd/2 "$dev/stderr"
mount --move "$dev" /dev
exec "$@"
