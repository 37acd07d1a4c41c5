// One error type for fatal, per-file problems, with a stable code. It is
// formatted for people in exactly one place (format_message).
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace hoshin {

struct Error {
    std::string code;     // stable, kebab-case, documented in the README
    std::string message;  // one line, no trailing period
    int line = 0;         // 1-based, 0 when not tied to a line
    int page = 0;         // 1-based, 0 when not tied to a page
};

// A value or an Error; parsers of untrusted input return this instead of
// throwing.
template <class T>
class Result {
public:
    Result(T value) : value_(std::move(value)) {}
    Result(Error error) : error_(std::move(error)) {}
    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }
    T& value() { return *value_; }
    const T& value() const { return *value_; }
    T& operator*() { return *value_; }
    T* operator->() { return &*value_; }
    const Error& error() const { return *error_; }

private:
    std::optional<T> value_;
    std::optional<Error> error_;
};

// "hoshin: FILE[:LINE]: error: MESSAGE [CODE]"
std::string format_message(const std::string& file, const std::string& severity,
                           const std::string& code, const std::string& message,
                           int line = 0, int page = 0);

}  // namespace hoshin
