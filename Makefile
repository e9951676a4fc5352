# guatu — make run · make test · make bench · make check
# Everything builds under build/; nothing is installed outside the tree
# except Debian/npm packages, by scripts/install-deps.sh.

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libsodium libpq xlsxwriter libzip expat pangocairo
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -fno-strict-aliasing -Isrc -Ibuild
CFLAGS  += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

SRCS    := $(sort $(wildcard src/*.c))
OBJS    := $(SRCS:src/%.c=build/obj/%.o) build/obj/embedded.o
AOBJS   := $(SRCS:src/%.c=build/asan/%.o) build/asan/embedded.o
LIBOBJS := $(filter-out build/obj/main.o,$(OBJS))
ALIBOBJS:= $(filter-out build/asan/main.o,$(AOBJS))
UNIT    := $(sort $(wildcard tests/unit/test_*.c))
ASAN    := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SQL     := $(shell find sql -type f 2>/dev/null)
WEBSRC  := $(shell find web -path web/node_modules -prune -o -path web/dist -prune -o -type f -print 2>/dev/null)
PORT    ?= 8080
DEMO_DB ?= var/demo.db

.PHONY: all deps run test bench check clean asan web unit
all: build/guatu

deps:
	@scripts/install-deps.sh build

build/obj build/asan build/unit:
	@mkdir -p $@

# The web UI: built with Vite from web/, compiled into the binary.
build/web.stamp: $(WEBSRC)
	@mkdir -p build
	@if [ -f web/package.json ]; then \
	  cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent; \
	fi
	@touch $@

build/embed: tools/embed.c | build/obj
	$(CC) -O1 -Wall -Wextra -Werror -o $@ $<

build/embedded.c: build/embed build/web.stamp $(SQL)
	build/embed $@ sql=sql $(if $(wildcard web/dist),web=web/dist)

build/obj/%.o: src/%.c $(wildcard src/*.h) | build/obj
	@echo "CC $<"; $(CC) $(CFLAGS) -c -o $@ $<
build/obj/embedded.o: build/embedded.c | build/obj
	@echo "CC $<"; $(CC) $(CFLAGS) -O0 -c -o $@ $<

build/guatu: $(OBJS)
	@echo "LD $@"; $(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The same program under AddressSanitizer + UndefinedBehaviorSanitizer.
build/asan/%.o: src/%.c $(wildcard src/*.h) | build/asan
	@echo "CC (asan) $<"; $(CC) $(CFLAGS) -O1 $(ASAN) -c -o $@ $<
build/asan/embedded.o: build/embedded.c | build/asan
	@echo "CC (asan) $<"; $(CC) $(CFLAGS) -O0 -c -o $@ $<
build/asan/guatu: $(AOBJS)
	@echo "LD $@"; $(CC) $(CFLAGS) $(ASAN) -o $@ $^ $(LDLIBS)
asan: build/asan/guatu

# C unit tests: one binary per tests/unit/test_*.c, linked with the program
# minus main.c; each also built under the sanitizers.
build/unit/%: tests/unit/%.c tests/unit/unit.h $(LIBOBJS) | build/unit
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIBOBJS) $(LDLIBS)
build/unit/asan-%: tests/unit/%.c tests/unit/unit.h $(ALIBOBJS) | build/unit
	$(CC) $(CFLAGS) -O1 $(ASAN) -Itests/unit -o $@ $< $(ALIBOBJS) $(LDLIBS)
unit: $(UNIT:tests/unit/%.c=build/unit/%) $(UNIT:tests/unit/%.c=build/unit/asan-%)

run: deps build/guatu
	@mkdir -p var
	@[ -f $(DEMO_DB) ] || build/guatu demo --db $(DEMO_DB)
	build/guatu serve --db $(DEMO_DB) --listen 127.0.0.1:$(PORT)

test:
	@scripts/install-deps.sh test
	@$(MAKE) --no-print-directory build/guatu build/asan/guatu unit
	@scripts/test.sh

bench:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory build/guatu
	@bench/run.sh

check: build/guatu
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability --inline-suppr \
	  --suppress=missingIncludeSystem --std=c11 -Isrc src tools
	clang-tidy --quiet src/*.c -- $(CFLAGS) 2>/dev/null

clean:
	rm -rf build
