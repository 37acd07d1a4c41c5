// hoshin: Japanese municipal operating policies (部局運営方針) as open data.
// The umbrella header of the public API; link with hoshin::hoshin
// (find_package(hoshin CONFIG REQUIRED)).
#pragma once

#include "hoshin/convert.h"
#include "hoshin/document.h"
#include "hoshin/error.h"
#include "hoshin/formats.h"
#include "hoshin/version.h"
