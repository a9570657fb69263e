"""Time the numpy attention core against PyTorch's CPU attention.

Three ways of doing one attention layer's work (batch 1, 8 heads, d_k 64) are
timed at several sequence lengths n:

- core: ``attention.scaled_dot_product_attention``, which also returns the
  (heads, n, n) weights;
- torch same work: matmul, softmax, matmul in PyTorch, weights returned too;
- torch fused: ``torch.nn.functional.scaled_dot_product_attention``, which
  never builds the weights, so it does less work.

PyTorch gets as many threads as numpy's BLAS uses. The core's peak memory comes
from tracemalloc (numpy reports its allocations to it) in a separate, untimed
call; "extra" is the peak beyond the returned out and weights, in MiB and as a
fraction of the weights' size (8 heads of n-by-n). It is mostly the scaled copy
of q (heads * n * d_k numbers): the core keeps no n-by-n temporary.

Usage: python scripts/bench_attention.py [--sizes 512 1024] [--repeats 5]
[--dtypes float32 float64]. Not part of the test run.
"""

import argparse
import functools
import math
import os
import platform
import statistics
import time
import tracemalloc

import numpy as np

from attention import scaled_dot_product_attention

N_HEADS = 8
D_K = 64


def blas_threads():
    """Return (threads, description) of the BLAS numpy uses, if it can be found."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None, "unknown (threadpoolctl not installed)"
    for pool in threadpool_info():
        if pool["user_api"] == "blas" and "numpy" in pool["filepath"]:
            description = (
                f"{pool['internal_api']} {pool['version']}, "
                f"{pool.get('architecture', '?')} kernels, "
                f"{pool['num_threads']} threads"
            )
            return pool["num_threads"], description
    return None, "unknown (no BLAS found by threadpoolctl)"


def median_seconds(runs, repeats):
    """Return the median wall time of each callable in `runs`, by name.

    The callables take turns, one call each per round after a warm-up round,
    so that load from other processes hits them alike.
    """
    times = {name: [] for name in runs}
    for run in runs.values():
        run()
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def core_peak_extra_bytes(q, k, v):
    """Return the core's peak traced memory beyond the arrays it returns."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    out, weights = scaled_dot_product_attention(q, k, v)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - out.nbytes - weights.nbytes


def torch_runners(torch, q, k, v):
    """Return the PyTorch same-work and fused callables on tensors sharing q, k, v."""
    q_t, k_t, v_t = (torch.from_numpy(a) for a in (q, k, v))
    scale = 1 / math.sqrt(q.shape[-1])

    def same_work():
        with torch.inference_mode():
            scores = torch.matmul(q_t * scale, k_t.transpose(-2, -1))
            weights = torch.softmax(scores, dim=-1)
            return torch.matmul(weights, v_t), weights

    def fused():
        with torch.inference_mode():
            return torch.nn.functional.scaled_dot_product_attention(q_t, k_t, v_t)

    return same_work, fused


def parse_args():
    """Read the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[512, 1024, 2048, 4096])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--dtypes",
        nargs="+",
        default=["float32", "float64"],
        choices=["float16", "float32", "float64"],
    )
    parser.add_argument("--no-torch", action="store_true", help="time the core only")
    return parser.parse_args()


def bench_row(torch, dtype, n, repeats):
    """Time one dtype and size; return the table row as a string."""
    rng = np.random.default_rng(0)
    q, k, v = (
        rng.standard_normal((1, N_HEADS, n, D_K)).astype(dtype) for _ in range(3)
    )
    runs = {"core": functools.partial(scaled_dot_product_attention, q, k, v)}
    if torch is not None and dtype != "float16":
        runs["same"], runs["fused"] = torch_runners(torch, q, k, v)
    seconds = {"same": math.nan, "fused": math.nan} | median_seconds(runs, repeats)
    core, same, fused = seconds["core"], seconds["same"], seconds["fused"]
    extra = core_peak_extra_bytes(q, k, v)
    gflops = 4 * N_HEADS * n * n * D_K / core / 1e9
    weights_bytes = N_HEADS * n * n * np.dtype(dtype).itemsize
    return (
        f"{dtype:>7} {n:>5} {core * 1e3:>9.1f} {same * 1e3:>9.1f} "
        f"{fused * 1e3:>9.1f} {core / same:>9.2f} {core / fused:>10.2f} "
        f"{gflops:>8.1f} {extra / 2**20:>9.1f} {extra / weights_bytes:>13.3f}"
    )


def main():
    """Print the environment, then one table row per dtype and size."""
    args = parse_args()
    threads, blas = blas_threads()
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            print("PyTorch not installed: timing the core only")
    print(f"numpy {np.__version__}; BLAS: {blas}")
    if torch is not None:
        if threads is not None:
            torch.set_num_threads(threads)
        print(f"torch {torch.__version__}; threads: {torch.get_num_threads()}")
    print(
        f"python {platform.python_version()}; cpus: {os.cpu_count()}; "
        f"load average: {os.getloadavg()[0]:.2f}; "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}"
    )
    print(
        f"batch 1, {N_HEADS} heads, d_k {D_K}; median of {args.repeats} runs; "
        f"GFLOP/s counts the two matmuls (4 n^2 d_k flops per head)"
    )

    header = (
        f"{'dtype':>7} {'n':>5} {'core ms':>9} {'same ms':>9} {'fused ms':>9} "
        f"{'core/same':>9} {'core/fused':>10} {'GFLOP/s':>8} "
        f"{'extra MiB':>9} {'extra/weights':>13}"
    )
    print(header)
    print("-" * len(header))
    for dtype in args.dtypes:
        for n in args.sizes:
            print(bench_row(torch, dtype, n, args.repeats), flush=True)


if __name__ == "__main__":
    main()
