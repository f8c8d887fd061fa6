/*
 * schema.c - the store's schema as a list of migrations.
 *
 * Migration i takes a store from version i to i+1; a fresh store runs them
 * all.  PRAGMA user_version holds the version.  Never edit a migration that
 * has shipped: add a new one and bump EGDI_SCHEMA_VERSION in store.h.
 */
#include "engine/store/schema_private.h"
#include "engine/store/store_private.h"

#include "engine/store/store.h"

static const char *const migrations[EGDI_SCHEMA_VERSION] = {
    /* 0 -> 1: the base schema */
    "CREATE TABLE round(\n"
    "  year INTEGER PRIMARY KEY,\n"
    "  label TEXT);\n"
    "CREATE TABLE import_batch(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('units','metrics','survey')),\n"
    "  file TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  sheet TEXT,\n"
    "  round INTEGER REFERENCES round(year),\n"
    "  survey_id INTEGER REFERENCES survey(id) ON DELETE CASCADE,\n"
    "  imported_at TEXT NOT NULL,\n"
    "  rows_read INTEGER NOT NULL DEFAULT 0,\n"
    "  values_stored INTEGER NOT NULL DEFAULT 0,\n"
    "  rejected INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE unit(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE,\n"
    "  name TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('department','region')),\n"
    "  parent_id INTEGER REFERENCES unit(id),\n"
    "  level INTEGER,\n"
    "  batch_id INTEGER REFERENCES import_batch(id));\n"
    "CREATE TABLE observation(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  round INTEGER NOT NULL REFERENCES round(year),\n"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
    "  indicator TEXT NOT NULL,\n"
    "  value REAL NOT NULL,\n"
    "  raw TEXT,\n"
    "  batch_id INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,\n"
    "  sheet TEXT,\n"
    "  row INTEGER,\n"
    "  col INTEGER,\n"
    "  UNIQUE(round, unit_id, indicator));\n"
    "CREATE TABLE survey(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  round INTEGER REFERENCES round(year),\n"
    "  scale_min REAL,\n"
    "  scale_max REAL,\n"
    "  codec TEXT NOT NULL CHECK(codec IN ('u8','f64')),\n"
    "  created_at TEXT NOT NULL);\n"
    "CREATE TABLE survey_column(\n"
    "  survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,\n"
    "  pos INTEGER NOT NULL,\n"
    "  code TEXT NOT NULL,\n"
    "  is_item INTEGER NOT NULL,\n"
    "  reversed INTEGER NOT NULL DEFAULT 0,\n"
    "  dimension TEXT,\n"
    "  PRIMARY KEY(survey_id, pos),\n"
    "  UNIQUE(survey_id, code));\n"
    "CREATE TABLE survey_label(\n"
    "  survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,\n"
    "  value REAL NOT NULL,\n"
    "  label TEXT NOT NULL,\n"
    "  PRIMARY KEY(survey_id, value),\n"
    "  UNIQUE(survey_id, label));\n"
    "CREATE TABLE survey_response(\n"
    "  survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,\n"
    "  resp_no INTEGER NOT NULL,\n"
    "  batch_id INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,\n"
    "  source_row INTEGER NOT NULL,\n"
    "  answers BLOB NOT NULL,\n"
    "  attrs TEXT,\n"
    "  PRIMARY KEY(survey_id, resp_no)) WITHOUT ROWID;\n"
    "CREATE TABLE model(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  version TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL UNIQUE,\n"
    "  definition TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL);\n"
    "CREATE TABLE score_run(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  round INTEGER NOT NULL REFERENCES round(year),\n"
    "  model_id INTEGER NOT NULL REFERENCES model(id),\n"
    "  inputs_sha256 TEXT NOT NULL,\n"
    "  program_version TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL);\n"
    "CREATE TABLE node_score(\n"
    "  run_id INTEGER NOT NULL REFERENCES score_run(id) ON DELETE CASCADE,\n"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
    "  node TEXT NOT NULL,\n"
    "  raw REAL,\n"
    "  score REAL,\n"
    "  weight REAL,\n"
    "  contribution REAL,\n"
    "  note TEXT,\n"
    "  PRIMARY KEY(run_id, unit_id, node)) WITHOUT ROWID;\n"
    "CREATE TABLE unit_score(\n"
    "  run_id INTEGER NOT NULL REFERENCES score_run(id) ON DELETE CASCADE,\n"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
    "  egdi REAL,\n"
    "  stage TEXT,\n"
    "  coverage REAL NOT NULL,\n"
    "  rankable INTEGER NOT NULL,\n"
    "  rank INTEGER,\n"
    "  PRIMARY KEY(run_id, unit_id)) WITHOUT ROWID;\n",

    /* 1 -> 2: look-up indexes and a key/value table for store settings */
    "CREATE INDEX observation_batch ON observation(batch_id);\n"
    "CREATE INDEX import_batch_hash ON import_batch(sha256, kind);\n"
    "CREATE INDEX unit_parent ON unit(parent_id);\n"
    "CREATE INDEX score_run_round ON score_run(round, model_id);\n"
    "CREATE TABLE setting(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL);\n",

    /* 2 -> 3: missing values with their cell and reason; the batch that
     * created a unit (undo); score runs made stale by a later import or an
     * undo; the missing values an import recorded */
    "CREATE TABLE missing_value(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  round INTEGER NOT NULL REFERENCES round(year),\n"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id),\n"
    "  indicator TEXT NOT NULL,\n"
    "  raw TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL,\n"
    "  batch_id INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,\n"
    "  sheet TEXT,\n"
    "  row INTEGER,\n"
    "  col INTEGER,\n"
    "  UNIQUE(round, unit_id, indicator));\n"
    "CREATE INDEX missing_value_batch ON missing_value(batch_id);\n"
    "ALTER TABLE unit ADD COLUMN created_batch INTEGER\n"
    "  REFERENCES import_batch(id) ON DELETE SET NULL;\n"
    "UPDATE unit SET created_batch = batch_id;\n"
    "CREATE INDEX unit_created ON unit(created_batch);\n"
    "ALTER TABLE score_run ADD COLUMN stale TEXT;\n"
    "ALTER TABLE import_batch ADD COLUMN missing INTEGER NOT NULL DEFAULT 0;\n",

    /* 3 -> 4: taken by the survey values of issue 15 (another branch).  It is
     * empty on this branch only so that the uncertainty runs keep their
     * number; when the branches meet, issue 15's migration takes this place
     * and this one follows it. */
    "",

    /* 4 -> 5: uncertainty runs (issue 16): what a Monte Carlo varied, its
     * seed, draws, sampler and the model and inputs it ran on, tied to the
     * score run it measured (gone with it); per unit the rank statistics and
     * the draws in each stage.  The named weight sets are in model, their
     * hashes in weight_sets. */
    "CREATE TABLE uncertainty_run(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  score_run_id INTEGER NOT NULL REFERENCES score_run(id) ON DELETE CASCADE,\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('department','region')),\n"
    "  varied TEXT NOT NULL,\n"
    "  sampler TEXT NOT NULL CHECK(sampler IN ('sobol','random')),\n"
    "  seed INTEGER NOT NULL,\n"
    "  draws INTEGER NOT NULL,\n"
    "  columns INTEGER NOT NULL,\n"
    "  top_k INTEGER,\n"
    "  rank_digits INTEGER,\n"
    "  model_sha256 TEXT NOT NULL,\n"
    "  inputs_sha256 TEXT NOT NULL,\n"
    "  weight_sets TEXT,\n"
    "  program_version TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL);\n"
    "CREATE INDEX uncertainty_run_score ON uncertainty_run(score_run_id, kind);\n"
    "CREATE TABLE uncertainty_unit(\n"
    "  run_id INTEGER NOT NULL REFERENCES uncertainty_run(id) ON DELETE CASCADE,\n"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,\n"
    "  nominal_rank INTEGER,\n"
    "  ranked INTEGER NOT NULL,\n"
    "  median_rank REAL,\n"
    "  rank_lo REAL,\n"
    "  rank_hi REAL,\n"
    "  mean_shift REAL,\n"
    "  top_draws INTEGER NOT NULL,\n"
    "  PRIMARY KEY(run_id, unit_id)) WITHOUT ROWID;\n"
    "CREATE TABLE uncertainty_stage(\n"
    "  run_id INTEGER NOT NULL REFERENCES uncertainty_run(id) ON DELETE CASCADE,\n"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,\n"
    "  stage TEXT NOT NULL,\n"
    "  draws INTEGER NOT NULL,\n"
    "  PRIMARY KEY(run_id, unit_id, stage)) WITHOUT ROWID;\n",
};

const char *egdi_schema_migration(int from)
{
    if (from < 0 || from >= EGDI_SCHEMA_VERSION)
        return NULL;
    return migrations[from];
}
