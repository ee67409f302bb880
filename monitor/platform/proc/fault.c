/*
 * fault.c - hardware faults of the proc platform: SIGSEGV and SIGBUS.
 *
 * A fault on the guest region (or its guard, or the kernel half, which a
 * guest address can only reach through a bounds-check bug) goes to the
 * translator, which knows from the host rip whether translated code made
 * the access.  Anything else is rvkvm's own crash: one line naming the host
 * rip and address, then status 70, never a silent core dump.
 *
 * The handler runs on its own stack, so an overflow of the launcher's stack
 * is reported too.
 */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "dbt.h"
#include "proc.h"
#include "rt.h"

#define ALT_STACK_SIZE (64 * 1024)
/* x86 #PF error code (SDM Vol. 3A, 4.7): bit 1 set for a write. */
#define PF_ERR_WRITE 2
/* Addresses from here up are the x86-64 kernel half or non-canonical. */
#define X86_USER_TOP 0x0000800000000000ull

extern const char __executable_start[];

_Noreturn void proc_internal_error(const char *what, uintptr_t rip, uintptr_t addr)
{
	char line[200];
	int n =
	    rt_snprintf(line, sizeof(line),
			"rvkvm: internal error: %s at host rip %#lx (rvkvm+%#lx), address %#lx\n",
			what, (unsigned long)rip,
			(unsigned long)(rip - (uintptr_t)__executable_start), (unsigned long)addr);

	write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	_exit(PROC_STATUS_INTERNAL);
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *gregs = uc->uc_mcontext.gregs;
	uintptr_t addr = (uintptr_t)si->si_addr;
	uintptr_t rip = (uintptr_t)gregs[REG_RIP];
	int access = (gregs[REG_ERR] & PF_ERR_WRITE) ? DBT_ACCESS_WRITE : DBT_ACCESS_READ;
	/* A #GP (non-canonical address) reports no address: SI_KERNEL. */
	int no_addr = si->si_code == SI_KERNEL;

	if (proc_in_guest_region(addr) || addr >= X86_USER_TOP || no_addr) {
		uint64_t gva = no_addr ? ~0ull : addr - plat_guest_base;

		uint64_t gpr[DBT_GPRS] = {
		    gregs[REG_RAX], gregs[REG_RCX], gregs[REG_RDX], gregs[REG_RBX],
		    gregs[REG_RSP], gregs[REG_RBP], gregs[REG_RSI], gregs[REG_RDI],
		    gregs[REG_R8],  gregs[REG_R9],  gregs[REG_R10], gregs[REG_R11],
		    gregs[REG_R12], gregs[REG_R13], gregs[REG_R14], gregs[REG_R15],
		};
		uint64_t xmm[16];
		for (int i = 0; i < 16; i++)
			xmm[i] = (uint64_t)uc->uc_mcontext.fpregs->_xmm[i].element[1] << 32 |
				 uc->uc_mcontext.fpregs->_xmm[i].element[0];
		switch (dbt_fault(rip, gva, access, gpr, xmm)) {
		case DBT_FAULT_RETRY:
			return;
		case DBT_FAULT_UNWIND:
			gregs[REG_RIP] = (greg_t)(uintptr_t)dbt_fault_exit;
			return;
		}
	}
	proc_internal_error(sig == SIGBUS ? "SIGBUS" : "SIGSEGV", rip, addr);
}

void proc_fault_init(void)
{
	stack_t ss = {0};
	struct sigaction sa;

	ss.ss_sp =
	    mmap(NULL, ALT_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss.ss_size = ALT_STACK_SIZE;
	if (ss.ss_sp == MAP_FAILED || sigaltstack(&ss, NULL) < 0)
		plat_panic("cannot set up the signal stack");

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) < 0 || sigaction(SIGBUS, &sa, NULL) < 0)
		plat_panic("cannot install the fault handler");
}
