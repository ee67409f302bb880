/* Runs until a signal stops the launcher (run-kvm.sh: SIGINT/SIGTERM). */
int main(void)
{
	for (;;)
		__asm__ volatile("" ::: "memory");
}
