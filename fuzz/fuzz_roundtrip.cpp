// A document model -> JSON and XML -> read back: equal models.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "convert/convert.h"
#include "read/json_reader.h"
#include "read/xml_reader.h"
#include "write/json_writer.h"
#include "write/xml_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto doc = hoshin::convert_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.txt", {});
    if (!doc.ok()) return 0;
    auto from_json = hoshin::read::from_json(hoshin::write::to_json(doc.value()));
    auto from_xml = hoshin::read::from_xml(hoshin::write::to_xml(doc.value()));
    if (!from_json.ok() || !(from_json.value() == doc.value())) __builtin_trap();
    if (!from_xml.ok() || !(from_xml.value() == doc.value())) __builtin_trap();
    return 0;
}
