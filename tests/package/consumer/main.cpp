// Converts one file through hoshin's public API and prints its JSON, or the
// error's code and message. usage: consumer FILE
#include <cstdio>
#include <iostream>

#include "hoshin/hoshin.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: consumer FILE\n";
        return 2;
    }
    hoshin::ConvertOptions options;
    hoshin::Result<std::vector<hoshin::Document>> docs = hoshin::convert_file(argv[1], options);
    if (!docs.ok()) {
        std::cerr << docs.error().code << ": " << docs.error().message << "\n";
        return 1;
    }
    std::cerr << "hoshin " << hoshin::kVersion << ": " << docs.value().size() << " document(s)\n";
    std::cout << hoshin::write::to_json(docs.value().front());
    return 0;
}
