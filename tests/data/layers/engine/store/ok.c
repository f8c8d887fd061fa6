/* SQL in the store: fine */
#include <sqlite3.h>
#include "engine/core/up.h"
