// native/kernels/parallel.cc — see parallel.h. One process-wide pool, grown on demand.
//
// Protocol: `state_` packs (generation << 32 | next chunk index). The caller publishes a job
// (fn, ctx, n, done = 0) and then state = (gen + 1) << 32 with release order; anyone claims chunk
// i by CAS state from (gen, i) to (gen, i + 1) with i < n. A successful claim proves the job is
// still live (its caller waits for done == n, and the claimed chunk is not done), so fn/ctx/n
// read around it belong to that generation; they are atomics only because a stale reader may race
// with the next job's writes, and then its CAS fails.
#include "kernels/parallel.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace toolrl {

namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

// How long an idle worker spins before sleeping: covers the gap between two kernel calls of a
// decode step (a few element-wise ATen ops), not the gap between steps.
constexpr auto kSpin = std::chrono::microseconds(50);

thread_local bool t_in_pool_worker = false;

class Pool {
 public:
  static Pool& instance() {
    static Pool* pool = new Pool();  // leaked on purpose: workers may outlive static destruction
    return *pool;
  }

  void run(int threads, int64_t n, void (*fn)(void*, int64_t), void* ctx) {
    std::unique_lock<std::mutex> busy(run_mutex_, std::try_to_lock);
    if (!busy.owns_lock() || t_in_pool_worker) {  // another job in flight, or nested: inline
      for (int64_t i = 0; i < n; ++i) fn(ctx, i);
      return;
    }
    ensure_workers(threads - 1);
    fn_.store(fn, std::memory_order_relaxed);
    ctx_.store(ctx, std::memory_order_relaxed);
    n_.store(n, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    active_limit_.store(threads - 1, std::memory_order_relaxed);
    const uint64_t gen = (state_.load(std::memory_order_relaxed) >> 32) + 1;
    state_.store(gen << 32, std::memory_order_seq_cst);  // publish
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(sleep_mutex_);
      wake_.notify_all();
    }
    work(gen);
    // Only chunks claimed by running workers remain; yield now and then in case one of them was
    // preempted on a core we share.
    for (int k = 1; done_.load(std::memory_order_acquire) < n; ++k) {
      cpu_relax();
      if ((k & 1023) == 0) std::this_thread::yield();
    }
  }

 private:
  // Claims and runs chunks of generation `gen` until none are left.
  void work(uint64_t gen) {
    uint64_t v = state_.load(std::memory_order_acquire);
    for (;;) {
      if ((v >> 32) != gen) return;
      const int64_t i = static_cast<int64_t>(v & 0xffffffffu);
      const int64_t n = n_.load(std::memory_order_relaxed);
      if (i >= n) return;
      if (!state_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
      fn_.load(std::memory_order_relaxed)(ctx_.load(std::memory_order_relaxed), i);
      done_.fetch_add(1, std::memory_order_release);
      v = state_.load(std::memory_order_acquire);
    }
  }

  void ensure_workers(int want) {
    while (static_cast<int>(workers_.size()) < want) {
      const int id = static_cast<int>(workers_.size());
      workers_.emplace_back([this, id] { worker_loop(id); });
      workers_.back().detach();
    }
  }

  void worker_loop(int id) {
    t_in_pool_worker = true;
    uint64_t seen = state_.load(std::memory_order_acquire) >> 32;
    for (;;) {
      // Wait for a new generation: spin briefly, then sleep.
      uint64_t gen = state_.load(std::memory_order_acquire) >> 32;
      const auto spin_until = std::chrono::steady_clock::now() + kSpin;
      for (int k = 0; gen == seen; ++k) {
        cpu_relax();
        gen = state_.load(std::memory_order_acquire) >> 32;
        if ((k & 255) == 255 && gen == seen && std::chrono::steady_clock::now() > spin_until) {
          std::unique_lock<std::mutex> lock(sleep_mutex_);
          sleepers_.fetch_add(1, std::memory_order_seq_cst);
          wake_.wait(lock, [&] { return (state_.load(std::memory_order_seq_cst) >> 32) != seen; });
          sleepers_.fetch_sub(1, std::memory_order_relaxed);
          gen = state_.load(std::memory_order_acquire) >> 32;
        }
      }
      seen = gen;
      // Workers beyond this job's thread count sit it out (fewer threads were asked for).
      if (id < active_limit_.load(std::memory_order_relaxed)) work(gen);
    }
  }

  std::mutex run_mutex_;
  std::vector<std::thread> workers_;
  std::atomic<uint64_t> state_{0};
  std::atomic<void (*)(void*, int64_t)> fn_{nullptr};
  std::atomic<void*> ctx_{nullptr};
  std::atomic<int64_t> n_{0};
  std::atomic<int64_t> done_{0};
  std::atomic<int> active_limit_{0};
  std::atomic<int> sleepers_{0};
  std::mutex sleep_mutex_;
  std::condition_variable wake_;
};

}  // namespace

void parallel_chunks(int threads, int64_t n, void (*fn)(void*, int64_t), void* ctx) {
  if (threads <= 1 || n <= 1) {
    for (int64_t i = 0; i < n; ++i) fn(ctx, i);
    return;
  }
  Pool::instance().run(threads, n, fn, ctx);
}

}  // namespace toolrl
