/*
 * kvm_iothread.c - the I/O thread (--io-thread=on, the default on kvm): a
 * launcher thread that polls the submission ring while the guest is busy
 * with I/O, so most host calls cost no VM exit (rvkvm_abi.h section 4,
 * docs/architecture.md "The I/O thread").
 *
 * It spins for a while after the last request it served (spin_window()),
 * then announces that it sleeps (io_poller_awake = 0), re-reads sq_tail
 * after a full fence, and waits on a futex that the vCPU thread bumps at a
 * doorbell when spinning pays.  Serving itself is kvm_ring_serve(), under
 * the lock the doorbell path takes too.
 */
#include <errno.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kvm.h"

/*
 * How long the poller spins after the last request before it sleeps:
 * twice the recent gap between requests (kvm_ring.c keeps its average), so
 * a guest in a syscall-bound loop finds it awake, but only while that is
 * at most SPIN_MAX_NS; sparser requests get SPIN_MIN_NS, which still
 * catches a burst (a printf's writes, a stat then an open).  The figures,
 * measured (docs/architecture.md, "The I/O thread"): a guest's
 * syscall-bound loop submits a request every ~1-1.5 ms on an emulated-KVM
 * host (the monitor's instructions are emulated too), every few us on a
 * hardware one; beyond 10 ms apart, spinning catches nothing worth its CPU.
 */
#define SPIN_MIN_NS 30000ull
#define SPIN_MAX_NS 10000000ull
#define POLLS_PER_CLOCK_READ 32
#define JOIN_KICK_NS 10000000l /* re-kick a thread blocked in a host call */

static void futex_wait(uint32_t *word, uint32_t seen)
{
	/* EAGAIN (the word moved on) and EINTR (a kick) both mean: look again. */
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
}

static void futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/*
 * Back-off: the thread pays only if the guest spends less time per host
 * call with it than with doorbell exits.  It does not where the host has
 * fewer free CPUs than runnable threads: the poller is not scheduled within
 * the monitor's wait, and its spinning takes CPU time from the vCPU thread
 * (measured on an emulated-KVM host with a load average of 4-5 on 2 CPUs:
 * 1.3-2.6x slower than --io-thread=off, docs/performance.md).  So the gaps
 * after requests taken while it was awake (served by it, missed, or on a
 * doorbell exit) and while it slept are averaged apart (kvm_ring.c).
 * Once both have GAP_SAMPLES_TO_JUDGE samples and the awake one is not the
 * shorter, the poller sleeps and doorbells do not wake it, until
 * PROBE_AFTER doorbells later its average is dropped and it tries again.
 * Each try that fails doubles the wait, up to PROBE_AFTER_MAX: with a
 * fixed wait, a host that stayed busy saw a miss on 23% of the calls
 * (syswrite, docs/performance.md).
 */
#define GAP_SAMPLES_TO_JUDGE 8
#define PROBE_AFTER 64
#define PROBE_AFTER_MAX 4096

static int pays(struct kvm_vm *vm)
{
	if (__atomic_load_n(&vm->gap_samples[1], __ATOMIC_RELAXED) < GAP_SAMPLES_TO_JUDGE ||
	    __atomic_load_n(&vm->gap_samples[0], __ATOMIC_RELAXED) < GAP_SAMPLES_TO_JUDGE)
		return 1;
	return __atomic_load_n(&vm->gap_ns[1], __ATOMIC_RELAXED) <
	       __atomic_load_n(&vm->gap_ns[0], __ATOMIC_RELAXED);
}

/* 0: requests come too far apart, or the thread does not pay, for spinning. */
static uint64_t spin_window(struct kvm_vm *vm)
{
	/* The gaps of the way requests are served now, not of one long past. */
	int who = __atomic_load_n(&vm->last_poller_awake, __ATOMIC_RELAXED);
	uint64_t gap = 2 * __atomic_load_n(&vm->gap_ns[who], __ATOMIC_RELAXED);

	if (!pays(vm))
		return 0;
	return gap > SPIN_MAX_NS ? 0 : gap < SPIN_MIN_NS ? SPIN_MIN_NS : gap;
}

