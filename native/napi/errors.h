// native/napi/errors.h — every C++ exception becomes a JS Error of the right class, never a crash.
// LibTorch's c10::TypeError -> TypeError, c10::ValueError/IndexError -> RangeError, anything else
// -> Error, with what_without_backtrace() (what() would append a C++ backtrace).
#pragma once
#include <napi.h>

#include <exception>
#include <string>

namespace toolrl {

enum class ErrorKind { kError, kTypeError, kRangeError };

struct CaughtError {
  ErrorKind kind = ErrorKind::kError;
  std::string message;
};

// Classifies the exception currently being handled (call inside a catch block).
CaughtError classify_current_exception();

Napi::Error make_js_error(Napi::Env env, const CaughtError& e);

// Runs fn; any C++ exception is rethrown as the matching JS error (synchronous entry points).
template <typename Fn>
Napi::Value guarded(Napi::Env env, Fn&& fn) {
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;  // already a JS error
  } catch (...) {
    throw make_js_error(env, classify_current_exception());
  }
}

}  // namespace toolrl
