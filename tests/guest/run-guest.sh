#!/bin/bash
# Stage-1 guest programs (tests/guest/*.c), each run under qemu-riscv64 and
# under rvkvm on every platform; stdout, stderr, exit status and the files
# written must be the same.  kvm runs get smaller inputs: on an emulated-KVM
# host every guest instruction costs ~240 ns there, and a glibc program takes
# 10-60 s, so there kvm runs the programs that exercise platform code (memory,
# faults, I/O, code write-protection, FP helpers) and leaves the ones that
# only test shared translator and personality code to proc.  The kvm runs
# go two at a time (rv_job): each is one busy vCPU on an emulated-KVM host.
set -u
. "$(dirname "$0")/../lib.sh"

G=$RV_BUILD/guest
DATA=$RV_BUILD/guest-data
mkdir -p "$DATA"

# Word-count inputs: deterministic text, 10 MB for proc and 64 KB for kvm.
make_text() {
	awk -v n="$2" 'BEGIN {
		split("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu", w, " ");
		x = 12345; out = 0;
		while (out < n) {
			x = (x * 1103515245 + 12345) % 2147483648;
			s = w[x % 12 + 1] ((x % 7 == 0) ? "\n" : " ");
			printf "%s", s; out += length(s);
		}
	}' >"$1.tmp" && mv "$1.tmp" "$1"
}
[ -s "$DATA/text-10m" ] || make_text "$DATA/text-10m" 10000000
[ -s "$DATA/text-64k" ] || make_text "$DATA/text-64k" 65536
[ -s "$DATA/text-4k" ] || make_text "$DATA/text-4k" 4096

# The directory for ls: fixed names, sizes, modes and times.
FIX=$DATA/lsdir
if [ ! -d "$FIX" ]; then
	mkdir -p "$FIX.tmp/sub" && (
		cd "$FIX.tmp" &&
		printf 'hello\n' >a.txt && head -c 3000 /dev/zero >zeros &&
		printf '#!/bin/sh\n' >run.sh && chmod 755 run.sh && chmod 600 zeros &&
		ln -s a.txt link && printf 'x' >sub/inner &&
		touch -h -d '2020-01-02 03:04:05 UTC' a.txt zeros run.sh link sub/inner sub
	) && mv "$FIX.tmp" "$FIX"
fi

# compare_with_qemu, as a background job on kvm.
check() {
	if [ "$platform" = kvm ]; then
		rv_job compare_with_qemu "$@"
	else
		compare_with_qemu "$@"
	fi
}

for platform in $(rv_platforms); do
	small=0
	[ "$platform" = kvm ] && small=1
	t=guest
	# On kvm the same program, compared the same way, is
	# install/run-hello/kvm (the installed rvkvm).
	rv_kvm_subset "$t/hello/$platform" "$platform" &&
		check "$t/hello/$platform" "$platform" -- "$G/hello"
	rv_kvm_subset "$t/args/$platform" "$platform" &&
		check "$t/args/$platform" "$platform" -- "$G/args" one "two words" "" "-x"
	rv_kvm_subset "$t/fileio/$platform" "$platform" &&
		check "$t/fileio/$platform" "$platform" -- "$G/fileio"
	# On kvm brk growth is mmap's, mmap past glibc's threshold mmap's
	# and bigmem's too.
	if [ $small = 1 ]; then
		rv_kvm_subset "$t/malloc/$platform" "$platform" &&
			check "$t/malloc/$platform" "$platform" -- "$G/malloc" 60 140000
	else
		check "$t/malloc/$platform" "$platform" -- "$G/malloc" 20000
	fi
	check "$t/mmap/$platform" "$platform" -- "$G/mmap"
	check "$t/hugepages/$platform" "$platform" -- "$G/hugepages"
	check "$t/procself/$platform" "$platform" -- "$G/procself" one "two words"
	check "$t/fp/$platform" "$platform" -- "$G/fp"
	rv_kvm_subset "$t/atomics/$platform" "$platform" &&
		check "$t/atomics/$platform" "$platform" -- "$G/atomics"
	check "$t/amo-misaligned/$platform" "$platform" -- "$G/amo-misaligned"
	rv_kvm_subset "$t/syscalls/$platform" "$platform" &&
		check "$t/syscalls/$platform" "$platform" -- "$G/syscalls"
	rv_kvm_subset "$t/setjmp/$platform" "$platform" &&
		check "$t/setjmp/$platform" "$platform" -- "$G/setjmp"
	check "$t/smc/$platform" "$platform" -- "$G/smc"
	check "$t/strfuncs/$platform" "$platform" -- "$G/strfuncs"
	# System calls that drop their own block's code, handlers entered at a call's return.
	check "$t/ecall/$platform" "$platform" -- "$G/ecall"
	rv_kvm_subset "$t/divzero/$platform" "$platform" &&
		check "$t/divzero/$platform" "$platform" -- "$G/divzero"
	check "$t/illegal/$platform" "$platform" -- "$G/illegal"
	rv_kvm_subset "$t/ls/$platform" "$platform" &&
		check "$t/ls/$platform" "$platform" -- "$G/ls" "$FIX" "$FIX/sub"
	check "$t/stdin/$platform" "$platform" --stdin "$DATA/text-4k" -- "$G/stdin"
	if [ $small = 1 ]; then
		# On kvm reads through the ring are stdin's; files opened,
		# read and mapped dynamic/hello's (ld.so and libc.so).
		rv_kvm_subset "$t/wc-64k/$platform" "$platform" &&
			check "$t/wc-64k/$platform" "$platform" -- "$G/wc" "$DATA/text-64k"
		check "$t/bigmem-8m/$platform" "$platform" -- "$G/bigmem" 8
	else
		check "$t/wc-10m/$platform" "$platform" -- "$G/wc" "$DATA/text-10m"
		check "$t/bigmem-256m/$platform" "$platform" -- "$G/bigmem" 256
		# 2 GiB twice over (qemu, then rvkvm) needs the host memory for it.
		avail=$(awk '/^MemAvailable:/ { print int($2 / 1048576) }' /proc/meminfo)
		if [ "${avail:-0}" -ge 6 ]; then
			check "$t/bigmem-2g/$platform" "$platform" --timeout 300 -- "$G/bigmem" 2048
		else
			echo "SKIP $t/bigmem-2g/$platform: only ${avail} GiB available, 6 needed"
		fi
	fi
	rv_jobs_wait
