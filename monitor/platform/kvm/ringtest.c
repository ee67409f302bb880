/*
 * ringtest.c - the RING_GARBAGE payload: drive the launcher's ring server
 * below plat_hostcall.  Forged requests (bad opcodes, too many buffers or
 * segments, segments outside RAM or over the monitor image) must each get
 * an error completion with the right cookie; a full ring of 64 requests
 * must complete in order after one doorbell; then 1 MiB of numbered 8-byte
 * records goes to stdout through guest memory, so the test can check order
 * and size.  Report lines go to stderr; exit 0 only if every check held.
 */
#include "kvm.h"
#include "platform.h"
#include "rt.h"
#include "x86.h"

#define BULK_GVA 0x60000000ull
#define BULK_SIZE 0x100000ull
#define DEFAULT_RANDOM_REQUESTS 48

static unsigned failures;

static void result(const char *name, int ok, long got)
{
	x86_logf("ring-test: %s: %s (result %ld)\n", name, ok ? "ok" : "FAIL", got);
	if (!ok)
		failures++;
}

/* Submit one raw request and return its completion's result. */
static long submit(struct rvkvm_ring *ring, const struct rvkvm_req *req,
		   const struct rvkvm_seg *segs, unsigned nseg)
{
	uint32_t tail = ring->sq_tail, slot = tail % RVKVM_RING_ENTRIES;

	ring->sq[slot] = *req;
	ring->sq[slot].cookie = tail;
	memcpy(ring->segs[slot], segs, nseg * sizeof(*segs));
	__atomic_store_n(&ring->sq_tail, tail + 1, __ATOMIC_RELEASE);
	kvm_doorbell();
	uint32_t head = ring->cq_head;
	if (head == __atomic_load_n(&ring->cq_tail, __ATOMIC_ACQUIRE))
		return 1; /* no completion: reported as a failure (result > 0) */
	struct rvkvm_cpl cpl = ring->cq[head % RVKVM_RING_ENTRIES];
	ring->cq_head = head + 1;
	return cpl.cookie == tail ? cpl.result : 2;
}

static void forged(struct rvkvm_ring *ring, uint32_t random_requests)
{
	static struct rvkvm_seg segs[RVKVM_SEGS_PER_REQ];
	uint64_t ram = x86_ram_top();
	struct rvkvm_req req;
	long r;

	memset(&req, 0, sizeof(req));
	req.op = HC_COUNT + 7;
	r = submit(ring, &req, segs, 0);
	result("bad-opcode", r < 0, r);

	req.op = HC_INVALID;
	r = submit(ring, &req, segs, 0);
	result("invalid-opcode", r < 0, r);

	/* A valid write to stderr, then broken variants of it. */
	static const char hello[] = "(a forged but valid write reached stderr)\n";
	segs[0] = (struct rvkvm_seg){ x86_virt_to_phys((uint64_t)hello), sizeof(hello) - 1 };
	req.op = HC_WRITE;
	req.arg[0] = 2;
	req.nbuf = 1;
	req.buf[0] = (struct rvkvm_buf){ 0, 1 };
	r = submit(ring, &req, segs, 1);
	result("valid-write", r == (long)sizeof(hello) - 1, r);

	req.nbuf = RVKVM_MAX_BUFS + 1;
	r = submit(ring, &req, segs, 1);
	result("too-many-buffers", r < 0, r);
	req.nbuf = 1;

	req.buf[0] = (struct rvkvm_buf){ 0, RVKVM_SEGS_PER_REQ + 1 };
	r = submit(ring, &req, segs, 1);
	result("too-many-segments", r < 0, r);

	req.buf[0] = (struct rvkvm_buf){ RVKVM_SEGS_PER_REQ - 1, 2 };
	r = submit(ring, &req, segs, 1);
	result("segments-past-slot", r < 0, r);

	req.buf[0] = (struct rvkvm_buf){ 0, 1 };
	segs[0] = (struct rvkvm_seg){ ram + X86_PAGE_SIZE, 16 };
	r = submit(ring, &req, segs, 1);
	result("segment-outside-ram", r < 0, r);

	segs[0] = (struct rvkvm_seg){ ~0ull - 8, 64 };
	r = submit(ring, &req, segs, 1);
	result("segment-wraps", r < 0, r);

	/* The host must not write over the image or the boot structures. */
	req.op = HC_READ;
	req.arg[0] = 0;
	segs[0] = (struct rvkvm_seg){ RVKVM_GPA_IMAGE, 64 };
	r = submit(ring, &req, segs, 1);
	result("read-into-image", r < 0, r);
	segs[0] = (struct rvkvm_seg){ RVKVM_GPA_RING, 64 };
	r = submit(ring, &req, segs, 1);
	result("read-into-ring", r < 0, r);

	/* Random garbage: opcodes out of range, or buffers outside RAM. */
	unsigned bad = 0;
	uint64_t t0 = plat_clock_monotonic_ns();

	for (uint32_t i = 0; i < random_requests; i++) {
		uint64_t rnd[4];
		plat_random(rnd, sizeof(rnd));
		memset(&req, 0, sizeof(req));
		req.arg[0] = (int64_t)rnd[1];
		req.arg[1] = (int64_t)rnd[2];
		if (i & 1) {
			req.op = HC_COUNT + (uint32_t)(rnd[0] % 100000);
			req.nbuf = (uint32_t)(rnd[0] >> 32) % 4;
		} else {
			static const uint32_t buffer_ops[] = { HC_READ, HC_WRITE, HC_PREAD, HC_PWRITE,
								HC_OPENAT, HC_FSTAT, HC_GETCWD, HC_LOG };
			req.op = buffer_ops[rnd[0] % RT_ARRAY_SIZE(buffer_ops)];
			req.nbuf = 1;
		}
		unsigned nseg = 1 + (unsigned)(rnd[3] % RVKVM_SEGS_PER_REQ);
		req.buf[0] = (struct rvkvm_buf){ 0, nseg };
		req.buf[1] = (struct rvkvm_buf){ (uint32_t)rnd[3], (uint32_t)(rnd[3] >> 32) };
		for (unsigned s = 0; s < nseg; s++)
			segs[s] = (struct rvkvm_seg){ ram + (rnd[2] % (1ull << 40)) + s * 4096, 4096 };
		r = submit(ring, &req, segs, nseg);
		if (r >= 0) {
			x86_logf("ring-test: random request op %u nbuf %u got %ld\n", req.op, req.nbuf, r);
			bad++;
		}
	}
	uint64_t us = (plat_clock_monotonic_ns() - t0) / 1000;

	x86_logf("ring-test: %u random requests in %llu us (%llu per second)\n", random_requests,
		 (unsigned long long)us,
		 (unsigned long long)(us ? (uint64_t)random_requests * 1000000 / us : 0));
	result("random-garbage", bad == 0, bad);
}

