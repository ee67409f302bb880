/*
 * What a guest can reach of the launcher: none of its descriptors (the
 * program, /dev/kvm, VM fds...) may be visible, closable or a dup3 target,
 * and /proc/self/mem (the launcher's memory) may not be opened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FD_PROBE_END 1024

int main(void)
{
	int visible = 0, closed = 0, duped = 0, mem;

	for (int fd = 3; fd < FD_PROBE_END; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) {
			printf("fd %d visible\n", fd);
			visible++;
		}
	}
	for (int fd = 3; fd < FD_PROBE_END; fd++)
		closed += close(fd) == 0;
	for (int fd = 3; fd < FD_PROBE_END; fd++)
		if (dup3(1, fd, 0) == fd) {
			duped++;
			close(fd);
		}
	mem = open("/proc/self/mem", O_RDWR);
	printf("visible %d closed %d dup3-targets %d of %d\n", visible, closed, duped,
	       FD_PROBE_END - 3);
	printf("open /proc/self/mem: %s\n", mem < 0 ? strerror(errno) : "opened");
	return 0;
}
