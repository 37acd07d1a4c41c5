// Isolation: inputs converted in a child process that a deadline can kill,
// and the wire between it and the convert job.
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "convert/convert.h"
#include "convert/ipc.h"
#include "convert/render.h"
#include "read/json_reader.h"
#include "write/json_writer.h"

namespace hoshin {
namespace fs = std::filesystem;

namespace {

// Rendered on the socket: fields of "length\n" and bytes.
void put_field(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += '\n';
    out += field;
}

bool get_field(std::string_view& in, std::string& field) {
    size_t nl = in.find('\n');
    if (nl == std::string_view::npos || nl == 0 || nl > 20) return false;
    size_t size = 0;
    for (size_t i = 0; i < nl; ++i) {
        if (in[i] < '0' || in[i] > '9') return false;
        size = size * 10 + static_cast<size_t>(in[i] - '0');
    }
    if (in.size() - nl - 1 < size) return false;
    field.assign(in.substr(nl + 1, size));
    in.remove_prefix(nl + 1 + size);
    return true;
}

std::string encode(const Rendered& r) {
    std::string out;
    put_field(out, std::to_string(r.documents));
    put_field(out, std::to_string(r.json.size()));
    for (const std::string& f : r.json) put_field(out, f);
    put_field(out, std::to_string(r.xml.size()));
    for (const std::string& f : r.xml) put_field(out, f);
    put_field(out, r.single);
    put_field(out, std::to_string(r.messages.size()));
    for (const std::string& f : r.messages) put_field(out, f);
    return out;
}

std::optional<Rendered> decode_rendered(std::string_view in) {
    Rendered r;
    std::string f;
    auto count = [&](size_t& n) {
        if (!get_field(in, f) || f.empty() || f.size() > 9) return false;
        n = std::stoul(f);
        return true;
    };
    size_t n = 0;
    if (!count(r.documents)) return std::nullopt;
    for (std::vector<std::string>* list : {&r.json, &r.xml}) {
        if (!count(n)) return std::nullopt;
        for (size_t i = 0; i < n; ++i) {
            if (!get_field(in, f)) return std::nullopt;
            list->push_back(std::move(f));
        }
    }
    if (!get_field(in, r.single) || !count(n)) return std::nullopt;
    for (size_t i = 0; i < n; ++i) {
        if (!get_field(in, f)) return std::nullopt;
        r.messages.push_back(std::move(f));
    }
    if (!in.empty()) return std::nullopt;
    return r;
}

}  // namespace

namespace {

using ipc::now_seconds;
using ipc::send_all;

// Frames on the socket: decimal length, newline, bytes.
bool send_frame(int fd, std::string_view data) { return send_all(fd, std::to_string(data.size()) + "\n") && send_all(fd, data); }

// Reads one frame; false on end of file, error or the deadline (sets *late).
bool read_frame(int fd, std::string& buffer, std::string& frame, double deadline, bool* late) {
    char chunk[1 << 16];
    while (true) {
        size_t nl = buffer.find('\n');
        if (nl != std::string::npos) {
            size_t size = std::stoul(buffer.substr(0, nl));
            if (buffer.size() >= nl + 1 + size) {
                frame = buffer.substr(nl + 1, size);
                buffer.erase(0, nl + 1 + size);
                return true;
            }
        }
        if (deadline > 0) {
            double left = deadline - now_seconds();
            if (left <= 0) {
                *late = true;
                return false;
            }
            pollfd p{fd, POLLIN, 0};
            int ready = ::poll(&p, 1, static_cast<int>(left * 1000) + 1);
            if (ready < 0 && errno == EINTR) continue;
            if (ready == 0) continue;  // the deadline check above decides
        }
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<size_t>(n));
    }
}

[[noreturn]] void converter_child(int fd, const ConvertOptions& options) {
    // Ctrl-C and SIGTERM reach the whole process group: the parent stops
    // after the input in flight, which this child finishes.
    ::signal(SIGINT, SIG_IGN);
    ::signal(SIGTERM, SIG_IGN);
    std::string buffer, path;
    bool late = false;
    std::string request;
    while (read_frame(fd, buffer, request, 0, &late)) {
        // 'D' PATH: the documents back as JSON; 'R' FORMAT STDOUT QUIET PATH:
        // rendered here, so the parent only writes (no JSON read back); 'S'
        // the same, each document's outputs sent on ('P' frames) as soon as
        // they are made.
        bool render = !request.empty() && (request[0] == 'R' || request[0] == 'S') && request.size() >= 4;
        bool streamed = render && request[0] == 'S';
        path = request.substr(render ? 4 : 1);
        std::string reply;
        std::optional<Error> error;
        if (render) {
            RenderRequest rq{request[1] == 'j'   ? OutputFormat::json
                             : request[1] == 'x' ? OutputFormat::xml
                             : request[1] == 'l' ? OutputFormat::jsonl
                                                 : OutputFormat::both,
                             request[2] == '1', request[3] == '1'};
            RenderedSink send_part = [&](std::string json, std::string xml) -> std::optional<Error> {
                std::string part = "P";
                put_field(part, json);
                put_field(part, xml);
                if (!send_frame(fd, part)) return Error{ErrorCode::internal_error, "the parent process went away"};
                return std::nullopt;
            };
            auto r = render_file(path, options, rq, streamed ? &send_part : nullptr);
            if (r.ok()) reply = "R" + encode(r.value());
            else error = r.error();
        } else {
            auto r = convert_file_guarded(path, options);
            if (r.ok()) reply = "D" + write::to_json(r.value());
            else error = r.error();
        }
        if (error) {
            const Error& e = *error;
            reply = "E" + std::to_string(e.line) + "\n" + std::to_string(e.page) + "\n" + to_string(e.code) + "\n" + e.message;
        }
        if (!send_frame(fd, reply)) break;
    }
    _exit(0);
}

}  // namespace

