// Moved to the public API: include/hoshin/document.h.
#pragma once
#include "hoshin/document.h"
