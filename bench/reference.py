"""PyTorch CPU reference for `npm run bench`: the same four cases as bench/run.ts, same inputs,
float32, timed the same way (warm-up runs, then the median of timed repetitions).

Usage: python3 bench/reference.py WARMUP REPS THREADS SAMPLES [QUICK]
With QUICK = 1 the scaling rows stop at 2^20 elements and 256^2 landscapes.
Prints one JSON object on stdout: the environment, and per case the timings and a check (float64
sums of each output and its entries at SAMPLES evenly spaced indices) that bench/run.ts compares
with LossLab's outputs.
"""
import json
import os
import sys
import time

import torch

GAMMA = 2.0
ALPHA = 0.25
P_RANGE = (0.001, 0.999)  # the panel's axis for a probability loss
GAMMA_RANGE = (0.0, 5.0)  # the declared range of focal's gamma


def focal(p, gamma, alpha):
    """focal(p) = -alpha * (1 - p)^gamma * log(p), Lin et al. 2017, as in examples/focal.loss."""
    return -alpha * (1 - p) ** gamma * torch.log(p)


def linspace(lo, hi, n):
    """lo + (hi - lo) * i / (n - 1) in float64, then rounded to float32: bench/run.ts's formula."""
    i = torch.arange(n, dtype=torch.float64)
    return (lo + ((hi - lo) * i) / (n - 1)).to(torch.float32)


def curve(n):
    """Value, first and second derivative along p: the panel's curve."""
    p = linspace(*P_RANGE, n).requires_grad_()
    ones = torch.ones(n)

    def run():
        value = focal(p, GAMMA, ALPHA)
        (first,) = torch.autograd.grad(value, p, ones, create_graph=True)
        (second,) = torch.autograd.grad(first, p, ones)
        return [value.detach(), first.detach(), second]

    return run


def landscape(side):
    """Value and d/dp over a side x side grid of (p, gamma); p is the outer (row-major) index."""
    p_axis = linspace(*P_RANGE, side)
    gamma_axis = linspace(*GAMMA_RANGE, side)
    p_grid, gamma_grid = torch.meshgrid(p_axis, gamma_axis, indexing="ij")
    p = p_grid.reshape(-1).clone().requires_grad_()
    gamma = gamma_grid.reshape(-1).clone()
    ones = torch.ones(side * side)

    def run():
        value = focal(p, gamma, ALPHA)
        (grad,) = torch.autograd.grad(value, p, ones)
        return [value.detach(), grad]

    return run


def batch(n):
    """Value and d/dp over n elements."""
    p = linspace(*P_RANGE, n).requires_grad_()
    ones = torch.ones(n)

    def run():
        value = focal(p, GAMMA, ALPHA)
        (grad,) = torch.autograd.grad(value, p, ones)
        return [value.detach(), grad]

    return run


def infonce():
    """InfoNCE over B = 1024 embeddings of D = 256, tau = 0.1, with d/dz1 and d/dz2: bench/run.ts's INFONCE."""
    k = torch.arange(1024 * 256, dtype=torch.float64)
    z1 = (torch.sin(0.37 * k + 0.1) / 16).to(torch.float32).reshape(1024, 256).requires_grad_()
    z2 = (torch.cos(0.53 * k) / 16).to(torch.float32).reshape(1024, 256).requires_grad_()
    labels = torch.arange(1024)

    def run():
        value = torch.nn.functional.cross_entropy(z1 @ z2.T / 0.1, labels)
        g1, g2 = torch.autograd.grad(value, [z1, z2])
        return [value.detach().reshape(1), g1.reshape(-1), g2.reshape(-1)]

    return run


def scaling_cases(quick):
    """Focal value and gradient at 2^14..2^24 elements, landscapes at 64^2..1024^2: how cost grows."""
    exponents = [14, 16, 18, 20] if quick else [14, 16, 18, 20, 22, 24]
    sides = [64, 128, 256] if quick else [64, 128, 256, 512, 1024]
    cases = {f"focal-2^{k}": (batch(1 << k), 1 << k) for k in exponents}
    cases.update({f"landscape-{s}^2": (landscape(s), s * s) for s in sides})
    return cases


def repetitions(elements, warmup, reps):
    """Fewer runs for big sizes, so the whole bench stays within minutes: about 2^20 x REPS elements."""
    scale = (1 << 20) / elements
    return max(1, min(warmup, int(warmup * scale))), max(3, min(reps, int(reps * scale)))


def measure(run, warmup, reps):
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(reps):
        start = time.perf_counter_ns()
        run()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def check(outputs, count):
    n = outputs[0].numel()
    indices = [k * (n - 1) // (count - 1) for k in range(count)]
    return {
        "indices": indices,
        "sums": [float(o.double().sum()) for o in outputs],
        "entries": [[float(o[i]) for i in indices] for o in outputs],
    }


def main():
    warmup, reps, threads, samples = (int(a) for a in sys.argv[1:5])
    quick = len(sys.argv) > 5 and sys.argv[5] == "1"
    torch.set_num_threads(threads)
    cases = {"curve-2048": curve(2048), "landscape-256": landscape(256), "focal-1m": batch(1 << 20), "infonce-1024x256": infonce()}
    report = {
        "torch": torch.__version__,
        # Debian's torch calls the system BLAS: netlib's reference one unless OpenBLAS is installed
        # (apt install libopenblas0-pthread), which makes its matmuls about 35x faster.
        "blas": os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"),
        "threads": torch.get_num_threads(),
        "python": sys.version.split()[0],
        "cases": {},
    }
    for case_id, run in cases.items():
        times = measure(run, warmup, reps)
        report["cases"][case_id] = {"samples_ms": times, "check": check(run(), samples)}
    report["scaling"] = {}
    for case_id, (run, elements) in scaling_cases(quick).items():
        times = measure(run, *repetitions(elements, warmup, reps))
        report["scaling"][case_id] = {"samples_ms": times, "check": check(run(), samples)}
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
