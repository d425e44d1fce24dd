# complaint - GNU make, no recursion.
#
#   make            build the library and the programs into build/
#   make check      build and run every test through prove (TAP)
#   make check SANITIZE=1   the same under ASan and UBSan (build-san/)
#   make check-pg   the program tests again on a throwaway PostgreSQL server
#   make fuzz       run every fuzz target for FUZZTIME seconds (clang)
#   make bench      run the benchmarks in tests/bench/
#   make install / uninstall   honour PREFIX, DESTDIR, BINDIR, LIBDIR, MANDIR

VERSION    = 0.1.0
SOVERSION  = 0

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR    ?= $(PREFIX)/share/man
DATADIR   ?= $(PREFIX)/share
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
# libpq: the PostgreSQL store (lib/backend_pg.c), shared by a team.
# Its header is needed to build; the library itself is loaded with
# dlopen at the first PostgreSQL store (lib/pq_load.h says why), so it
# is not linked.
DEPS       = sqlite3 libcjson yaml-0.1
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEPS) libpq)
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEPS)) -ldl

CFLAGS    ?= -O2 -g
WARN       = -Wall -Wextra -Wshadow -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -Ilib $(DEP_CFLAGS)
LDLIBS     = $(DEP_LIBS) -lm
# The programs see the public header only: no -Ilib for cmd/.
CMD_CFLAGS = $(filter-out -Ilib,$(ALL_CFLAGS))

ifeq ($(SANITIZE),1)
B          = build-san
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
else
B          = build
endif
ifeq ($(WERROR),1)
ALL_CFLAGS += -Werror
endif

