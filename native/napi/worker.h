// native/napi/worker.h — a Promise-returning AsyncWorker for tensor work.
// The baton rule (STYLE.md §8): JS arguments are copied into plain C++ values on the main thread
// before the worker is queued; Execute() (libuv pool thread) touches only those values and
// tensors; the result is turned into JS values back on the main thread in OnOK.
#pragma once
#include <napi.h>

#include <functional>

#include "napi/errors.h"

namespace toolrl {

class TorchWorker : public Napi::AsyncWorker {
 public:
  using Work = std::function<void()>;
  using Done = std::function<Napi::Value(Napi::Env)>;
  using Finally = std::function<void()>;

  TorchWorker(Napi::Env env, Work work, Done done, Finally finally)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        work_(std::move(work)),
        done_(std::move(done)),
        finally_(std::move(finally)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  // Queues the work and returns its promise (the worker deletes itself when done).
  static Napi::Promise Start(Napi::Env env, Work work, Done done, Finally finally = [] {}) {
    auto* w = new TorchWorker(env, std::move(work), std::move(done), std::move(finally));
    auto p = w->Promise();
    w->Queue();
    return p;
  }

 protected:
  void Execute() override {
    try {
      work_();
    } catch (...) {
      error_ = classify_current_exception();
      SetError(error_.message);
    }
  }

  void OnOK() override {
    finally_();
    Napi::Env env = Env();
    try {
      deferred_.Resolve(done_(env));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    } catch (...) {
      deferred_.Reject(make_js_error(env, classify_current_exception()).Value());
    }
  }

  void OnError(const Napi::Error&) override {
    finally_();
    deferred_.Reject(make_js_error(Env(), error_).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Work work_;
  Done done_;
  Finally finally_;
  CaughtError error_;
};

}  // namespace toolrl
