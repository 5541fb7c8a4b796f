"""PyTorch's value and autograd gradient of reference losses, for tensors-pytorch.test.ts.

Reads a JSON list of cases on stdin: {"name", "code", "params": {name: number}, "inputs": [{"name",
"shape", "role", "values"}]}. `code` is Python that sets `loss` from tensors named like the
inputs (float64, labels as 0-based int64; gradients for role "tensor" only) and the params; `F` is torch.nn.functional and `tvo`
torchvision.ops. Prints a JSON list of {"value", "grads": {name: [...]}} or {"error"} per case.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F
import torchvision.ops as tvo


def wire(x):
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def value_and_gradient(loss, tensors):
    grads = torch.autograd.grad(loss, list(tensors.values()), allow_unused=True)
    return {
        "value": wire(loss.item()),
        "grads": {
            name: [wire(v) for v in (g if g is not None else torch.zeros_like(tensors[name])).flatten().tolist()]
            for name, g in zip(tensors, grads)
        },
    }


def run(case):
    scope = {"torch": torch, "F": F, "tvo": tvo, "math": math}
    scope.update(case["params"])
    tensors = {}
    for spec in case["inputs"]:
        values = torch.tensor(spec["values"], dtype=torch.float64).reshape(spec["shape"])
        if spec["role"] == "labels":
            scope[spec["name"]] = values.round().long() - 1
        elif spec["role"] == "data":
            scope[spec["name"]] = values
        else:
            values.requires_grad_(True)
            tensors[spec["name"]] = values
            scope[spec["name"]] = values
    exec(case["code"], scope)
    loss = scope["loss"]
    return value_and_gradient(loss, tensors)


def run_export(case, source, module):
    """The exported function of `source` (PyTorch or NumPy) on the case's inputs: value, and for PyTorch autograd's gradient."""
    scope = {}
    exec(source, scope)
    fn = scope[case["function"]]
    args, tensors = [], {}
    for spec in case["inputs"]:
        values = torch.tensor(spec["values"], dtype=torch.float64).reshape(spec["shape"])
        if spec["role"] == "labels":
            values = values.round().long() - 1
        elif spec["role"] == "tensor" and module == "torch":
            values.requires_grad_(True)
            tensors[spec["name"]] = values
        args.append(values.numpy() if module == "numpy" else values)
    loss = fn(*args, **case["params_of_export"])
    if module == "numpy":
        return {"value": wire(float(loss))}
    return value_and_gradient(loss, tensors)


def main():
    out = []
    for case in json.load(sys.stdin):
        try:
            result = run(case)
        except Exception as e:  # reported per case, so one broken reference does not hide the rest
            result = {"error": f"{type(e).__name__}: {e}"}
        for module in ("torch", "numpy"):
            source = case.get(f"export_{module}")
            if source is None:
                continue
            try:
                result[f"export_{module}"] = run_export(case, source, module)
            except Exception as e:
                result[f"export_{module}"] = {"error": f"{type(e).__name__}: {e}"}
        out.append(result)
    json.dump(out, sys.stdout)


main()
