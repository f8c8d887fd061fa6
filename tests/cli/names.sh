#!/bin/sh
# Function names: tools/check-names.sh holds every global symbol of the
# library to its file, folder or a type of its header; the tree passes, and
# a small tree built here with one misnamed function of each kind fails.
. tests/cli/lib.sh

run tools/check-names.sh "$(pwd)" "${BUILD:-build}"
ok "every library function is named after its file, folder or type"
has "one check per library file" " passed, 0 failed"

R=$T/tree
mkdir -p "$R/surveys" "$R/engine/store" "$T/obj/surveys" "$T/obj/engine/store"
cat >"$R/surveys/reliability.h" <<'H'
typedef struct { double alpha; } egdi_alpha;
typedef struct egdi_cov egdi_cov;
H
cat >"$R/surveys/reliability.c" <<'C'
int egdi_alpha_compute(void) { return 1; }
int egdi_cov_compute(void) { return 2; }
int egdi_reliability(void) { return 3; }
int egdi_kmo_compute(void) { return 4; }
int helper_shared(void) { return 5; }
static int local(void) { return 6; }
int reliability_shared(void) { return local(); }
C
cat >"$R/engine/store/units.c" <<'C'
int egdi_store_units_each(void) { return 1; }
int egdi_unit_get(void) { return 2; }
int egdi_score_save(void) { return 3; }
C
cc -c -o "$T/obj/surveys/reliability.o" "$R/surveys/reliability.c"
cc -c -o "$T/obj/engine/store/units.o" "$R/engine/store/units.c"
run tools/check-names.sh "$R" "$T/obj"
same "a tree with misnamed functions fails" "$RC" 1
has "a function of another module" "surveys/reliability.c: egdi_kmo_compute:"
has "a module-private name of no module" "surveys/reliability.c: helper_shared:"
hasnt "named after a type of the header" "egdi_alpha_compute"
hasnt "named after the file" "egdi_reliability:"
hasnt "a module-private name of the file" "reliability_shared"
hasnt "static functions are not checked" "local"
hasnt "named after the folder" "egdi_store_units_each"
hasnt "the file's name without its plural s" "egdi_unit_get"
has "another module's prefix in the store" "engine/store/units.c: egdi_score_save:"
has "both files fail" "0 passed, 2 failed"
finish
