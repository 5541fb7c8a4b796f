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
    grads = torch.autograd.grad(loss, list(tensors.values()), allow_unused=True)
    return {
        "value": wire(loss.item()),
        "grads": {
            name: [wire(v) for v in (g if g is not None else torch.zeros_like(tensors[name])).flatten().tolist()]
            for name, g in zip(tensors, grads)
        },
    }


def main():
    out = []
    for case in json.load(sys.stdin):
        try:
            out.append(run(case))
        except Exception as e:  # reported per case, so one broken reference does not hide the rest
            out.append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


main()
