/*
 * gdbserve.h - -g PORT: the launcher's end of the GDB remote stub.  The
 * protocol itself is the monitor's (monitor/linux/gdbstub.c); the launcher
 * only owns the TCP connection and moves bytes for HC_GDB_RECV and
 * HC_GDB_SEND (rvkvm_abi.h section 5).
 */
#ifndef RVKVM_GDBSERVE_H
#define RVKVM_GDBSERVE_H

#include <sys/uio.h>

/* Bind 127.0.0.1:port (not yet listening); dies with status 1 when it cannot. */
void gdbserve_open(int port);

/*
 * Listen, say "rvkvm: waiting for gdb on 127.0.0.1:PORT" on stderr, and wait
 * for the debugger to connect.  proc calls it before its sandbox closes; on
 * kvm the first HC_GDB_* call does, once the monitor is ready to answer.
 */
void gdbserve_accept(void);

/* The debugger's connection, or -1 before gdbserve_accept(). */
int gdbserve_socket(void);

/* HC_GDB_RECV and HC_GDB_SEND: bytes, 0 = the debugger is gone, or -errno. */
long gdbserve_recv(int nonblock, const struct iovec *iov, unsigned nseg);
long gdbserve_send(const struct iovec *iov, unsigned nseg);

#endif
