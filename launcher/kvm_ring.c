/*
 * kvm_ring.c - serve the monitor's submission queue (rvkvm_abi.h section 4)
 * on a doorbell exit.  Nothing in the ring is trusted: every request is
 * copied out of guest memory before it is checked, and every segment must
 * lie inside RAM; a buffer the host writes must also stay clear of the boot
 * structures below the image and of the image's loaded text and data.  A
 * request that fails a check gets an error completion; the run goes on.
 */
#include <errno.h>
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
	case HC_EXIT:
		*exit_status = (int)(req->arg[0] & 0xff);
		return 0;
	case HC_LOG:
		if (req->nbuf != 1)
			return -EINVAL;
		return serve_log(vm, iov[0], nseg[0]);
	default:
		return hostcall_execute(req->op, req->arg, bufs, nseg, req->nbuf);
	}
}

int kvm_ring_serve(struct kvm_vm *vm)
{
	struct rvkvm_ring *ring = (struct rvkvm_ring *)(vm->ram + RVKVM_GPA_RING);
	uint32_t head = ring->sq_head;
	uint32_t tail = __atomic_load_n(&ring->sq_tail, __ATOMIC_ACQUIRE);
	int exit_status = -1;

	if (!vm->first_request_ns)
		vm->first_request_ns = kvm_now_ns();
	vm->doorbells++;
	if (tail - head > RVKVM_RING_ENTRIES) {
		fprintf(stderr, "rvkvm: monitor broke the ring: %u requests pending in %u slots\n",
			tail - head, RVKVM_RING_ENTRIES);
		return 70;
	}
	for (; head != tail && exit_status < 0; head++) {
		uint32_t slot = head % RVKVM_RING_ENTRIES, cq_tail = ring->cq_tail;
		if (cq_tail - __atomic_load_n(&ring->cq_head, __ATOMIC_ACQUIRE) >= RVKVM_RING_ENTRIES)
			break; /* completion queue full: the rest waits for the next doorbell */
		struct rvkvm_req req = ring->sq[slot];
		struct rvkvm_seg segs[RVKVM_SEGS_PER_REQ];
		memcpy(segs, ring->segs[slot], sizeof(segs));
		long result = serve_one(vm, &req, segs, &exit_status);
		vm->requests++;
		if (result < 0)
			vm->failed++;
		ring->cq[cq_tail % RVKVM_RING_ENTRIES] = (struct rvkvm_cpl){ req.cookie, result };
		__atomic_store_n(&ring->cq_tail, cq_tail + 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&ring->sq_head, head, __ATOMIC_RELEASE);
	return exit_status;
}
