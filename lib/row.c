/*
 * row.c - a complaint as a row of the complaint table: its fields bound
 * as parameters, and read back from the columns of a SELECT.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "complaint.h"
#include "field.h"
#include "row.h"
#include "schema.h"

void
cmp_row_bind_time(const struct cmp_backend *be, struct cmp_db_stmt *s, int i,
		    cmp_time t)
{
	char buf[CMP_TIME_BUFSZ];

	be->bind_text(s, i, t ? cmp_time_format(t, buf) : NULL);
}

/* The canonical "YYYY-MM-DDTHH:MM:SSZ" we store, read back fast. */
cmp_time
cmp_row_column_time(const struct cmp_backend *be, struct cmp_db_stmt *s, int i)
{
	size_t n;
	const unsigned char *p =
		(const unsigned char *)be->column_text(s, i, &n);
	int y, mo, d, h, mi, sec;
	int64_t days;

	if (!p || n != 20)
		return 0;
#define D2(o) ((p[o] - '0') * 10 + (p[o + 1] - '0'))
	y = D2(0) * 100 + D2(2);
	mo = D2(5);
	d = D2(8);
	h = D2(11);
	mi = D2(14);
	sec = D2(17);
#undef D2
	/* Days from civil (Howard Hinnant's algorithm). */
	y -= mo <= 2;
	{
		int64_t era = (y >= 0 ? y : y - 399) / 400;
		int64_t yoe = y - era * 400;
		int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = era * 146097 + doe - 719468;
	}
	return days * 86400 + h * 3600 + mi * 60 + sec;
}

char *
cmp_row_column_strdup(const struct cmp_backend *be, struct cmp_db_stmt *s,
			int i)
{
	size_t n;
	const char *p = be->column_text(s, i, &n);

	return p ? cmp_xstrndup(p, n) : NULL;
}

/* Bind field f of c at parameter i. */
void
cmp_row_bind_field(const struct cmp_backend *be, struct cmp_db_stmt *s, int i,
		     const struct cmp_field *f, const struct cmp_complaint *c)
{
	char *text;

	if (cmp_field_is_null(f, c) && f->type != CMP_F_TAGS) {
		be->bind_null(s, i);
		return;
	}
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_JSON:
		be->bind_text(s, i, *CMP_CFPTR(char *, f, c));
		break;
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		be->bind_int64(s, i, *CMP_CFPTR(int64_t, f, c));
		break;
	case CMP_F_TIME:
		cmp_row_bind_time(be, s, i, *CMP_CFPTR(cmp_time, f, c));
		break;
	case CMP_F_BOOL:
		be->bind_int64(s, i, *CMP_CFPTR(int, f, c));
		break;
	case CMP_F_MONEY:
		be->bind_double(s, i, *CMP_CFPTR(double, f, c));
		break;
	case CMP_F_TAGS:
		text = cmp_field_text(f, c);
		be->bind_text_owned(s, i, text);
		break;
	case CMP_F_FOLLOWUPS:
		break;
	}
}

/* Read column i into field f of c. */
static void
read_field(const struct cmp_backend *be, struct cmp_db_stmt *s, int i,
	   const struct cmp_field *f, struct cmp_complaint *c)
{
	/* Only a flag and an amount ask whether the column is null: a
	   null text reads back as NULL, a null number or time as 0. */
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_JSON:
		free(*CMP_FPTR(char *, f, c));
		*CMP_FPTR(char *, f, c) = cmp_row_column_strdup(be, s, i);
		break;
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		*CMP_FPTR(int64_t, f, c) = be->column_int64(s, i);
		break;
	case CMP_F_TIME:
		*CMP_FPTR(cmp_time, f, c) = cmp_row_column_time(be, s, i);
		break;
	case CMP_F_BOOL:
		*CMP_FPTR(int, f, c) = be->column_is_null(s, i) ? -1 :
			be->column_int64(s, i) != 0;
		break;
	case CMP_F_MONEY:
		*CMP_FPTR(double, f, c) = be->column_is_null(s, i) ? NAN :
			be->column_double(s, i);
		break;
	case CMP_F_TAGS: {
		const char *text = be->column_text(s, i, NULL);
		cJSON *arr = text ? cJSON_Parse(text) : NULL;
		const cJSON *t;

		cJSON_ArrayForEach(t, arr)
			if (cJSON_IsString(t))
				cmp_complaint_tag(c, t->valuestring);
		cJSON_Delete(arr);
		break;
	}
	case CMP_F_FOLLOWUPS:
		break;
	}
}

/* Fill c's stored fields from the current row of a SELECT made by
   cmp_schema_stmt_sql(ST_BY_*): the columns, then the fingerprint. */
void
cmp_row_read_fields(const struct cmp_backend *be, struct cmp_db_stmt *s,
		      struct cmp_complaint *c, char **fingerprint)
{
	int col = 0;

	for (size_t i = 0; i < cmp_nfields; i++) {
		if (!cmp_stored(&cmp_fields[i]))
			continue;
		read_field(be, s, col++, &cmp_fields[i], c);
	}
	if (fingerprint)
		*fingerprint = cmp_row_column_strdup(be, s, col);
}
