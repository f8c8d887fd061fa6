#!/bin/sh
# The layering of docs/ARCHITECTURE.md, held by tools/check-layers.sh:
# the tree itself passes, and the checker catches each kind of violation
# in a small tree made to break every rule (tests/data/layers).
. tests/cli/lib.sh

run tools/check-layers.sh
ok "every file of the tree keeps to its layer"
has "the checker counts the files" " passed, 0 failed"

L=$DATA/layers
run tools/check-layers.sh "$L"
same "a tree with violations fails" "$RC" 1
has "an include of a higher layer" "engine/core/up.c:2: down: engine/core (layer 0) includes reports/report.h"
has "an include without its folder" "engine/core/up.c:3: folder: #include \"up.h\" does not name its folder"
has "an include of a missing header" "indicators/sql.c:2: folder: #include \"engine/store/missing.h\": no such header"
has "another module's private header" "cli/peek.c:3: private: engine/readers/csv_private.h is private to engine/readers/"
has "SQL outside the store" "indicators/sql.c:3: sql: SQLite is used only in engine/store/"
has "SQL in the command line" "cli/peek.c:4: sql:"
has "statistics in the command line" "cli/peek.c:2: thin:"
hasnt "a module's own private header is fine" "engine/readers/csv.c"
hasnt "SQL in the store is fine" "engine/store/ok.c"
has "the good files pass" "5 passed, 3 failed"
finish
