/*
 * embed-config.c - a tool make runs, not part of the library: the
 * built-in configuration as C (build/lib/defaults.c).
 *
 *   embed-config CONFIG >defaults.c
 *
 * It writes CONFIG's text (cmp_default_config) and the tree
 * yaml_tree.c makes of it (cmp_default_tree) as static data, so that
 * a program starts from the tree rather than parsing the text with
 * libyaml at every call, the largest part of loading the defaults.
 * Every position is kept: a message about the built-in configuration
 * reads as if its text had been parsed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "util.h"
#include "yaml_tree.h"

/* s as a C string literal: octal escapes for every byte outside
   printable ASCII, and for '?' (no trigraphs). */
static void
literal(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == '"')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n\"\n\"", stdout);
		else if (*p < 0x20 || *p >= 0x7f || *p == '?')
			printf("\\%03o", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/* Write n and what it holds, children first; returns n's number. */
static unsigned
node(const struct cmp_ynode *n, unsigned *count)
{
	unsigned *items = calloc(n->n + 1, sizeof(unsigned));
	unsigned *keys = calloc(n->n + 1, sizeof(unsigned));
	unsigned me;

	if (!items || !keys) {
		perror("embed-config");
		exit(71);
	}
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys)
			keys[i] = node(n->keys[i], count);
		items[i] = node(n->items[i], count);
	}
	me = (*count)++;
	if (n->n) {
		printf("static struct cmp_ynode *items%u[] = {", me);
		for (size_t i = 0; i < n->n; i++)
			printf("%s&n%u", i ? ", " : "", items[i]);
		puts("};");
	}
	if (n->keys) {
		printf("static struct cmp_ynode *keys%u[] = {", me);
		for (size_t i = 0; i < n->n; i++)
			printf("%s&n%u", i ? ", " : "", keys[i]);
		puts("};");
	}
	printf("static struct cmp_ynode n%u = {%s, %ld, %ld, ", me,
	       n->type == CMP_Y_SCALAR ? "CMP_Y_SCALAR" :
	       n->type == CMP_Y_SEQ ? "CMP_Y_SEQ" : "CMP_Y_MAP",
	       n->line, n->column);
	if (n->text)
		literal(n->text);
	else
		fputs("NULL", stdout);
	printf(", %d, %zu, ", n->plain, n->n);
	if (n->n)
		printf("items%u, ", me);
	else
		fputs("NULL, ", stdout);
	if (n->keys)
		printf("keys%u};\n", me);
	else
		puts("NULL};");
	free(items);
	free(keys);
	return me;
}

int
main(int argc, char **argv)
{
	struct cmp_error e = {0};
	struct cmp_ynode *root;
	char *text;
	size_t len;
	unsigned count = 0, top;

	if (argc != 2) {
		fputs("usage: embed-config CONFIG\n", stderr);
		return 64;
	}
	if (cmp_read_file(argv[1], &text, &len, &e) ||
	    cmp_yaml_load(text, len, argv[1], &root, &e)) {
		fprintf(stderr, "embed-config: %s:%ld: %s\n", argv[1],
			e.line, e.msg);
		return e.code ? e.code : 78;
	}
	if (!root) {
		fprintf(stderr, "embed-config: %s: empty\n", argv[1]);
		return 78;
	}
	printf("/* generated from %s by make: do not edit */\n"
	       "#include \"config_load.h\"\n#include \"yaml_tree.h\"\n\n"
	       "const char cmp_default_config[] =\n", argv[1]);
	literal(text);
	puts(";\n");
	top = node(root, &count);
	printf("\nconst struct cmp_ynode *const cmp_default_tree = &n%u;\n",
	       top);
	cmp_ynode_free(root);
	free(text);
	return 0;
}
