// Moved to the public API: include/hoshin/error.h.
#pragma once
#include "hoshin/error.h"
