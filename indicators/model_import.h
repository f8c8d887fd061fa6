/*
 * model_import.h - what an import knows of a model: its catalogue as the
 * plain description engine/import checks against (egdi_import_catalogue,
 * engine/import/import.h), and which model an import of a store checks
 * against by default.
 *
 * engine/import sits below indicators/ and knows nothing of models; the
 * caller (`egdi import`) builds the catalogue here and passes it down.
 */
#ifndef EGDI_MODEL_IMPORT_H
#define EGDI_MODEL_IMPORT_H

#include "engine/core/error.h"
#include "engine/import/import.h"
#include "engine/store/store.h"
#include "indicators/model.h"

/*
 * Fills *out (initialised here; the caller releases it) with every node of
 * m, in catalogue order, and the indicator a region's departments are
 * weighted by (region_method weighted:CODE) when it is no node:
 *   - rule yesno: a yes/no answer;
 *   - rule likert: a mean on scale_min..scale_max, unit words 分, points;
 *   - unit "%": a percentage 0-100;
 *   - a unit ending in a range "A-B" ("index 0-1", "Likert 1-5"): A..B;
 *   - an inner node, or a leaf whose rule takes the score as given
 *     (value), with no range in its unit: 0-100;
 *   - a unit that counts (datasets, applications, documents, staff,
 *     computers/staff, staff/100, and 个, 项, 人, 台 ...): not negative,
 *     with the Chinese unit words of docs/import.md (12个, 3人, 0.8台/人);
 *   - anything else: any number.
 * The unit text itself is always an allowed unit word.
 */
egdi_status egdi_model_import_catalogue(const egdi_model *m, egdi_import_catalogue *out,
                                        egdi_error *err);

/*
 * The model an import into store s checks against when none is named: the
 * model of the store's latest score run, else the built-in default
 * (EGDI_MODEL_DEFAULT).  *out (caller frees with egdi_model_free); *why
 * (static text) says which ("the built-in default", "the model of the
 * store's latest score run").
 */
egdi_status egdi_model_import_default(egdi_store *s, egdi_model **out, const char **why,
                                      egdi_error *err);

#endif
