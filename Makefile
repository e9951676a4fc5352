# guatu — make run · make test · make bench · make check
# Everything builds under build/; nothing is installed outside the tree
# except Debian/npm packages, by scripts/install-deps.sh.

B       ?= build
CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libsodium libpq xlsxwriter libzip expat pangocairo libcurl stb libwebp
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers -fno-strict-aliasing -Isrc -Ibuild
CFLAGS  += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

SRCS    := $(sort $(wildcard src/*.c))
OBJS    := $(SRCS:src/%.c=$(B)/obj/%.o) $(B)/obj/embedded_files.o
AOBJS   := $(SRCS:src/%.c=$(B)/asan/%.o) $(B)/asan/embedded_files.o
LIBOBJS := $(filter-out $(B)/obj/main.o,$(OBJS))
ALIBOBJS:= $(filter-out $(B)/asan/main.o,$(AOBJS))
UNIT    := $(sort $(wildcard tests/unit/test_*.c))
ASAN    := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SQL     := $(shell find sql -type f 2>/dev/null)
WEBSRC  := $(shell find web -path web/node_modules -prune -o -path web/dist -prune -o -type f -print 2>/dev/null)
PORT    ?= 8080
DEMO_DB ?= var/demo.db

.PHONY: all deps run test bench check clean asan web unit
all: $(B)/guatu

deps:
	@scripts/install-deps.sh build

$(B)/obj $(B)/asan $(B)/unit:
	@mkdir -p $@

# The web UI: built with Vite from web/, compiled into the binary.
$(B)/web.stamp: $(WEBSRC)
	@mkdir -p $(B)
	@if [ -f web/package.json ]; then \
	  cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && \
	  NO_COLOR=1 npx vite build --logLevel warn --emptyOutDir --outDir $(abspath $(B))/web-dist.new >$(abspath $(B))/web-build.log 2>&1 && \
	  rm -rf $(abspath $(B))/web-dist && mv $(abspath $(B))/web-dist.new $(abspath $(B))/web-dist && touch $(abspath $@) || \
	  { echo "web UI build failed (see $(B)/web-build.log)"; tail -30 $(abspath $(B))/web-build.log; exit 1; }; \
	fi

$(B)/embed: tools/embed.c | $(B)/obj
	$(CC) -O1 -Wall -Wextra -Werror -o $@ $<

# The files' bytes (build/embedded_files.c); src/embedded.c looks them up.
$(B)/embedded_files.c: $(B)/embed $(B)/web.stamp $(SQL)
	$(B)/embed $@ sql=sql $(if $(wildcard $(B)/web-dist),web=$(B)/web-dist)

$(B)/obj/%.o: src/%.c $(wildcard src/*.h) | $(B)/obj
	@echo "CC $<"; $(CC) $(CFLAGS) -c -o $@ $<
$(B)/obj/embedded_files.o: $(B)/embedded_files.c | $(B)/obj
	@echo "CC $<"; $(CC) $(CFLAGS) -O0 -c -o $@ $<

$(B)/guatu: $(OBJS)
	@echo "LD $@"; $(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The same program under AddressSanitizer + UndefinedBehaviorSanitizer.
$(B)/asan/%.o: src/%.c $(wildcard src/*.h) | $(B)/asan
	@echo "CC (asan) $<"; $(CC) $(CFLAGS) -O1 $(ASAN) -c -o $@ $<
$(B)/asan/embedded_files.o: $(B)/embedded_files.c | $(B)/asan
	@echo "CC (asan) $<"; $(CC) $(CFLAGS) -O0 -c -o $@ $<
$(B)/asan/guatu: $(AOBJS)
	@echo "LD $@"; $(CC) $(CFLAGS) $(ASAN) -o $@ $^ $(LDLIBS)
asan: $(B)/asan/guatu

# C unit tests: one binary per tests/unit/test_*.c, linked with the program
# minus main.c; each also built under the sanitizers.
$(B)/unit/%: tests/unit/%.c tests/unit/unit.h $(LIBOBJS) | $(B)/unit
	@echo "LD $@"; $(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIBOBJS) $(LDLIBS)
$(B)/unit/asan-%: tests/unit/%.c tests/unit/unit.h $(ALIBOBJS) | $(B)/unit
	@echo "LD $@"; $(CC) $(CFLAGS) -O1 $(ASAN) -Itests/unit -o $@ $< $(ALIBOBJS) $(LDLIBS)
unit: $(UNIT:tests/unit/%.c=$(B)/unit/%) $(UNIT:tests/unit/%.c=$(B)/unit/asan-%)

run: deps $(B)/guatu
	@mkdir -p var
	@[ -f $(DEMO_DB) ] || $(B)/guatu demo --db $(DEMO_DB)
	$(B)/guatu serve --db $(DEMO_DB) --listen 127.0.0.1:$(PORT)

test:
	@scripts/install-deps.sh test
	@$(MAKE) --no-print-directory $(B)/guatu $(B)/asan/guatu unit
	@scripts/test.sh

bench:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory $(B)/guatu
	@bench/run.sh

check: $(B)/guatu
	@! grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|gmtime|localtime|atoi|atol)\s*\(' src/*.c tools/*.c || \
	  { echo "banned functions above: use snprintf, strtok_r, gmtime_r, strtol with checks"; exit 1; }
	@# jansson's json_is_*() macros test for NULL themselves, which cppcheck
	@# reports as a redundant condition at every "!v || json_is_null(v)".
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability --inline-suppr \
	  --suppress=missingIncludeSystem --suppress=redundantCondition --include=/usr/include/jansson.h \
	  --std=c11 -Isrc src tools
	clang-tidy --quiet src/*.c tools/*.c -- $(CFLAGS) 2>/dev/null | grep -E 'warning:|error:' && exit 1 || true

clean:
	rm -rf $(B)
