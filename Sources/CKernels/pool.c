// A persistent fork/join pool: workers created once, spinning briefly between jobs and then sleeping.
//
// Why not libdispatch: on the 2-core KVM machines `DispatchQueue.concurrentPerform` often ran a 2-part job of
// ~1.5 ms entirely on the calling thread (the worker woke too late), so a 2-thread GEMM ran at the 1-thread rate
// in about half the calls (docs/engine.md §6).
//
// Protocol. A job is published as (fn, ctx, parts) plus a 64-bit ticket = generation << 32 | next part. Workers
// claim parts by compare-and-swap on the ticket, so a worker that arrives late, after its job was replaced, fails
// its swap (the generation no longer matches) and can never run a part of the wrong job. The owner closes the old
// ticket before it writes the next job's fields, and opens the new ticket after, so a successful claim always reads
// the fields of its own job. Completion is a per-job counter the owner waits on. Workers the job does not need stay
// asleep (each has its own condition variable); workers that took part in the latest job spin before sleeping.
#include "CKernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#define PART_MASK 0xFFFFFFFFull
#define CLOSED PART_MASK

static pthread_mutex_t owner_lock = PTHREAD_MUTEX_INITIALIZER;  // held by the thread running a job

static _Atomic uint64_t ticket = CLOSED;      // generation << 32 | next part to claim
static _Atomic uint32_t generation;           // bumped once per job, after the ticket opens
static const long spin_nanoseconds = 300000;  // how long a worker used by the last job spins before sleeping
static _Atomic long workers_created;

// The current job (relaxed atomics: read by workers only between loading a ticket and claiming from it).
static _Atomic(rt_task_fn) job_fn;
static _Atomic(void *) job_ctx;
static _Atomic long job_parts;
static _Atomic long job_workers;               // workers 0..<job_workers take part
static _Atomic long parts_done;

static _Thread_local int inside_task;

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static long now_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

/// Claims and runs parts of job `gen` until none is left (or the job was replaced).
static void run_parts(uint32_t gen) {
    for (;;) {
        uint64_t t = atomic_load_explicit(&ticket, memory_order_acquire);
        if ((uint32_t)(t >> 32) != gen) return;
        const long parts = atomic_load_explicit(&job_parts, memory_order_relaxed);
        const rt_task_fn fn = atomic_load_explicit(&job_fn, memory_order_relaxed);
        void *ctx = atomic_load_explicit(&job_ctx, memory_order_relaxed);
        const uint64_t part = t & PART_MASK;
        if (part >= (uint64_t)parts) return;
        if (!atomic_compare_exchange_weak_explicit(&ticket, &t, t + 1, memory_order_acq_rel, memory_order_acquire))
            continue;
        inside_task = 1;
        fn(ctx, (long)part);
        inside_task = 0;
        atomic_fetch_add_explicit(&parts_done, 1, memory_order_release);
    }
}

// Each worker sleeps on its own condition variable, so that a job wakes only the workers it needs (a pool grown to
// 8 threads by one call must not wake 7 of them for every later 2-thread job).
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    _Atomic int sleeping;
} worker_slot;

#define MAX_WORKERS 4096
static worker_slot *slots[MAX_WORKERS];

typedef struct { long index; uint32_t seen; } worker_start;

static void *worker_main(void *arg) {
    const worker_start start = *(worker_start *)arg;
    free(arg);
    worker_slot *slot = slots[start.index];
    uint32_t seen = start.seen;
    for (;;) {
        uint32_t gen = atomic_load(&generation);
        // Spin only while this worker took part in the latest job (the next one probably needs it too).
        if (gen == seen && start.index < atomic_load(&job_workers)) {
            long spin_start = 0;
            unsigned spins = 0;
            while ((gen = atomic_load(&generation)) == seen) {
                cpu_relax();
                if ((++spins & 63) != 0) continue;
                const long now = now_nanoseconds();
                if (spin_start == 0) { spin_start = now; continue; }
                if (now - spin_start >= spin_nanoseconds) break;
            }
        }
        if (gen == seen || start.index >= atomic_load(&job_workers)) {
            // Sleep until a job that needs this worker is published.
            pthread_mutex_lock(&slot->lock);
            atomic_store(&slot->sleeping, 1);
            for (;;) {
                gen = atomic_load(&generation);
                if (gen != seen && start.index < atomic_load(&job_workers)) break;
                seen = gen;  // jobs that did not need this worker
                pthread_cond_wait(&slot->wake, &slot->lock);
            }
            atomic_store(&slot->sleeping, 0);
            pthread_mutex_unlock(&slot->lock);
        }
        seen = gen;
        run_parts(gen);
    }
    return NULL;
}

/// Creates workers until there are `wanted` (called by the owner only). Returns how many exist.
static long ensure_workers(long wanted) {
    long have = atomic_load(&workers_created);
    if (wanted > MAX_WORKERS) wanted = MAX_WORKERS;
    while (have < wanted) {
        worker_start *s = malloc(sizeof *s);
        worker_slot *slot = malloc(sizeof *slot);
        if (!s || !slot) { free(s); free(slot); break; }
        pthread_mutex_init(&slot->lock, NULL);
        pthread_cond_init(&slot->wake, NULL);
        atomic_init(&slot->sleeping, 0);
        slots[have] = slot;
        s->index = have;
        s->seen = atomic_load(&generation);
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        const int failed = pthread_create(&thread, &attr, worker_main, s);
        pthread_attr_destroy(&attr);
        if (failed) { free(s); break; }  // the slot stays allocated for the next attempt at this index
        have += 1;
        atomic_store(&workers_created, have);
    }
    return have;
}

void rt_pool_run(long parts, long threads, rt_task_fn fn, void *ctx) {
    if (parts <= 0) return;
    if (parts == 1 || threads <= 1 || inside_task || pthread_mutex_trylock(&owner_lock) != 0) {
        for (long p = 0; p < parts; p++) fn(ctx, p);
        return;
    }
    long helpers = threads - 1 < parts - 1 ? threads - 1 : parts - 1;
    const long available = ensure_workers(helpers);
    if (available < helpers) helpers = available;

    const uint32_t gen = atomic_load(&generation) + 1;
    atomic_store(&ticket, ((uint64_t)gen << 32) | CLOSED);  // claims of the previous job now fail
    atomic_store_explicit(&job_fn, fn, memory_order_relaxed);
    atomic_store_explicit(&job_ctx, ctx, memory_order_relaxed);
    atomic_store_explicit(&job_parts, parts, memory_order_relaxed);
    atomic_store_explicit(&job_workers, helpers, memory_order_relaxed);
    atomic_store_explicit(&parts_done, 0, memory_order_relaxed);
    atomic_store(&ticket, (uint64_t)gen << 32);             // open (release: the fields above are visible)
    atomic_store(&generation, gen);
    for (long i = 0; i < helpers; i++) {
        worker_slot *slot = slots[i];
        if (atomic_load(&slot->sleeping)) {
            pthread_mutex_lock(&slot->lock);
            pthread_cond_signal(&slot->wake);
            pthread_mutex_unlock(&slot->lock);
        }
    }

    run_parts(gen);
    unsigned spins = 0;
    while (atomic_load_explicit(&parts_done, memory_order_acquire) < parts) {
        cpu_relax();
        if (++spins > 4096) sched_yield();
    }
    atomic_store(&ticket, ((uint64_t)gen << 32) | CLOSED);
    pthread_mutex_unlock(&owner_lock);
}
