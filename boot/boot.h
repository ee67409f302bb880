/*
 * boot.h - the rvkvm_abi.h constants the assembly needs, in a form GNU as
 * reads (no C types, no integer suffixes).  monitor/main.c checks each one
 * against rvkvm_abi.h at compile time.
 */
#ifndef RVKVM_BOOT_H
#define RVKVM_BOOT_H

#define BOOT_IMAGE_VIRT_BASE 0xffffff0000000000
#define BOOT_IMAGE_MAGIC     0x4547414d494b5652
#define BOOT_ABI_VERSION     1
#define BOOT_STACK_SIZE      65536

#endif
