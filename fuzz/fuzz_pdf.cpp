// PDF bytes -> Poppler text_list -> layout -> parse. Must never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "convert/convert.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)hoshin::convert_pdf(bytes, "fuzz.pdf", {});
    return 0;
}