done

# --stats counts page faults: bigmem touching 17 MiB a page at a time must
# show more than touching 1 MiB, at least one more per 2 MiB (the fewest
# there can be: the host's huge pages on proc, the monitor's large pages
# on kvm; 4 KiB pages or kvm's 16-page populate runs make many more).
faults_of() {
	"$RVKVM" --platform="$1" --stats "$G/bigmem" "$2" 2>&1 >/dev/null |
		awk '/stats: page faults/ {print $NF}'
}
for platform in $(rv_platforms); do
	name=guest/page-faults/$platform
	rv_platform_ready "$name" "$platform" || continue
	few=$(faults_of "$platform" 1)
	many=$(faults_of "$platform" 17)
	if [ -n "$few" ] && [ -n "$many" ] && [ $((many - few)) -ge 8 ]; then
		echo "PASS $name ($few faults for 1 MiB, $many for 17 MiB)"
	else
		echo "FAIL $name: ${few:-no} page faults for 1 MiB, ${many:-no} for 17 MiB; 8 more expected"
	fi
done

# /proc/self/environ holds the guest's environment, -E included, where
# qemu-riscv64 7.2 shows its own (so this one is not compared with it).
for platform in $(rv_platforms); do
	name=guest/procself-environ/$platform
	rv_platform_ready "$name" "$platform" || continue
	out=$("$RVKVM" --platform="$platform" -E RVKVM_TEST_ENVIRON=set -U HOME "$G/procself" --environ 2>&1)
	if grep -q '^environ: same as the environment 1$' <<<"$out"; then
		echo "PASS $name"
	else
		echo "FAIL $name: $(tr '\n' '|' <<<"$out" | cut -c1-200)"
	fi
done

# A guest's huge-page advice reaches the host on proc, where guest memory
# is the process's own: touching 16 MiB after MADV_HUGEPAGE must add huge
# pages to the process, after MADV_NOHUGEPAGE none, and MADV_COLLAPSE of
# 4 MiB touched without advice must make some.  A host whose transparent
# huge pages are off cannot show any.
name=guest/huge-pages/proc
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
if [[ $thp != *"[always]"* && $thp != *"[madvise]"* ]]; then
	echo "SKIP $name: the host's transparent huge pages are off (${thp:-not built})"
elif rv_platform_ready "$name" proc; then
	report=$("$RVKVM" --platform=proc "$G/hugepages" report 2>&1)
	gain() { awk -v what="$1:" '$1 == what && $3 == "0" { print $(NF - 1) }' <<<"$report"; }
	advised=$(gain advised) forbidden=$(gain forbidden) collapsed=$(gain collapsed)
	if [ "${advised:-+0}" != +0 ] && [ "$forbidden" = +0 ] && [ "${collapsed:-+0}" != +0 ]; then
		echo "PASS $name (AnonHugePages $advised kB advised, $forbidden forbidden, $collapsed collapsed)"
	else
		echo "FAIL $name: huge pages not as advised:" $report
	fi
fi

# The C library routines run as host code (monitor/linux/routines.c):
# strfuncs must have called them, some must have declined (its faulting
# cases) but not many (a loop back to strcmp's entry asks no more), and
# with --no-host-strings none runs and the output is the same.
routines_of() {
	awk '/stats: library routines/ { print $5, $11 }' "$1"
}
for platform in $(rv_platforms); do
	name=guest/host-strings/$platform
	rv_platform_ready "$name" "$platform" || continue
	out=$DATA/strfuncs-$platform
	"$RVKVM" --platform="$platform" --stats "$G/strfuncs" >"$out.host" 2>"$out.host-err"
	"$RVKVM" --platform="$platform" --stats --no-host-strings "$G/strfuncs" \
		>"$out.guest" 2>"$out.guest-err"
	read -r ran declined <<<"$(routines_of "$out.host-err")"
	read -r ran_own _ <<<"$(routines_of "$out.guest-err")"
	if [ "${ran:-0}" -ge 10000 ] && [ "${declined:-0}" -ge 10 ] && [ "${declined:-0}" -le 100 ] &&
		[ "${ran_own:-1}" = 0 ] &&
		cmp -s "$out.host" "$out.guest"; then
		echo "PASS $name ($ran calls, $declined declined)"
	else
		echo "FAIL $name: ${ran:-no} routine calls (10000 expected), ${declined:-no} declined" \
			"(10 to 100 expected), ${ran_own:-no} with --no-host-strings (0 expected)," \
			"output $(cmp -s "$out.host" "$out.guest" && echo same || echo differs)"
	fi
done
exit 0
