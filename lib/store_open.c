/*
 * store_open.c - a store opened: the backend its name chooses, its
 * schema brought to this program's version (the migrations are
 * migrations.c's, run once, under the writer's lock, however many
 * programs open an old store at once), and closed.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "store_impl.h"
#include "util.h"

static int
busy_timeout(void)
{
	const char *s = getenv("CMP_BUSY_TIMEOUT");
	long v;
	char *end;

	if (!s || !*s)
		return 5000;
	v = strtol(s, &end, 10);
	return *end || v < 0 || v > 3600000 ? 5000 : (int)v;
}

/* Bring the schema to CMP_SCHEMA_VERSION (the migrations: migrations.c). */
static int
migrate(struct cmp_store *st, struct cmp_error *e)
{
	const struct cmp_backend *be = st->be;
	const char *const *migrations = cmp_schema_migrations(be->name);
	int64_t version;
	char *keep = NULL;
	int rc, ret;

	if (!migrations)
		return cmp_error_set(e, CMP_EX_SOFTWARE, NULL,
				     "no schema for the %s backend", be->name);
	if ((rc = be->schema_version(st->db, &version)))
		return cmp_store_error(st, rc, e);
	if (version == CMP_SCHEMA_VERSION)
		return 0;
	if (version > CMP_SCHEMA_VERSION)
		return cmp_error_set(e, CMP_EX_CONFIG, NULL,
				     "store '%s' has schema version %lld, "
				     "newer than this program's %d; use a "
				     "newer complaint", st->path,
				     (long long)version, CMP_SCHEMA_VERSION);
	if ((rc = be->lock(st->db)))
		return cmp_store_error(st, rc, e);
	/* Another process may have migrated while we waited. */
	if ((rc = be->schema_version(st->db, &version))) {
		ret = cmp_store_error(st, rc, e);
		goto fail;
	}
	if (version == 0 && (ret = be->foreign(st->db, st->path, e)))
		goto fail;
	if ((ret = cmp_schema_migration_check(be, st->db, st->path, version,
					      &keep, e)))
		goto fail;
	for (; version < CMP_SCHEMA_VERSION; version++) {
		char *sql = cmp_schema_migration_sql(migrations[version],
						     (int)version + 1);

		ret = cmp_store_exec(st, sql, e);
		free(sql);
		if (ret)
			goto fail;
	}
	if ((rc = be->set_schema_version(st->db, CMP_SCHEMA_VERSION))) {
		ret = cmp_store_error(st, rc, e);
		goto fail;
	}
	/* The views made anew are owned, granted, commented and set as the
	   old ones were, in the same transaction: no reader ever finds
	   them refused. */
	if (keep && (ret = cmp_store_exec(st, keep, e)))
		goto fail;
	free(keep);
	if ((rc = be->commit(st->db)))
		return cmp_store_error(st, rc, e);
	return 0;
fail:
	free(keep);
	be->rollback(st->db);
	return ret;
}

/*
 * The backend a store's name chooses: a PostgreSQL URI
 * ("postgresql://...", "postgres://...", or "postgresql:" alone for
 * libpq's PGHOST, PGSERVICE...), or libpq's "keyword=value ..." string
 * (a path with a '=' in its first word is written "./name"), else a
 * file of SQLite's.
 */
static const struct cmp_backend *
backend_of(const char *path)
{
	const char *p = path;

	if (!strncmp(path, "postgresql:", 11) || !strncmp(path, "postgres:", 9))
		return &cmp_backend_pg;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	while (p > path && *p == ' ')
		p++;
	return p > path && *p == '=' ? &cmp_backend_pg : &cmp_backend_sqlite;
}

int
cmp_store_open(struct cmp_store **out, const char *path, struct cmp_error *e)
{
	struct cmp_store *st;
	int ret;

	*out = NULL;
	st = cmp_xcalloc(1, sizeof(*st));
	st->be = backend_of(path);
	/* Messages name the store without its password. */
	st->path = st->be->display ? st->be->display(path) : cmp_xstrdup(path);
	if ((ret = st->be->open(&st->db, path, busy_timeout(), e)) ||
	    (ret = migrate(st, e))) {
		cmp_store_close(st);
		return ret;
	}
	*out = st;
	return 0;
}

void
cmp_store_close(struct cmp_store *st)
{
	if (!st)
		return;
	for (int k = 0; k < ST_COUNT; k++)
		if (st->stmt[k])
			st->be->finalize(st->stmt[k]);
	for (size_t k = 0; k < CMP_ARRAY_LEN(st->update); k++)
		if (st->update[k].s)
			st->be->finalize(st->update[k].s);
	cmp_ahead_free(st);
	cmp_read_ahead_free(st);
	cmp_changes_forget(st);
	st->be->close(st->db);
	free(st->path);
	free(st);
}
