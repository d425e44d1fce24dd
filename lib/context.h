/*
 * context.h - where a program's store, configuration and actor come
 * from (context.c), behind cmp_ctx_open.  Not part of the public API.
 */
#ifndef CMP_CONTEXT_H
#define CMP_CONTEXT_H

#include "complaint.h"

/*
 * The store path: opt, else $CMP_DB, else $XDG_DATA_HOME/complaint/
 * complaints.db (~/.local/share/...), whose directory is created 0700.
 * Caller owns the result; NULL with e set (73) when no path can be made.
 */
char *cmp_db_path(const char *opt, struct cmp_error *e);
/*
 * The configuration file: opt, else $CMP_CONFIG, else
 * $XDG_CONFIG_HOME/complaint/config.yaml when it exists, else NULL (the
 * built-in defaults).  Caller owns the result.
 */
char *cmp_config_file(const char *opt);
/* The actor: opt, else $CMP_ACTOR, else the login name (caller owns). */
char *cmp_actor_name(const char *opt);

#endif /* CMP_CONTEXT_H */
