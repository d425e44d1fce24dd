/*
 * record.h - record.c's functions used only inside libcomplaint.
 */
#ifndef CMP_RECORD_H
#define CMP_RECORD_H

#include "complaint.h"

/* Remove every tag of c. */
void cmp_complaint_tags_clear(struct cmp_complaint *c);

#endif /* CMP_RECORD_H */
