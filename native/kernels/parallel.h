// native/kernels/parallel.h — the thread pool of the decode kernels: parallel_for over independent
// chunks where the caller never waits for a thread that has not started.
//
// Why not `#pragma omp parallel for`: an OpenMP region ends in a barrier that every team thread
// must reach, so when a worker's core is taken by another process (a shared 2-core machine: ~70
// parallel regions per decode step, each 10-300 us) the caller waits a whole scheduler slice
// (ms) for a thread that has no work left. Measured with perf on the small rollout: 40% of
// samples spinning in libgomp, and 2 OpenMP threads no faster than 1. Here chunks are *claimed*
// from one atomic counter: the caller runs chunks itself and then waits only for chunks another
// thread has already claimed (so is running); a worker that wakes late finds none left. On an
// idle machine it behaves like OpenMP's static schedule; on a busy one it degrades to the
// caller's single-thread speed instead of below it.
// Workers spin ~50 us after a job (decode issues the next within microseconds), then sleep on a
// condition variable. One job at a time: a second concurrent caller runs its loop serially.
#pragma once
#include <cstdint>
#include <utility>

namespace toolrl {

// Runs fn(i) for every i in [0, n), on at most `threads` threads including the caller (threads
// <= 1 or n <= 1: inline). Returns when all chunks are done. fn must not throw.
void parallel_chunks(int threads, int64_t n, void (*fn)(void* ctx, int64_t i), void* ctx);

template <typename F>
void parallel_for_chunks(int threads, int64_t n, F&& f) {
  auto trampoline = [](void* ctx, int64_t i) { (*static_cast<std::remove_reference_t<F>*>(ctx))(i); };
  parallel_chunks(threads, n, trampoline, const_cast<void*>(static_cast<const void*>(&f)));
}

}  // namespace toolrl
