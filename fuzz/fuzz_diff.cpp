// Two models -> diff. A document diffed with itself has no changes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "convert/convert.h"
#include "diff/diff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view all(reinterpret_cast<const char*>(data), size);
    size_t cut = all.find('\f');  // the two documents, split at a form feed
    std::string_view first = all.substr(0, cut), second = cut == std::string_view::npos ? all : all.substr(cut + 1);
    auto a = hoshin::convert_text(first, "a.txt", {});
    auto b = hoshin::convert_text(second, "b.txt", {});
    if (!a.ok() || !b.ok()) return 0;
    auto self = hoshin::diff::diff(a.value(), a.value());
    if (self.added || self.removed || self.modified) __builtin_trap();
    (void)hoshin::diff::to_json(hoshin::diff::diff(a.value(), b.value()));
    return 0;
}
