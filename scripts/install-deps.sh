#!/bin/sh
# Install the Debian 12 packages rvkvm needs to build and test, if missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
set -e
PACKAGES="make gcc binutils libc6-dev gcc-riscv64-linux-gnu libc6-dev-riscv64-cross \
qemu-user qemu-system-x86 grub-pc-bin grub-common xorriso mtools \
libcapstone-dev binutils-multiarch-dev libseccomp-dev gdb-multiarch"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "rvkvm: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq $missing >/dev/null
else
	echo "rvkvm: missing packages:$missing" >&2
	echo "rvkvm: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
