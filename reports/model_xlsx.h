/*
 * model_xlsx.h - a model's tables as an XLSX workbook a person can edit
 * (`egdi model export NAME -o FILE.xlsx`): sheets settings, catalogue and
 * stages holding the canonical tables (indicators/model_write.c), numbers
 * as numbers, so egdi_model_load reads the workbook back as the same model
 * (the same hash).  The caller keeps the model.
 */
#ifndef EGDI_MODEL_XLSX_H
#define EGDI_MODEL_XLSX_H

#include "engine/core/error.h"
#include "indicators/model.h"

/* Writes m to path whole (a temporary file renamed when complete). */
egdi_status egdi_model_xlsx_write(const egdi_model *m, const char *path, egdi_error *err);

#endif
