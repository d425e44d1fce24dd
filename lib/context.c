/*
 * context.c - what a program opens once: clock, configuration, store,
 * and who is acting.
 */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complaint.h"
#include "clock.h"
#include "config_load.h"
#include "context.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* mkdir -p with mode 0700 for the directories we create. */
static int
make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static char *
home_dir(void)
{
	const char *h = env("HOME");
	struct passwd *pw;

	if (h)
		return cmp_xstrdup(h);
	pw = getpwuid(getuid());
	return pw ? cmp_xstrdup(pw->pw_dir) : NULL;
}

/* $XDG_VAR/sub, or ~/fallback/sub. */
static char *
xdg_path(const char *var, const char *fallback, const char *sub)
{
	const char *base = env(var);
	char *home, *p;

	if (base && base[0] == '/')
		return cmp_xasprintf("%s/%s", base, sub);
	if (!(home = home_dir()))
		return NULL;
	p = cmp_xasprintf("%s/%s/%s", home, fallback, sub);
	free(home);
	return p;
}

char *
cmp_db_path(const char *opt, struct cmp_error *e)
{
	char *p;

	if (opt)
		return cmp_xstrdup(opt);
	if (env("CMP_DB"))
		return cmp_xstrdup(env("CMP_DB"));
	p = xdg_path("XDG_DATA_HOME", ".local/share", "complaint/complaints.db");
	if (!p) {
		cmp_error_set(e, CMP_EX_CANTCREAT, NULL,
			      "no store: set --db, CMP_DB or HOME");
		return NULL;
	}
	if (make_dirs(p)) {
		cmp_error_set(e, CMP_EX_CANTCREAT, NULL,
			      "cannot create the directory of '%s': %s", p,
			      strerror(errno));
		free(p);
		return NULL;
	}
	return p;
}

char *
cmp_config_file(const char *opt)
{
	char *p;

	if (opt)
		return cmp_xstrdup(opt);
	if (env("CMP_CONFIG"))
		return cmp_xstrdup(env("CMP_CONFIG"));
	p = xdg_path("XDG_CONFIG_HOME", ".config", "complaint/config.yaml");
	if (p && access(p, F_OK) == 0)
		return p;
	free(p);
	return NULL;
}

char *
cmp_actor_name(const char *opt)
{
	const char *v = opt ? opt : env("CMP_ACTOR");
	struct passwd *pw;

	if (v)
		return cmp_xstrdup(v);
	if ((pw = getpwuid(geteuid())) && pw->pw_name)
		return cmp_xstrdup(pw->pw_name);
	if ((v = getlogin()))
		return cmp_xstrdup(v);
	return cmp_xstrdup("unknown");
}

int
cmp_ctx_open(struct cmp_ctx *ctx, const char *program,
	     const struct cmp_ctx_opts *opts, struct cmp_error *e)
{
	char *path;
	int ret;

	memset(ctx, 0, sizeof(*ctx));
	ctx->program = program;
	if ((ret = cmp_clock_init(e)))
		return ret;
	ctx->now = cmp_now();
	path = cmp_config_file(opts->config);
	ret = cmp_config_load(&ctx->cfg, path, e);
	free(path);
	if (ret)
		goto fail;
	if (!(path = cmp_db_path(opts->db, e))) {
		ret = e->code;
		goto fail;
	}
	ret = cmp_store_open(&ctx->store, path, e);
	free(path);
	if (ret)
		goto fail;
	ctx->actor = cmp_actor_name(opts->actor);
	return 0;
fail:
	cmp_ctx_close(ctx);
	return ret;
}

void
cmp_ctx_close(struct cmp_ctx *ctx)
{
	cmp_store_close(ctx->store);
	cmp_config_free(ctx->cfg);
	free(ctx->actor);
	ctx->store = NULL;
	ctx->cfg = NULL;
	ctx->actor = NULL;
}

struct cmp_change
cmp_ctx_change(const struct cmp_ctx *ctx, const char *note)
{
	struct cmp_change ch = {
		.actor = ctx->actor,
		.program = ctx->program,
		.note = note,
		.at = ctx->now,
	};

	return ch;
}
