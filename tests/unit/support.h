// Shared helpers for the unit tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace hoshin::testing {

// The bytes of a file in the source tree, e.g. "samples/....txt".
inline std::string read_bytes(const std::string& relative) {
    std::ifstream in(std::string(HOSHIN_SOURCE_DIR) + "/" + relative, std::ios::binary);
    EXPECT_TRUE(in.good()) << relative;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace hoshin::testing
