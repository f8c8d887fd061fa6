/* SQL outside the store */
#include "engine/store/missing.h"
static void g(sqlite3_stmt *q) { (void)q; }
