/* its own private header: fine */
#include "engine/readers/csv_private.h"
