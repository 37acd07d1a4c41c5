// One error type for fatal, per-file problems, with a stable code. It is
// formatted for people in exactly one place (format_message).
#pragma once

#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoshin {

// Every error code, in the order of the README's table (a test holds the
// two to the same list). Each has one stable kebab-case name (to_string),
// which is what messages, manifests and other programs see.
enum class ErrorCode {
    not_found,
    is_directory,
    unreadable,
    input_too_large,
    empty_input,
    binary_input,
    unknown_encoding,
    decode_error,
    not_a_pdf,
    pdf_truncated,
    pdf_damaged,
    pdf_encrypted,
    pdf_bad_password,
    pdf_no_pages,
    too_many_pages,
    too_much_text,
    no_text_layer,
    ocr_unavailable,
    page_too_large,
    no_such_page,
    too_many_lines,
    line_too_long,
    too_many_cells,
    too_many_goals,
    not_a_policy_document,
    timeout,
    worker_crashed,
    bad_json,
    bad_xml,
    nesting_too_deep,
    unsupported_schema_version,
    output_error,
    output_collision,
    output_is_input,
    dataset_error,
    several_documents,
    no_such_department,
    internal_error,
    bad_profile,  // keep last (document.cpp checks the name table against it)
};

const char* to_string(ErrorCode code);
std::optional<ErrorCode> error_code_from_string(std::string_view name);
// All codes, in declaration order (the README's).
const std::vector<ErrorCode>& all_error_codes();
std::ostream& operator<<(std::ostream& out, ErrorCode code);  // its name

struct Error {
    ErrorCode code = ErrorCode::internal_error;
    std::string message;  // one line, no trailing period
    int line = 0;         // 1-based, 0 when not tied to a line
    int page = 0;         // 1-based, 0 when not tied to a page
};

// A value or an Error; parsers of untrusted input return this instead of
// throwing.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : value_(std::move(value)) {}
    Result(Error error) : error_(std::move(error)) {}
    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }
    // The value; asking an error for it is a bug, thrown as std::logic_error
    // (the per-file edge reports it as internal-error).
    T& value() { return checked(); }
    const T& value() const { return const_cast<Result*>(this)->checked(); }
    T& operator*() { return checked(); }
    T* operator->() { return &checked(); }
    const Error& error() const {
        if (!error_) throw std::logic_error("Result::error() on a value");
        return *error_;
    }

private:
    T& checked() {
        if (!value_) throw std::logic_error(std::string("Result::value() on an error: ") + to_string(error_->code));
        return *value_;
    }
    std::optional<T> value_;
    std::optional<Error> error_;
};

// "hoshin: FILE[:LINE]: error: MESSAGE [CODE]"
std::string format_message(const std::string& file, const std::string& severity, ErrorCode code,
                           const std::string& message, int line = 0, int page = 0);
std::string format_message(const std::string& file, const std::string& severity,
                           const std::string& code, const std::string& message,
                           int line = 0, int page = 0);

}  // namespace hoshin
