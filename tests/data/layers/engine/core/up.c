/* includes a header of a layer above it, and one without its folder */
#include "reports/report.h"
#include "up.h"
