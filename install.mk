# make install [PREFIX=/usr/local] [DESTDIR=]; make uninstall
#
#   PREFIX/bin/rvkvm
#   PREFIX/lib/rvkvm/monitor.elf     found by rvkvm as ../lib/rvkvm/ from itself
#   PREFIX/share/man/man1/rvkvm.1
#   PREFIX/share/doc/rvkvm/          README.md and docs/*.md
PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL_BIN  = $(DESTDIR)$(PREFIX)/bin
INSTALL_LIB  = $(DESTDIR)$(PREFIX)/lib/rvkvm
INSTALL_MAN  = $(DESTDIR)$(PREFIX)/share/man/man1
INSTALL_DOC  = $(DESTDIR)$(PREFIX)/share/doc/rvkvm
INSTALL_DOCS = README.md $(wildcard docs/*.md)

.PHONY: install uninstall
install: $(B)/rvkvm $(B)/monitor.elf docs/rvkvm.1
	install -d $(INSTALL_BIN) $(INSTALL_LIB) $(INSTALL_MAN) $(INSTALL_DOC)
	install -m 755 $(B)/rvkvm $(INSTALL_BIN)/rvkvm
	install -m 644 $(B)/monitor.elf $(INSTALL_LIB)/monitor.elf
	install -m 644 docs/rvkvm.1 $(INSTALL_MAN)/rvkvm.1
	install -m 644 $(INSTALL_DOCS) $(INSTALL_DOC)/

uninstall:
	rm -f $(INSTALL_BIN)/rvkvm $(INSTALL_LIB)/monitor.elf $(INSTALL_MAN)/rvkvm.1
	rm -f $(addprefix $(INSTALL_DOC)/,$(notdir $(INSTALL_DOCS)))
	rmdir --ignore-fail-on-non-empty $(INSTALL_LIB) $(INSTALL_DOC)
