/*
 * field_set.h - field_set.c's functions used only inside libcomplaint.
 */
#ifndef CMP_FIELD_SET_H
#define CMP_FIELD_SET_H

#include "complaint.h"

#endif /* CMP_FIELD_SET_H */
