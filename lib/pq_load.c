/*
 * pq_load.c - loads libpq at the first PostgreSQL store (pq_load.h says
 * why it is not linked).
 */
#define CMP_PQ_LOADER
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pq_load.h"

struct cmp_pq cmp_pq;

/* libpq's soname since PostgreSQL 8.2; the unversioned name is only
   there with libpq-dev, tried second for a libpq built by hand. */
static const char *const names[] = { "libpq.so.5", "libpq.so" };

int
cmp_pq_load(const char *shown, struct cmp_error *e)
{
	static void *lib;
	const char *why;
	char first[300] = "not found";
	size_t i;

	if (lib)
		return 0;
	/* dlerror's text lasts until the next dlopen: the first name's
	   failure is the one to show. */
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && !lib; i++)
		if (!(lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL)) &&
		    i == 0 && (why = dlerror()))
			snprintf(first, sizeof(first), "%s", why);
	if (!lib)
		return cmp_error_set(e, CMP_EX_CANTCREAT, NULL,
				     "store '%s': PostgreSQL's client library "
				     "cannot be loaded (%s); install libpq5",
				     shown, first);
	/* A pointer to function from dlsym's void *: POSIX allows it. */
#define CMP_PQ_SYMBOL(f) \
	if (!(*(void **)&cmp_pq.f = dlsym(lib, #f))) \
		goto missing;
	CMP_PQ_FUNCS(CMP_PQ_SYMBOL)
#undef CMP_PQ_SYMBOL
	return 0;
missing:
	/* The message first: dlclose frees dlerror's text.  A library
	   that lacks a function is let go at once (none of it has run),
	   its pointers with it. */
	why = dlerror();
	cmp_error_set(e, CMP_EX_CANTCREAT, NULL,
		      "store '%s': PostgreSQL's client library is older "
		      "than this program needs (%s; libpq 14 or later has "
		      "pipeline mode)", shown,
		      why ? why : "a function is missing");
	memset(&cmp_pq, 0, sizeof(cmp_pq));
	dlclose(lib);
	lib = NULL;
	return CMP_EX_CANTCREAT;
}
