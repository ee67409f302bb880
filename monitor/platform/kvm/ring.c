/*
 * ring.c - the kvm I/O backend: host calls over the shared ring
 * (rvkvm_abi.h section 4), exit, log and crash through I/O ports.
 *
 * Buffers become guest-physical scatter lists: guest pages are populated
 * first (the launcher writes physical memory, so it cannot take our lazy
 * faults), then each page is looked up in the page tables and merged with
 * its neighbour when physically contiguous.  A buffer needing more than
 * the slot's RVKVM_SEGS_PER_REQ segments is cut short: the host call does a
 * short transfer, as read(2)/write(2) may.
 */
#include "dbt.h"
#include "kvm.h"
#include "linux.h"
#include "rt.h"
#include "x86.h"

#define EFAULT 14
#define EINTR 4
#define GUEST_HALF_END 0x0000800000000000ull

/* Set by kvm_early/kvm_start; the ring itself is shared with the launcher. */
static uint64_t ring_gpa, tsc_khz_from_host;
static struct rvkvm_ring *ring;

struct rvkvm_ring *kvm_ring(void)
{
	return ring;
}

/* Append [base, base+len) to segs; returns 0, or -EFAULT if nothing fit. */
static int add_segments(struct rvkvm_seg *segs, uint32_t *nseg, const struct plat_iov *iov, int out)
{
	uint64_t va = (uint64_t)iov->base, left = iov->len, first = *nseg;

	while (left) {
		uint64_t chunk = X86_PAGE_SIZE - (va & (X86_PAGE_SIZE - 1));
		if (chunk > left)
			chunk = left;
		if (va < GUEST_HALF_END &&
		    x86_guest_populate(va, chunk, out ? DBT_ACCESS_WRITE : DBT_ACCESS_READ))
			return *nseg == first ? -EFAULT : 0;
		uint64_t pa = x86_virt_to_phys(va);
		if (pa == ~0ull)
			return *nseg == first ? -EFAULT : 0;
		struct rvkvm_seg *last = &segs[*nseg - 1];
		if (*nseg > first && last->gpa + last->len == pa) {
			last->len += chunk;
		} else {
			if (*nseg == RVKVM_SEGS_PER_REQ)
				return 0;
			segs[(*nseg)++] = (struct rvkvm_seg){ pa, chunk };
		}
		va += chunk;
		left -= chunk;
	}
	return 0;
}

/*
 * Poll for the completion of the request just submitted to an awake poller,
 * for at most WAIT_SPIN_US; 0 if none came (the caller rings the doorbell,
 * and the vCPU thread then waits in the launcher, off the CPU, for a call
 * that blocks).  The budget is a few doorbell exits' worth (7.5 us each on
 * an emulated-KVM host, 5 us on hardware): on an emulated host an awake
 * poller's completion came within the first 16 polls in all but 2-7 of
 * about 350 calls (docs/architecture.md, "The I/O thread"), and spinning
 * longer than the exit it saves only burns the CPU a blocked call does not
 * need.
 */
#define WAIT_SPIN_US 60
#define WAIT_POLLS_PER_TSC_READ 16
#define WAIT_POLLS_WITHOUT_TSC 4096

static int wait_completion(uint32_t head)
{
	uint64_t budget = tsc_khz_from_host * WAIT_SPIN_US / 1000, start = 0;

	for (unsigned polls = 0;; polls++) {
		if (__atomic_load_n(&ring->cq_tail, __ATOMIC_ACQUIRE) != head)
			return 1;
		__builtin_ia32_pause();
		if (polls % WAIT_POLLS_PER_TSC_READ)
			continue;
		if (!budget) {
			if (polls >= WAIT_POLLS_WITHOUT_TSC)
				return 0;
			continue;
		}
		uint64_t now = x86_rdtsc();
		if (!start)
			start = now;
		else if (now - start >= budget)
			return 0;
	}
}

/*
 * A -EINTR completion: the launcher stored the signal (or an end) in the
 * ring header before the call was interrupted, but its NMI may still be on
 * the way; take them now, as the NMI handler would, so the personality's
 * restart logic sees why the call stopped.
 */
