// write: Document -> JSON (schemas/policy-document-2.schema.json). Key order
// is fixed, nulls are explicit, numbers classic-locale.
#pragma once

#include <string>
#include <vector>

#include "hoshin/formats.h"  // to_json, to_json_line (the public API)
#include "model/document.h"
