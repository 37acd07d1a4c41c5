// Where library code sends what it has to say: it never prints itself.
#pragma once

#include <functional>
#include <string_view>

namespace hoshin {

struct Sinks {
    std::function<void(std::string_view)> data;      // stdout: data only
    std::function<void(std::string_view)> message;   // stderr, one line per call
    std::function<void(std::string_view)> progress;  // stderr, redrawn in place; may be empty
};

}  // namespace hoshin
