// Small helpers shared by the processes hoshin forks (convert's isolated
// converter and bulk's workers): whole writes to a socket, and a clock.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <string_view>

namespace hoshin::ipc {

// Sends all of data; false when the peer is gone (never SIGPIPE) or on error.
inline bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

// Monotonic seconds, for deadlines and rates.
inline double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace hoshin::ipc