static void take_host_signals(void)
{
	uint64_t sigs = __atomic_exchange_n(&ring->host_signals, 0, __ATOMIC_SEQ_CST);
	uint32_t stop = __atomic_exchange_n(&ring->host_stop, 0, __ATOMIC_SEQ_CST);

	if (sigs || stop)
		linux_host_signals(sigs, (int)stop);
}

static long kvm_hostcall(uint32_t op, const int64_t arg[6], const struct plat_iov *buf,
			 unsigned nbuf)
{
	uint32_t tail = ring->sq_tail, slot = tail % RVKVM_RING_ENTRIES, nseg = 0;
	struct rvkvm_req *req = &ring->sq[slot];
	unsigned out = rvkvm_hostcall_out_buffers(op);

	if (nbuf > RVKVM_MAX_BUFS)
		return -EFAULT;
	req->cookie = tail;
	req->op = op;
	req->nbuf = nbuf;
	for (int i = 0; i < 6; i++)
		req->arg[i] = arg ? arg[i] : 0;
	for (unsigned b = 0; b < nbuf; b++) {
		req->buf[b].first_seg = nseg;
		int err = add_segments(ring->segs[slot], &nseg, &buf[b], out & (1u << b));
		if (err)
			return err;
		req->buf[b].nseg = nseg - req->buf[b].first_seg;
	}
	__atomic_store_n(&ring->sq_tail, tail + 1, __ATOMIC_RELEASE);
	/* Dekker with the poller (rvkvm_abi.h section 4): the store of sq_tail
	 * must be visible before io_poller_awake is read, which only a full
	 * fence orders on x86 (SDM vol. 3 9.2.3.4: loads may pass earlier
	 * stores). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (op == HC_EXIT || !__atomic_load_n(&ring->io_poller_awake, __ATOMIC_RELAXED) ||
	    !wait_completion(ring->cq_head))
		kvm_doorbell();

	uint32_t head = ring->cq_head;
	if (head == __atomic_load_n(&ring->cq_tail, __ATOMIC_ACQUIRE))
		plat_panic("ring: the launcher posted no completion");
	struct rvkvm_cpl cpl = ring->cq[head % RVKVM_RING_ENTRIES];
	__atomic_store_n(&ring->cq_head, head + 1, __ATOMIC_RELEASE);
	if (cpl.cookie != tail)
		plat_panic("ring: completion for another request");
	if (cpl.result == -EINTR)
		take_host_signals();
	return cpl.result;
}

/* Before the ring is up (early boot), bytes go out one exit each. */
static void console_write(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		x86_outb(RVKVM_PORT_CONSOLE, (uint8_t)text[i]);
}

static void kvm_log(const char *text, size_t len)
{
	if (!ring) {
		console_write(text, len);
		return;
	}
	struct plat_iov iov = { (void *)text, len };
	if (kvm_hostcall(HC_LOG, NULL, &iov, 1) < 0)
		console_write(text, len);
}

static _Noreturn void kvm_exit(int status)
{
	x86_outl(RVKVM_PORT_EXIT, (uint32_t)status & 0xff);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static _Noreturn void kvm_crash(const struct rvkvm_crash *report)
{
	/* The report is in the image, whose physical address is fixed. */
	x86_outl(RVKVM_PORT_CRASH, (uint32_t)((uint64_t)report - RVKVM_IMAGE_VIRT_BASE));
	for (;;)
		__asm__ volatile("cli; hlt");
}

static uint64_t kvm_tsc_khz(void)
{
	return tsc_khz_from_host;
}

const struct x86_io_ops kvm_io_ops = {
	.name = "kvm",
	.hostcall = kvm_hostcall,
	.exit = kvm_exit,
	.log = kvm_log,
	.crash = kvm_crash,
	.tsc_khz = kvm_tsc_khz,
};

void kvm_ring_setup(uint64_t gpa, uint64_t tsc_khz)
{
	ring_gpa = gpa;
	tsc_khz_from_host = tsc_khz;
}

void kvm_ring_start(void)
{
	ring = x86_phys_to_virt(ring_gpa);
	if (ring->entries != RVKVM_RING_ENTRIES)
		plat_panic("ring: the launcher's ring has another size");
}