IsolatedConverter::IsolatedConverter(ConvertOptions options, int timeout_seconds)
    : options_(std::move(options)), timeout_seconds_(timeout_seconds) {}

IsolatedConverter::~IsolatedConverter() { stop(); }

void IsolatedConverter::stop() {
    if (pid_ < 0) return;
    ::close(fd_);  // the child sees end of file and exits
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    fd_ = -1;
}

Result<std::vector<Document>> IsolatedConverter::convert(const fs::path& path) {
    if (timeout_seconds_ <= 0) return convert_file_guarded(path, options_);
    auto reply = ask("D" + path.string());
    if (!reply.ok()) return reply.error();
    if (reply->empty() || (*reply)[0] != 'D') return Error{ErrorCode::internal_error, "the converting process gave an unexpected reply"};
    auto docs = read::documents_from_json(std::string_view(reply.value()).substr(1));
    if (!docs.ok()) return Error{ErrorCode::internal_error, "the converting process gave unreadable output: " + docs.error().message};
    return std::move(docs.value());
}

Result<Rendered> IsolatedConverter::render(const fs::path& path, const RenderRequest& request, const RenderedSink* stream) {
    if (request.to_stdout) stream = nullptr;
    if (timeout_seconds_ <= 0) return render_file(path, options_, request, stream);
    std::string ask_for = stream ? "S" : "R";
    ask_for += request.format == OutputFormat::json    ? 'j'
               : request.format == OutputFormat::xml   ? 'x'
               : request.format == OutputFormat::jsonl ? 'l'
                                                       : 'b';
    ask_for += request.to_stdout ? '1' : '0';
    ask_for += request.quiet ? '1' : '0';
    std::optional<Error> part_error;
    std::function<void(std::string_view)> on_part = [&](std::string_view part) {
        std::string json, xml;
        if (!get_field(part, json) || !get_field(part, xml) || !part.empty()) {
            if (!part_error) part_error = Error{ErrorCode::internal_error, "the converting process gave unreadable output"};
            return;
        }
        if (!part_error && stream) part_error = (*stream)(std::move(json), std::move(xml));
    };
    auto reply = ask(ask_for + path.string(), &on_part);
    if (!reply.ok()) return reply.error();
    if (part_error) return *part_error;
    if (reply->empty() || (*reply)[0] != 'R') return Error{ErrorCode::internal_error, "the converting process gave an unexpected reply"};
    auto r = decode_rendered(std::string_view(reply.value()).substr(1));
    if (!r) return Error{ErrorCode::internal_error, "the converting process gave unreadable output"};
    return std::move(*r);
}

Result<std::string> IsolatedConverter::ask(const std::string& request, const std::function<void(std::string_view)>* on_part) {
    if (pid_ < 0) {
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
            return Error{ErrorCode::internal_error, std::string("cannot make a socket pair: ") + std::strerror(errno)};
        std::fflush(nullptr);  // nothing buffered is written twice
        const pid_t parent = ::getpid();
        pid_t pid = ::fork();
        if (pid < 0) {
            ::close(sv[0]);
            ::close(sv[1]);
            return Error{ErrorCode::internal_error, std::string("cannot start a process: ") + std::strerror(errno)};
        }
        if (pid == 0) {
            ::close(sv[0]);
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // no conversion outlives hoshin
            if (::getppid() != parent) _exit(0);
            try {
                converter_child(sv[1], options_);
            } catch (...) {
                _exit(70);  // never unwind into the parent's frames
            }
        }
        ::close(sv[1]);
        pid_ = pid;
        fd_ = sv[0];
    }
    std::string buffer, reply;
    bool late = false;
    const double deadline = now_seconds() + timeout_seconds_;
    bool ok = send_frame(fd_, request);
    while (ok) {
        ok = read_frame(fd_, buffer, reply, deadline, &late);
        if (!ok || reply.empty() || reply[0] != 'P') break;
        if (on_part) (*on_part)(std::string_view(reply).substr(1));
    }
    if (!ok) {
        if (late) ::kill(pid_, SIGKILL);
        ::close(fd_);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        fd_ = -1;
        if (late)
            return Error{ErrorCode::timeout, "not converted within " + std::to_string(timeout_seconds_) +
                                        " s (a page Poppler cannot lay out quickly?); --timeout changes the limit"};
        std::string how = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                              : "exit status " + std::to_string(WEXITSTATUS(status));
        return Error{ErrorCode::worker_crashed, "the process converting this input died (" + how + ")"};
    }
    if (reply.empty()) return Error{ErrorCode::internal_error, "the converting process gave an empty reply"};
    if (reply[0] == 'E') {
        Error e;
        size_t a = reply.find('\n'), b = reply.find('\n', a + 1), c = reply.find('\n', b + 1);
        e.line = std::stoi(reply.substr(1, a - 1));
        e.page = std::stoi(reply.substr(a + 1, b - a - 1));
        e.code = error_code_from_string(reply.substr(b + 1, c - b - 1)).value_or(ErrorCode::internal_error);
        e.message = reply.substr(c + 1);
        return e;
    }
    return reply;
}

}  // namespace hoshin
