/* another module's private header, SQL and GSL in the command line */
#include <gsl/gsl_matrix.h>
#include "engine/readers/csv_private.h"
static int f(void) { return sqlite3_exec(0, "", 0, 0, 0); }
