#!/bin/sh
# make install / uninstall into a scratch DESTDIR; a program built
# against the installed library with pkg-config.
. "${0%/*}/../lib.sh"

D=$TEST_ROOT/dest
SAN=
case $CMP_BUILD in */build-san) SAN=1 ;; esac
mk() {
	make -s -C "$CMP_TOP" --no-print-directory SANITIZE=$SAN PREFIX=/usr DESTDIR="$D" "$@"
}

t 'make install puts everything under DESTDIR and PREFIX' '
	mk install >/dev/null &&
	for p in cmp-add cmp-assign cmp-update cmp-close cmp-followup cmp-list cmp-show; do
		[ -x "$D/usr/bin/$p" ] && [ -f "$D/usr/share/man/man1/$p.1" ] &&
		[ -e "$D/usr/share/bash-completion/completions/$p" ] || { echo "missing $p"; exit 1; }
	done &&
	[ -f "$D/usr/lib/libcomplaint.a" ] && [ -f "$D/usr/include/complaint.h" ] &&
	[ -f "$D/usr/lib/pkgconfig/complaint.pc" ] &&
	[ -f "$D/usr/share/man/man5/complaint.yaml.5" ] && [ -f "$D/usr/share/man/man7/complaint.7" ] &&
	[ -f "$D/usr/share/complaint/config.yaml" ] &&
	[ -f "$D/usr/share/zsh/site-functions/_complaint" ] &&
	[ "$(readlink "$D/usr/lib/libcomplaint.so.0")" = libcomplaint.so.0.1.0 ] &&
	objdump -p "$D/usr/lib/libcomplaint.so.0.1.0" | grep -q "SONAME *libcomplaint.so.0"
'

t 'a program builds against the installed library with pkg-config, and runs' '
	cat >hello.c <<-EOF &&
	#include <stdio.h>
	#include <complaint.h>
	int main(void) {
		struct cmp_config *cfg;
		struct cmp_error e;
		cmp_error_clear(&e);
		if (cmp_config_load(&cfg, NULL, &e)) return 1;
		printf("%s %zu\n", cfg->timezone, cfg->categories.n);
		cmp_config_free(cfg);
		return 0;
	}
	EOF
	export PKG_CONFIG_PATH="$D/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D" &&
	cc $(pkg-config --cflags complaint) -o hello hello.c \
		$(pkg-config --libs complaint) ${SAN:+-fsanitize=address,undefined} &&
	LD_LIBRARY_PATH="$D/usr/lib" ./hello >got &&
	echo "Asia/Shanghai 6" >want && test_cmp want got &&
	cc $(pkg-config --cflags complaint) -o hello-static hello.c "$D/usr/lib/libcomplaint.a" \
		$(pkg-config --libs --static complaint | sed "s/-lcomplaint//") ${SAN:+-fsanitize=address,undefined} &&
	./hello-static >got && test_cmp want got
'

t 'the installed programs run, and bash completion offers their options' '
	"$D/usr/bin/cmp-add" --version | grep -q "^cmp-add (complaint)" &&
	if command -v bash >/dev/null; then
		bash -c ". $D/usr/share/bash-completion/completions/cmp-add;
			PATH=$D/usr/bin:\$PATH; COMP_WORDS=(cmp-list --sta); COMP_CWORD=1; _cmp;
			printf \"%s\n\" \"\${COMPREPLY[@]}\"" >got &&
		grep -q -- "--status" got
	fi
'

t 'make uninstall leaves nothing behind' '
	mk uninstall >/dev/null &&
	left=$(find "$D" -type f -o -type l) &&
	[ -z "$left" ] || { echo "left: $left"; exit 1; }
'

done_testing
