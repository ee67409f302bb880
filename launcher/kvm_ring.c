/*
 * kvm_ring.c - serve the monitor's submission queue (rvkvm_abi.h section 4)
 * on a doorbell exit or from the I/O thread, one server at a time.  Nothing
 * in the ring is trusted: every request is copied out of guest memory before
 * it is checked, and every segment must lie inside RAM; a buffer the host
 * writes must also stay clear of the boot structures below the image and of
 * the image's loaded text and data.  A request that fails a check gets an
 * error completion; the run goes on.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kvm.h"

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static long to_iovecs(struct kvm_vm *vm, const struct rvkvm_seg *segs, uint32_t n, int out,
		      struct iovec *iov)
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t gpa = segs[i].gpa, len = segs[i].len;
		if (gpa > vm->ram_size || len > vm->ram_size - gpa)
			return -EFAULT;
		if (out && (overlaps(gpa, len, 0, RVKVM_GPA_IMAGE) ||
			    overlaps(gpa, len, vm->load_addr, vm->load_end - vm->load_addr)))
			return -EFAULT;
		iov[i].iov_base = vm->ram + gpa;
		iov[i].iov_len = len;
	}
	return 0;
}

static long serve_log(struct kvm_vm *vm, const struct iovec *iov, unsigned n)
{
	size_t total = 0;

	for (unsigned i = 0; i < n; i++)
		total += iov[i].iov_len;
	if (vm->quiet)
		return (long)total;
	ssize_t r = writev(STDERR_FILENO, iov, (int)n);
	return r < 0 ? -errno : r;
}

/*
 * A host signal interrupts a read or write that waits (a pipe, a terminal)
 * by a kick to the serving thread (launcher/kvm.c), but a kick that lands
 * while the request is being set up is taken before the call starts, and
 * the call would then wait regardless.  So a signal the monitor has not yet
 * taken fails the call with -EINTR at once if it would wait, as Linux
 * fails a blocking call with a signal pending; one that would not wait (a
 * regular file, a pipe with data) goes ahead, as on Linux.  What remains
 * is the few instructions between this check and the system call.
 */
static int interrupted_before_wait(const struct kvm_vm *vm, const struct rvkvm_req *req)
{
	const struct rvkvm_ring *ring = kvm_vm_ring(vm);

	if ((req->op != HC_READ && req->op != HC_WRITE) || req->arg[0] < 0 ||
	    req->arg[0] > INT_MAX)
		return 0;
	if (!__atomic_load_n(&ring->host_signals, __ATOMIC_SEQ_CST) &&
	    !__atomic_load_n(&ring->host_stop, __ATOMIC_SEQ_CST))
		return 0;
	struct pollfd p = { (int)req->arg[0], req->op == HC_READ ? POLLIN : POLLOUT, 0 };
	return poll(&p, 1, 0) == 0;
}

/* One request; *exit_status set when it was HC_EXIT. */
static long serve_one(struct kvm_vm *vm, const struct rvkvm_req *req,
		      const struct rvkvm_seg segs[RVKVM_SEGS_PER_REQ], int *exit_status)
{
	struct iovec iov[RVKVM_MAX_BUFS][RVKVM_SEGS_PER_REQ];
	const struct iovec *bufs[RVKVM_MAX_BUFS];
	unsigned nseg[RVKVM_MAX_BUFS];
	unsigned out = rvkvm_hostcall_out_buffers(req->op);

	if (req->op == HC_INVALID || req->op >= HC_COUNT)
		return -ENOSYS;
	if (req->nbuf > RVKVM_MAX_BUFS)
		return -EINVAL;
	for (uint32_t b = 0; b < req->nbuf; b++) {
		uint64_t first = req->buf[b].first_seg, n = req->buf[b].nseg;
		if (first + n > RVKVM_SEGS_PER_REQ)
			return -EINVAL;
		long e = to_iovecs(vm, &segs[first], (uint32_t)n, !!(out & (1u << b)), iov[b]);
		if (e)
			return e;
		bufs[b] = iov[b];
		nseg[b] = (unsigned)n;
	}
	switch (req->op) {
	case HC_NOP:
		return 0;
	case HC_STATS:
		vm->guest_syscalls = (uint64_t)req->arg[0];
		return 0;
	case HC_EXIT:
		*exit_status = (int)(req->arg[0] & 0xff);
		return 0;
	case HC_LOG:
		if (req->nbuf != 1)
			return -EINVAL;
		return serve_log(vm, iov[0], nseg[0]);
	default:
		if (interrupted_before_wait(vm, req))
			return -EINTR;
		return hostcall_execute(req->op, req->arg, bufs, nseg, req->nbuf);
	}
}