static void full_ring(struct rvkvm_ring *ring)
{
	uint32_t tail = ring->sq_tail, head = ring->cq_head;
	unsigned in_order = 0;

	for (uint32_t i = 0; i < RVKVM_RING_ENTRIES; i++) {
		struct rvkvm_req *req = &ring->sq[(tail + i) % RVKVM_RING_ENTRIES];
		memset(req, 0, sizeof(*req));
		req->op = HC_NOP;
		req->cookie = 0x1000 + i;
	}
	__atomic_store_n(&ring->sq_tail, tail + RVKVM_RING_ENTRIES, __ATOMIC_RELEASE);
	kvm_doorbell();
	uint32_t done = __atomic_load_n(&ring->cq_tail, __ATOMIC_ACQUIRE) - head;
	for (uint32_t i = 0; i < done && i < RVKVM_RING_ENTRIES; i++) {
		struct rvkvm_cpl *c = &ring->cq[(head + i) % RVKVM_RING_ENTRIES];
		in_order += c->cookie == 0x1000 + i && c->result == 0;
	}
	ring->cq_head = head + done;
	result("full-ring", done == RVKVM_RING_ENTRIES && in_order == RVKVM_RING_ENTRIES, in_order);
}

static void bulk(void)
{
	int r = plat_mem_map(BULK_GVA, BULK_SIZE, PLAT_PROT_READ | PLAT_PROT_WRITE);
	uint64_t done = 0, calls = 0;

	if (r) {
		result("bulk-map", 0, r);
		return;
	}
	/* Page i holds 512 records "page%03x\n": order is visible per page. */
	for (uint64_t page = 0; page < BULK_SIZE / X86_PAGE_SIZE; page++) {
		static const char hex[] = "0123456789abcdef";
		char rec[8] = { 'p', 'a', 'g', 'e', hex[(page >> 8) & 15], hex[(page >> 4) & 15],
				hex[page & 15], '\n' };
		uint64_t word, count = X86_PAGE_SIZE / 8;
		void *dst = plat_g2h(BULK_GVA + page * X86_PAGE_SIZE);
		memcpy(&word, rec, 8);
		__asm__ volatile("rep stosq" : "+D"(dst), "+c"(count) : "a"(word) : "memory");
	}
	while (done < BULK_SIZE) {
		struct plat_iov iov = { plat_g2h(BULK_GVA + done), BULK_SIZE - done };
		int64_t arg[6] = { 1 };
		long n = plat_hostcall(HC_WRITE, arg, &iov, 1);
		calls++;
		if (n <= 0) {
			result("bulk-write", 0, n);
			return;
		}
		done += n;
	}
	plat_mem_unmap(BULK_GVA, BULK_SIZE);
	x86_logf("ring-test: 1 MiB written to stdout in %llu host calls\n", (unsigned long long)calls);
	result("bulk-write", 1, (long)done);
}

_Noreturn void x86_payload_ring_test(uint32_t garbage_requests)
{
	struct rvkvm_ring *ring = kvm_ring();

	if (!ring) {
		x86_logf("ring-test: no launcher ring on this boot\n");
		plat_exit(1);
	}
	forged(ring, garbage_requests ? garbage_requests : DEFAULT_RANDOM_REQUESTS);
	full_ring(ring);
	bulk();
	x86_logf("ring-test: %s\n", failures ? "FAILED" : "all passed");
	plat_exit(failures ? 1 : 0);
}
