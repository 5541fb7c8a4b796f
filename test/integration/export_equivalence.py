"""Runs LossLab's PyTorch and NumPy exports on the inputs the test sends, and sends back what they
compute: per-example values, torch.autograd gradients, gradcheck and nn.Module results.

Reads one JSON list of cases on stdin and writes one JSON list of results on stdout. Numbers that
JSON cannot carry (inf, nan) travel as the strings "inf", "-inf" and "nan". Driven by
export-pytorch.test.ts, which decides what agrees; this script only computes.
"""

import json
import sys
import traceback

import numpy as np
import torch


def decode(values):
    return [float(v) if isinstance(v, str) else v for v in values]


def encode(array):
    out = []
    for v in np.asarray(array, dtype=np.float64).reshape(-1).tolist():
        out.append(v if np.isfinite(v) else ("nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")))
    return out


def numpy_inputs(specs):
    arrays = []
    for spec in specs:
        data = np.array(decode(spec["values"]), dtype=np.float64).reshape(spec["shape"])
        arrays.append(data.astype(np.int64) if spec["index"] else data)
    return arrays


def torch_inputs(specs):
    return [
        torch.tensor(a) if spec["index"] else torch.tensor(a, dtype=torch.float64, requires_grad=spec["differentiable"])
        for spec, a in zip(specs, numpy_inputs(specs))
    ]


def load(code, name, label):
    namespace = {}
    exec(compile(code, f"<{label}>", "exec"), namespace)
    return namespace


def run_torch(case, namespace):
    fn = namespace[case["function"]]
    specs = case["inputs"]
    tensors = torch_inputs(specs)
    loss = fn(*tensors, reduction="none")
    differentiable = [t for t, s in zip(tensors, specs) if s["differentiable"]]
    # A piecewise-constant loss (zero-one) has no graph to differentiate: its gradient is 0.
    grads = torch.autograd.grad(loss.sum(), differentiable, allow_unused=True) if loss.requires_grad else [None] * len(differentiable)
    return {
        "value": encode(loss.detach().numpy()),
        "grads": [encode((g if g is not None else torch.zeros_like(t)).numpy()) for g, t in zip(grads, differentiable)],
    }


def run_gradcheck(case, namespace):
    fn = namespace[case["function"]]
    specs = case["gradcheck"]
    tensors = torch_inputs(specs)

    def with_labels(*variables):
        it = iter(variables)
        return fn(*[next(it) if s["differentiable"] else t for s, t in zip(specs, tensors)], reduction="none")

    variables = tuple(t for t, s in zip(tensors, specs) if s["differentiable"])
    try:
        torch.autograd.gradcheck(with_labels, variables)
        return "ok"
    except Exception as e:  # gradcheck raises GradcheckError with the mismatching Jacobians
        return f"{type(e).__name__}: {e}"[:2000]


def run_module(case, namespace):
    """The nn.Module with its default params computes what the function computes."""
    fn = namespace[case["function"]]
    module = namespace[case["module"]]
    tensors = torch_inputs(case["gradcheck"])
    for reduction in ["mean", "sum", "none"]:
        a = module(reduction=reduction)(*tensors)
        b = fn(*tensors, reduction=reduction)
        if not torch.equal(a, b):
            return f"reduction={reduction}: module gives {a}, function gives {b}"
    if not torch.equal(module()(*tensors), fn(*tensors).reshape(())):
        return "the default reduction differs"
    return "ok"


def run_numpy(case):
    namespace = load(case["numpy"], case["function"], f"{case['id']} numpy")
    with np.errstate(all="ignore"):
        value = namespace[case["function"]](*numpy_inputs(case["inputs"]), reduction="none")
    return {"value": encode(value)}


def run(case):
    out = {"id": case["id"]}
    try:
        namespace = load(case["pytorch"], case["function"], f"{case['id']} pytorch")
        out["torch"] = run_torch(case, namespace)
        out["gradcheck"] = run_gradcheck(case, namespace)
        out["module"] = run_module(case, namespace)
        out["numpy"] = run_numpy(case)
    except Exception:
        out["error"] = traceback.format_exc()
    return out


if __name__ == "__main__":
    json.dump([run(case) for case in json.load(sys.stdin)], sys.stdout)
