// Arbitrary text -> marker and label detection (the parser on rows made
// from it) and era-date parsing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/decode.h"
#include "layout/rows.h"
#include "parse/parser.h"
#include "text/era.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (auto fy = hoshin::text::find_fiscal_year(text)) {
        if (fy->gregorian < 600 || fy->gregorian > 2200 || fy->era_year < 1) __builtin_trap();
    }
    (void)hoshin::text::parse_japanese_number(text);
    auto decoded = hoshin::ingest::decode(text, std::string("UTF-8"));
    if (!decoded.ok()) return 0;
    auto rows = hoshin::layout::rows_from_text(decoded->utf8);
    if (rows.ok()) (void)hoshin::parse::parse(rows->rows, hoshin::parse::default_profile());
    return 0;
}
