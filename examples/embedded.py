"""Losses written beside the training code that uses them.

LossLab reads the `# loss:` comments of this file (and the `# param` and `# @...` lines above
them) as one .loss document: each gets the CodeLens "Evaluate loss · Check", diagnostics as you
type, and the panel. The Python below is what the comments describe.
"""
import torch
import torch.nn.functional as F

# param gamma = 2 in [0, 5]
# param alpha = 0.25 in [0, 1]
# @cite "Focal Loss for Dense Object Detection" (Lin et al., 2017)
# loss: focal(p) = -alpha * (1 - p)^gamma * log(p)
def focal_loss(p: torch.Tensor, gamma: float = 2.0, alpha: float = 0.25) -> torch.Tensor:
    return -alpha * (1 - p) ** gamma * torch.log(p)


# Logistic loss on the margin z = y * f(x), written stably (LossLab warns on log(1 + exp(-z))).
# loss: logistic(z) = softplus(-z)
def logistic_loss(z: torch.Tensor) -> torch.Tensor:
    return F.softplus(-z)


# param tau = 0.9 in [0.01, 0.99]
# @cite "Regression Quantiles" (Koenker & Bassett, 1978)
# loss: pinball(r) = max(tau * r, (tau - 1) * r)
def pinball_loss(residual: torch.Tensor, tau: float = 0.9) -> torch.Tensor:
    return torch.maximum(tau * residual, (tau - 1) * residual)
