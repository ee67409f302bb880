/*
 * gdbserve.c - -g PORT: one debugger connection on the loopback interface,
 * as qemu-user's -g offers it.  Only 127.0.0.1 is bound: the protocol can
 * read and write the guest's memory and has no authentication.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gdbserve.h"
#include "launcher.h"

/*
 * Written while the launcher sets itself up (proc) or on the first HC_GDB_*
 * call (kvm, from the vCPU loop's thread); read by the host calls after.
 */
static int listen_fd = -1;
static int conn_fd = -1;
static int listen_port;

void gdbserve_open(int port)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, fd;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die(1, "-g %d: socket: %s", port, strerror(errno));
	/* A debugger session that just ended leaves TIME_WAIT behind: rebind anyway. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die(1, "-g %d: cannot listen on 127.0.0.1:%d: %s", port, port, strerror(errno));
	/* Out of the guest's descriptor range and out of its reach. */
	fd = hostcall_reserve_fd(fd, HOSTCALL_FD_HIDDEN);
	if (fd < 0)
		die(1, "-g %d: cannot reserve a descriptor: %s", port, strerror(-fd));
	listen_fd = fd;
	listen_port = port;
}

void gdbserve_accept(void)
{
	int one = 1, fd;

	if (listen(listen_fd, 1) < 0)
		die(1, "-g %d: listen: %s", listen_port, strerror(errno));
	fprintf(stderr, "rvkvm: waiting for gdb on 127.0.0.1:%d\n", listen_port);
	do
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		die(1, "-g %d: accept: %s", listen_port, strerror(errno));
	/* One debugger per run: no one else may queue up behind it. */
	close(listen_fd);
	listen_fd = -1;
	/* Packets are small and strictly request/reply: Nagle would hold each one back. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		die(1, "-g %d: TCP_NODELAY: %s", listen_port, strerror(errno));
	fd = hostcall_reserve_fd(fd, HOSTCALL_FD_HIDDEN);
	if (fd < 0)
		die(1, "-g %d: cannot reserve a descriptor: %s", listen_port, strerror(-fd));
	conn_fd = fd;
}

int gdbserve_socket(void)
{
	return conn_fd;
}

/* The connection, accepting it first when the kvm monitor asks the first time. */
static int connection(void)
{
	if (conn_fd < 0 && listen_fd >= 0)
		gdbserve_accept();
	return conn_fd;
}

long gdbserve_recv(int nonblock, const struct iovec *iov, unsigned nseg)
{
	struct msghdr msg = {.msg_iov = (struct iovec *)iov, .msg_iovlen = nseg};
	int fd = connection();
	ssize_t n;

	if (fd < 0)
		return -ENOTCONN;
	do
		n = recvmsg(fd, &msg, nonblock ? MSG_DONTWAIT : 0);
	while (n < 0 && errno == EINTR);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return -EAGAIN;
	/* A reset or any other failure: the debugger is as good as gone. */
	return 0;
}

long gdbserve_send(const struct iovec *iov, unsigned nseg)
{
	int fd = connection();
	long total = 0;

	if (fd < 0)
		return -ENOTCONN;
	for (unsigned i = 0; i < nseg; i++) {
		struct iovec part = iov[i];

		while (part.iov_len) {
			struct msghdr msg = {.msg_iov = &part, .msg_iovlen = 1};
			ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
			part.iov_base = (char *)part.iov_base + n;
			part.iov_len -= (size_t)n;
			total += n;
		}
	}
	return total;
}