/*
 * The gaps between requests, for the I/O thread's spin window and its
 * back-off (kvm_iothread.c): moving averages over about GAP_AVERAGE_OF
 * requests, which follow a program from one phase to the next within a few
 * dozen calls.
 */
#define GAP_AVERAGE_OF 8

static void note_arrival(struct kvm_vm *vm, int by_iothread)
{
	uint64_t now = kvm_now_ns();
	int who = vm->last_poller_awake;

	if (vm->last_request_ns) {
		int64_t avg = (int64_t)vm->gap_ns[who];
		int64_t delta = (int64_t)(now - vm->last_request_ns) - avg;
		if (!vm->gap_samples[who])
			avg += delta;
		else
			avg += delta / GAP_AVERAGE_OF;
		__atomic_store_n(&vm->gap_ns[who], (uint64_t)avg, __ATOMIC_RELAXED);
		__atomic_store_n(&vm->gap_samples[who], vm->gap_samples[who] + 1,
				 __ATOMIC_RELAXED);
	}
	vm->last_request_ns = now;
	/*
	 * A doorbell exit while the poller is awake counts on its side too: a
	 * poller that spins on a busy host slows every call, and the doorbell
	 * side must show what the guest gets with it asleep.
	 */
	vm->last_poller_awake = by_iothread || (vm->io.running &&
						!__atomic_load_n(&vm->io.sleeping, __ATOMIC_SEQ_CST));
}

static int serve_locked(struct kvm_vm *vm, int by_iothread)
{
	struct rvkvm_ring *ring = kvm_vm_ring(vm);
	uint32_t head = ring->sq_head;
	uint32_t tail = __atomic_load_n(&ring->sq_tail, __ATOMIC_ACQUIRE);
	int exit_status = -1;

	if (!vm->first_request_ns && head != tail)
		vm->first_request_ns = kvm_now_ns();
	if (tail - head > RVKVM_RING_ENTRIES) {
		if (by_iothread)
			return -1;
		fprintf(stderr, "rvkvm: monitor broke the ring: %u requests pending in %u slots\n",
			tail - head, RVKVM_RING_ENTRIES);
		return 70;
	}
	for (; head != tail && exit_status < 0; head++) {
		uint32_t slot = head % RVKVM_RING_ENTRIES, cq_tail = ring->cq_tail;
		if (cq_tail - __atomic_load_n(&ring->cq_head, __ATOMIC_ACQUIRE) >= RVKVM_RING_ENTRIES)
			break; /* completion queue full: the rest waits for the next doorbell */
		struct rvkvm_req req = ring->sq[slot];
		if (by_iothread && req.op == HC_EXIT)
			break;
		struct rvkvm_seg segs[RVKVM_SEGS_PER_REQ];
		memcpy(segs, ring->segs[slot], sizeof(segs));
		note_arrival(vm, by_iothread);
		long result = serve_one(vm, &req, segs, &exit_status);
		vm->requests++;
		vm->requests_by_iothread += !!by_iothread;
		if (result < 0)
			vm->failed++;
		ring->cq[cq_tail % RVKVM_RING_ENTRIES] = (struct rvkvm_cpl){ req.cookie, result };
		__atomic_store_n(&ring->cq_tail, cq_tail + 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&ring->sq_head, head, __ATOMIC_RELEASE);
	return exit_status;
}

int kvm_ring_serve(struct kvm_vm *vm, int by_iothread)
{
	pthread_mutex_lock(&vm->serve_lock);
	if (!by_iothread)
		vm->doorbells++;
	int status = serve_locked(vm, by_iothread);
	pthread_mutex_unlock(&vm->serve_lock);
	return status;
}