static void *poll_ring(void *arg)
{
	struct kvm_vm *vm = arg;
	struct kvm_iothread *io = &vm->io;
	struct rvkvm_ring *ring = kvm_vm_ring(vm);
	uint32_t seen = __atomic_load_n(&ring->sq_tail, __ATOMIC_ACQUIRE);
	uint64_t idle_since = kvm_now_ns();
	uint64_t window = SPIN_MIN_NS;
	unsigned polls = 0;

	__atomic_store_n(&io->tid, gettid(), __ATOMIC_SEQ_CST);
	__atomic_store_n(&ring->io_poller_awake, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&io->stop, __ATOMIC_ACQUIRE)) {
		uint32_t tail = __atomic_load_n(&ring->sq_tail, __ATOMIC_ACQUIRE);
		if (tail != seen) {
			/* Only this thread counts its own requests: no lock needed to read. */
			uint64_t before = vm->requests_by_iothread;

			/* What it leaves (HC_EXIT, a broken ring) waits for the doorbell. */
			kvm_ring_serve(vm, 1);
			seen = tail;
			if (vm->requests_by_iothread != before) {
				idle_since = kvm_now_ns();
				window = spin_window(vm);
				polls = 0;
			}
			continue;
		}
		__builtin_ia32_pause();
		/*
		 * No sched_yield(): on a busy host it hands the CPU away for a
		 * whole time slice (ms), longer than the monitor waits before
		 * it rings the doorbell anyway.
		 */
		if (++polls % POLLS_PER_CLOCK_READ ||
		    kvm_now_ns() - idle_since < (window ? window : SPIN_MIN_NS))
			continue;

		uint32_t wake = __atomic_load_n(&io->wake_seq, __ATOMIC_ACQUIRE);
		__atomic_store_n(&ring->io_poller_awake, 0, __ATOMIC_SEQ_CST);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&ring->sq_tail, __ATOMIC_ACQUIRE) == seen &&
		    !__atomic_load_n(&io->stop, __ATOMIC_ACQUIRE)) {
			io->sleeps++;
			__atomic_store_n(&io->sleeping, 1, __ATOMIC_SEQ_CST);
			futex_wait(&io->wake_seq, wake);
			__atomic_store_n(&io->sleeping, 0, __ATOMIC_SEQ_CST);
		}
		__atomic_store_n(&ring->io_poller_awake, 1, __ATOMIC_SEQ_CST);
		idle_since = kvm_now_ns();
		window = spin_window(vm);
	}
	__atomic_store_n(&ring->io_poller_awake, 0, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * Wake the poller.  It says it is awake itself, once it runs: set here, the
 * flag would make the monitor wait for a thread the host has not yet
 * scheduled (a futex wake-up takes tens of us to a few ms on a busy
 * emulated host), and count as a miss against it.
 */
static void wake(struct kvm_vm *vm)
{
	/* A poller that reads sleeping = 1 after this bump finds the word moved. */
	__atomic_add_fetch(&vm->io.wake_seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&vm->io.sleeping, __ATOMIC_SEQ_CST))
		futex_wake(&vm->io.wake_seq);
}

/* After the vCPU thread served a doorbell exit. */
void kvm_iothread_doorbell(struct kvm_vm *vm, int poller_was_awake)
{
	pthread_mutex_lock(&vm->serve_lock);
	/* A miss is what the thread costs: its gap counts on the thread's side. */
	if (poller_was_awake) {
		vm->io.misses++;
		vm->last_poller_awake = 1;
	}
	if (!pays(vm)) {
		if (++vm->io.doorbells_idle >= vm->io.probe_after) {
			vm->io.doorbells_idle = 0;
			if (vm->io.probe_after < PROBE_AFTER_MAX)
				vm->io.probe_after *= 2;
			__atomic_store_n(&vm->gap_samples[1], 0, __ATOMIC_RELAXED);
		}
	} else if (vm->gap_samples[1] >= GAP_SAMPLES_TO_JUDGE) {
		vm->io.probe_after = PROBE_AFTER;
	}
	pthread_mutex_unlock(&vm->serve_lock);
	if (spin_window(vm))
		wake(vm);
}

int kvm_iothread_start(struct kvm_vm *vm)
{
	int e;

	vm->io.probe_after = PROBE_AFTER;
	e = pthread_create(&vm->io.thread, NULL, poll_ring, vm);

	if (e)
		return kvm_fail(vm, "cannot start the I/O thread: %s (try --io-thread=off)",
				strerror(e));
	vm->io.started = vm->io.running = 1;
	return 0;
}

void kvm_iothread_stop(struct kvm_vm *vm)
{
	struct kvm_iothread *io = &vm->io;

	if (!io->running)
		return;
	__atomic_store_n(&io->stop, 1, __ATOMIC_RELEASE);
	wake(vm);
	/* A run that ended (a crash, a stop) while the thread waits in a host call. */
	for (;;) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += JOIN_KICK_NS;
		if (until.tv_nsec >= 1000000000l) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000l;
		}
		if (pthread_timedjoin_np(io->thread, NULL, &until) != ETIMEDOUT)
			break;
		pid_t tid = __atomic_load_n(&io->tid, __ATOMIC_SEQ_CST);
		if (tid)
			launcher_kick_thread(tid);
	}
	io->running = 0;
	__atomic_store_n(&io->tid, 0, __ATOMIC_SEQ_CST);
}
