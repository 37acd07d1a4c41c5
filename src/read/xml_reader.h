// read: XML written by write::to_xml -> Document.
#pragma once

#include <string_view>

#include "hoshin/formats.h"  // from_xml (the public API)
#include "model/document.h"
#include "model/error.h"
#include "read/json_reader.h"  // kMaxNesting
