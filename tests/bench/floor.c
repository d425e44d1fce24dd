/*
 * floor.c - the floor of one call (issue 25): a minimal C program that
 * does what one `cmp-add` must do and nothing else, to measure one
 * call against.
 *
 *   floor DB CONFIG
 *
 * It reads the configuration CONFIG (YAML, with libyaml: the whole
 * document loaded, as the toolkit loads share/complaint/config.yaml),
 * opens the SQLite store DB as lib/backend_sqlite.c does (the file made
 * 0600 if new, WAL, synchronous FULL, foreign keys, busy timeout, the
 * schema version read), takes the writer's settings (temp_store,
 * wal_autocheckpoint), and inserts one complaint in one transaction:
 * its row in table c and its entry in c_text (the full-text index),
 * the tables of run.sh's baseline store.  It prints the new row's id.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <yaml.h>

static int
fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what,
		db ? sqlite3_errmsg(db) : "cannot open");
	return 74;
}

/* The default channel of the configuration (defaults: channel:). */
static char *
default_channel(const char *path)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_pair_t *p, *q;
	char *channel = NULL;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_parser_delete(&parser);
		fclose(f);
		return NULL;
	}
	root = yaml_document_get_root_node(&doc);
	for (p = root && root->type == YAML_MAPPING_NODE ?
		 root->data.mapping.pairs.start : NULL;
	     p && p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&doc, p->value);

		if (k->type != YAML_SCALAR_NODE || v->type != YAML_MAPPING_NODE ||
		    strcmp((char *)k->data.scalar.value, "defaults"))
			continue;
		for (q = v->data.mapping.pairs.start;
		     q < v->data.mapping.pairs.top; q++) {
			yaml_node_t *kk = yaml_document_get_node(&doc, q->key);
			yaml_node_t *vv = yaml_document_get_node(&doc, q->value);

			if (kk->type == YAML_SCALAR_NODE &&
			    vv->type == YAML_SCALAR_NODE &&
			    !strcmp((char *)kk->data.scalar.value, "channel"))
				channel = strdup((char *)vv->data.scalar.value);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(f);
	return channel;
}

int
main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s;
	char *channel, now[32];
	time_t t = time(NULL);
	int fd, rc;

	if (argc != 3) {
		fprintf(stderr, "usage: floor DB CONFIG\n");
		return 64;
	}
	if (!(channel = default_channel(argv[2]))) {
		fprintf(stderr, "floor: %s: no defaults.channel\n", argv[2]);
		return 78;
	}
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	if ((fd = open(argv[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		perror(argv[1]);
		return 73;
	}
	close(fd);
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return fail(db, argv[1]);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL;"
			 " PRAGMA synchronous = FULL;"
			 " PRAGMA foreign_keys = ON", NULL, NULL,
			 NULL) != SQLITE_OK)
		return fail(db, "open");
	/* The schema check: its version read (our store's migrate()). */
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		return fail(db, "schema version");
	sqlite3_finalize(s);
	if (sqlite3_exec(db, "PRAGMA temp_store = MEMORY;"
			 " PRAGMA wal_autocheckpoint = 65536;"
			 " BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "begin");
	if (sqlite3_prepare_v2(db, "INSERT INTO c(received_at, channel,"
			       " customer_name, summary, status)"
			       " VALUES (?, ?, ?, ?, 'new')", -1, &s,
			       NULL) != SQLITE_OK)
		return fail(db, "insert");
	sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, "x", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, "one more", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail(db, "insert");
	if (sqlite3_prepare_v2(db, "INSERT INTO c_text(rowid, summary)"
			       " VALUES (?, ?)", -1, &s, NULL) != SQLITE_OK)
		return fail(db, "text index");
	sqlite3_bind_int64(s, 1, sqlite3_last_insert_rowid(db));
	sqlite3_bind_text(s, 2, "one more", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail(db, "text index");
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "commit");
	printf("%lld\n", (long long)sqlite3_last_insert_rowid(db));
	free(channel);
	return sqlite3_close(db) == SQLITE_OK ? 0 : fail(db, "close");
}
