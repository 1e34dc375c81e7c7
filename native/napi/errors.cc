// native/napi/errors.cc — see errors.h.
#include "napi/errors.h"

#include <c10/util/Exception.h>

#include <new>
#include <stdexcept>

namespace toolrl {

CaughtError classify_current_exception() {
  try {
    throw;
  } catch (const c10::TypeError& e) {
    return {ErrorKind::kTypeError, e.what_without_backtrace()};
  } catch (const c10::ValueError& e) {
    return {ErrorKind::kRangeError, e.what_without_backtrace()};
  } catch (const c10::IndexError& e) {
    return {ErrorKind::kRangeError, e.what_without_backtrace()};
  } catch (const c10::Error& e) {
    return {ErrorKind::kError, e.what_without_backtrace()};
  } catch (const std::bad_alloc&) {
    return {ErrorKind::kError, "out of memory in the native addon"};
  } catch (const std::out_of_range& e) {
    return {ErrorKind::kRangeError, e.what()};
  } catch (const std::invalid_argument& e) {
    return {ErrorKind::kTypeError, e.what()};
  } catch (const std::exception& e) {
    return {ErrorKind::kError, e.what()};
  } catch (...) {
    return {ErrorKind::kError, "unknown native exception"};
  }
}

Napi::Error make_js_error(Napi::Env env, const CaughtError& e) {
  switch (e.kind) {
    case ErrorKind::kTypeError:
      return Napi::TypeError::New(env, e.message);
    case ErrorKind::kRangeError:
      return Napi::RangeError::New(env, e.message);
    default:
      return Napi::Error::New(env, e.message);
  }
}

}  // namespace toolrl
