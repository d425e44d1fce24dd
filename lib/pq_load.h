/*
 * pq_load.h - libpq, loaded when the first PostgreSQL store opens.
 *
 * Linking libpq brings 22 more shared objects (GnuTLS, OpenSSL,
 * Kerberos, LDAP...) into every program, whose loading and constructors
 * were most of what one cmp-add call on a SQLite store spent beyond the
 * floor program (tests/bench/RESULTS.md, issue 25).  So no program links
 * it: backend_pg.c and backend_pg_defer.c call it through the pointers
 * of struct cmp_pq, which cmp_pq_load fills with dlopen and dlsym.
 * The #defines below keep them written as plain libpq calls.
 */
#ifndef CMP_PQ_LOAD_H
#define CMP_PQ_LOAD_H

#include <libpq-fe.h>

#include "complaint.h"

/* Every libpq function backend_pg.c and backend_pg_defer.c call. */
#define CMP_PQ_FUNCS(X) \
	X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQenterPipelineMode) \
	X(PQerrorMessage) X(PQexec) X(PQexecParams) X(PQexitPipelineMode) \
	X(PQfinish) X(PQgetResult) X(PQgetisnull) X(PQgetlength) \
	X(PQgetvalue) X(PQnfields) X(PQntuples) X(PQpipelineStatus) \
	X(PQpipelineSync) X(PQprepare) X(PQputCopyData) X(PQputCopyEnd) \
	X(PQresultErrorField) X(PQresultErrorMessage) X(PQresultStatus) \
	X(PQsendQueryParams) X(PQsendQueryPrepared) X(PQsetNoticeProcessor) \
	X(PQstatus) X(PQtransactionStatus)

struct cmp_pq {
#define CMP_PQ_MEMBER(f) __typeof__(f) *f;
	CMP_PQ_FUNCS(CMP_PQ_MEMBER)
#undef CMP_PQ_MEMBER
};

extern struct cmp_pq cmp_pq;

/* Load libpq once a process (once loaded whole it is never unloaded:
   its libraries keep exit handlers).  0, or CMP_EX_CANTCREAT with e filled, naming the
   store `shown` (no password) and what to install. */
int cmp_pq_load(const char *shown, struct cmp_error *e);

#ifndef CMP_PQ_LOADER
#define PQclear (*cmp_pq.PQclear)
#define PQcmdTuples (*cmp_pq.PQcmdTuples)
#define PQconnectdb (*cmp_pq.PQconnectdb)
#define PQenterPipelineMode (*cmp_pq.PQenterPipelineMode)
#define PQerrorMessage (*cmp_pq.PQerrorMessage)
#define PQexec (*cmp_pq.PQexec)
#define PQexecParams (*cmp_pq.PQexecParams)
#define PQexitPipelineMode (*cmp_pq.PQexitPipelineMode)
#define PQfinish (*cmp_pq.PQfinish)
#define PQgetResult (*cmp_pq.PQgetResult)
#define PQgetisnull (*cmp_pq.PQgetisnull)
#define PQgetlength (*cmp_pq.PQgetlength)
#define PQgetvalue (*cmp_pq.PQgetvalue)
#define PQnfields (*cmp_pq.PQnfields)
#define PQntuples (*cmp_pq.PQntuples)
#define PQpipelineStatus (*cmp_pq.PQpipelineStatus)
#define PQpipelineSync (*cmp_pq.PQpipelineSync)
#define PQprepare (*cmp_pq.PQprepare)
#define PQputCopyData (*cmp_pq.PQputCopyData)
#define PQputCopyEnd (*cmp_pq.PQputCopyEnd)
#define PQresultErrorField (*cmp_pq.PQresultErrorField)
#define PQresultErrorMessage (*cmp_pq.PQresultErrorMessage)
#define PQresultStatus (*cmp_pq.PQresultStatus)
#define PQsendQueryParams (*cmp_pq.PQsendQueryParams)
#define PQsendQueryPrepared (*cmp_pq.PQsendQueryPrepared)
#define PQsetNoticeProcessor (*cmp_pq.PQsetNoticeProcessor)
#define PQstatus (*cmp_pq.PQstatus)
#define PQtransactionStatus (*cmp_pq.PQtransactionStatus)
#endif

#endif
