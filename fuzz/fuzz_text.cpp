// Text bytes (any encoding) -> decode -> rows -> parse -> JSON. Must never
// crash, hang or produce JSON that does not read back to the same model.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "convert/convert.h"
#include "read/json_reader.h"
#include "write/json_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto doc = hoshin::convert_text(bytes, "fuzz.txt", {});
    if (!doc.ok()) return 0;
    auto back = hoshin::read::from_json(hoshin::write::to_json(doc.value()));
    if (!back.ok() || !(back.value() == doc.value())) __builtin_trap();
    return 0;
}