PROGRAMS  = $(patsubst cmd/%.c,%,$(wildcard cmd/cmp-*.c))
LIB_SRC   = $(wildcard lib/*.c)
LIB_OBJ   = $(patsubst lib/%.c,$(B)/lib/%.o,$(LIB_SRC)) $(B)/lib/defaults.o
CMD_OBJ   = $(B)/cmd/common.o $(B)/cmd/change.o $(B)/cmd/batch.o
BINS      = $(addprefix $(B)/bin/,$(PROGRAMS))
UNIT_SRC  = $(wildcard tests/unit/*.c)
UNITS     = $(patsubst tests/unit/%.c,$(B)/tests/%.test,$(UNIT_SRC))
PROG_TESTS = $(sort $(wildcard tests/prog/*.t))
MANPAGES  = $(wildcard man/*.[157])
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz-*.c)
FUZZERS   = $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRC))
FUZZTIME ?= 60

STATIC    = $(B)/libcomplaint.a
SHARED    = $(B)/libcomplaint.so.$(VERSION)
SONAME    = libcomplaint.so.$(SOVERSION)

all: $(STATIC) $(SHARED) $(BINS) $(B)/complaint.pc

$(B)/lib $(B)/cmd $(B)/bin $(B)/tests:
	@mkdir -p $@

# Objects are built once, position-independent, for both libraries.
$(B)/lib/%.o: lib/%.c include/complaint.h $(wildcard lib/*.h) | $(B)/lib
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

# The built-in configuration: share/complaint/config.yaml's text and its
# tree as C, written by a tool of its own (lib/gen/embed-config.c says
# why), which reads it with the library's YAML reader.
$(B)/lib/embed-config: lib/gen/embed-config.c $(B)/lib/yaml_tree.o $(B)/lib/util.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/lib/defaults.c: share/complaint/config.yaml $(B)/lib/embed-config
	$(B)/lib/embed-config share/complaint/config.yaml >$@.tmp
	mv $@.tmp $@

$(B)/lib/defaults.o: $(B)/lib/defaults.c
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

$(STATIC): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(SHARED): $(LIB_OBJ)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $(LIB_OBJ) $(LDLIBS)
	ln -sf libcomplaint.so.$(VERSION) $(B)/$(SONAME)
	ln -sf libcomplaint.so.$(VERSION) $(B)/libcomplaint.so

$(B)/cmd/%.o: cmd/%.c $(wildcard cmd/*.h) include/complaint.h | $(B)/cmd
	$(CC) $(CMD_CFLAGS) -Icmd -c -o $@ $<

$(B)/bin/%: $(B)/cmd/%.o $(CMD_OBJ) $(STATIC) | $(B)/bin
	$(CC) $(LDFLAGS) -o $@ $< $(CMD_OBJ) $(STATIC) $(LDLIBS)

$(B)/tests/%.test: tests/unit/%.c tests/unit/tap.h tests/unit/times.h $(STATIC) | $(B)/tests
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(STATIC) $(LDFLAGS) $(LDLIBS)

PC_SUBST = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|'

$(B)/complaint.pc: complaint.pc.in Makefile | $(B)/lib
	$(PC_SUBST) $< >$@

# Every test speaks TAP; prove runs them and prints the summary line.
# Two files at a time, as many as the machine has cores: each test file
# works in a scratch directory and a store (or PostgreSQL database) of
# its own, and CI runs the suite four times within its time limit.
PROVEFLAGS ?= -j2
check: all $(UNITS)
	CMP_BUILD=$(CURDIR)/$(B) CMP_TOP=$(CURDIR) \
	  prove $(PROVEFLAGS) $(addprefix ./,$(UNITS)) $(PROG_TESTS)

# The program tests again on PostgreSQL: a throwaway cluster of our own
# (tests/pg/cluster.sh, a Unix socket only), each test file a database of
# its own from its template (tests/lib.sh, CMP_TEST_PG); skipped with a
# message where no server is installed (.ci/setup --pg).
PG_TESTS = $(sort $(wildcard tests/pg/*.t))
check-pg: all
	@dir=$$(mktemp -d "$${TMPDIR:-/tmp}/cmp-pg.XXXXXX"); \
	sh tests/pg/cluster.sh start "$$dir" >/dev/null; rc=$$?; \
	if [ $$rc = 77 ]; then rmdir "$$dir"; \
	  echo "check-pg: skipped, no PostgreSQL server installed"; exit 0; fi; \
	if [ $$rc != 0 ]; then sh tests/pg/cluster.sh stop "$$dir"; exit $$rc; fi; \
	CMP_BUILD=$(CURDIR)/$(B) CMP_TOP=$(CURDIR) CMP_TEST_PG="$$dir" \
	  prove $(PROVEFLAGS) $(PROG_TESTS) $(PG_TESTS); rc=$$?; \
	sh tests/pg/cluster.sh stop "$$dir"; exit $$rc

# The program tests again, every program under valgrind memcheck.
check-valgrind: all
	CMP_BUILD=$(CURDIR)/$(B) CMP_TOP=$(CURDIR) CMP_VALGRIND=1 \
	  prove $(PROVEFLAGS) $(PROG_TESTS)

# Fuzzing: libFuzzer targets over the library, built with clang.  The
# library's objects are compiled once for all the targets (instrumented,
# fuzzer-no-link); each target links them with its own entry point.
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Ilib $(DEP_CFLAGS) \
	-fno-sanitize-recover=undefined
FUZZ_OBJ = $(patsubst lib/%.c,build-fuzz/lib/%.o,$(LIB_SRC)) build-fuzz/lib/defaults.o

build-fuzz/lib:
	@mkdir -p $@

build-fuzz/lib/defaults.c: $(B)/lib/defaults.c | build-fuzz/lib
	cp $< $@

build-fuzz/lib/defaults.o: build-fuzz/lib/defaults.c
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build-fuzz/lib/%.o: lib/%.c include/complaint.h $(wildcard lib/*.h) | build-fuzz/lib
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(FUZZ_OBJ) include/complaint.h $(wildcard lib/*.h)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(DEP_LIBS) -lm

fuzz-build: $(FUZZERS)

fuzz: $(FUZZERS)
	sh tests/fuzz/run.sh $(FUZZTIME) $(FUZZERS)

# A demonstration on a scratch store with the built-in configuration:
# add the sample complaints (again: a no-op, they carry refs), list them.
DEMO_ENV = CMP_DB=$(B)/demo.db CMP_CONFIG= XDG_CONFIG_HOME=$(B)/no-config
demo: all
	@echo '$$ cmp-add < share/complaint/examples/complaints.ndjson | wc -l'
	@$(DEMO_ENV) $(B)/bin/cmp-add \
	  < share/complaint/examples/complaints.ndjson | wc -l
	@echo '$$ cmp-list --format table'
	@$(DEMO_ENV) $(B)/bin/cmp-list --format table
	@echo '$$ cmp-list --overdue --fields id,severity,due.ack,summary --format table'
	@$(DEMO_ENV) $(B)/bin/cmp-list --overdue \
	  --fields id,severity,due.ack,summary --format table

# The bench's own baselines (issue 25): the raw yardstick of a bulk
# import and the floor of one call, on the toolkit's libraries.
# They link SQLite, cJSON and libyaml only, as a program of a SQLite
# store needs.
BENCH_PROGS = $(B)/bench/yardstick $(B)/bench/floor
BENCH_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 libcjson yaml-0.1)
$(B)/bench:
	@mkdir -p $@
$(B)/bench/%: tests/bench/%.c Makefile | $(B)/bench
	$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra $(CFLAGS) $(DEP_CFLAGS) -o $@ $< $(LDFLAGS) $(BENCH_LIBS)

bench: all $(BENCH_PROGS)
	sh tests/bench/run.sh

lint-man: all
	sh tests/prog/t0900-man.t

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	  $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(DATADIR)/complaint \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGRAMS); do install -m 755 $(B)/bin/$$p $(DESTDIR)$(BINDIR)/$$p; done
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/libcomplaint.a
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/libcomplaint.so.$(VERSION)
	ln -sf libcomplaint.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf libcomplaint.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libcomplaint.so
	$(PC_SUBST) complaint.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/complaint.pc
	install -m 644 include/complaint.h $(DESTDIR)$(INCLUDEDIR)/complaint.h
	cp -R share/complaint/. $(DESTDIR)$(DATADIR)/complaint/
	for m in $(MANPAGES); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	mkdir -p $(DESTDIR)$(DATADIR)/bash-completion/completions $(DESTDIR)$(DATADIR)/zsh/site-functions
	install -m 644 share/bash-completion/completions/cmp-add $(DESTDIR)$(DATADIR)/bash-completion/completions/cmp-add
	for p in $(filter-out cmp-add,$(PROGRAMS)); do ln -sf cmp-add $(DESTDIR)$(DATADIR)/bash-completion/completions/$$p; done
	install -m 644 share/zsh/site-functions/_complaint $(DESTDIR)$(DATADIR)/zsh/site-functions/_complaint

uninstall:
	for p in $(PROGRAMS); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	rm -f $(DESTDIR)$(LIBDIR)/libcomplaint.a $(DESTDIR)$(LIBDIR)/libcomplaint.so* \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/complaint.pc $(DESTDIR)$(INCLUDEDIR)/complaint.h
	rm -rf $(DESTDIR)$(DATADIR)/complaint
	for m in $(MANPAGES); do s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done
	for p in $(PROGRAMS); do rm -f $(DESTDIR)$(DATADIR)/bash-completion/completions/$$p; done
	rm -f $(DESTDIR)$(DATADIR)/zsh/site-functions/_complaint

clean:
	rm -rf build build-san build-fuzz

.PHONY: all check check-pg check-valgrind demo fuzz fuzz-build bench lint-man install uninstall clean
.DELETE_ON_ERROR:
# Keep the programs' objects (intermediates of a pattern chain): no relinks.
.SECONDARY:
