"""Rectified-flow (flow matching) training target, in the convention of diffusers'
FlowMatchEulerDiscreteScheduler: sigma = t in [0, 1], x_t = (1 - t) x0 + t noise,
model timestep = t * 1000, prediction v = noise - x0, Euler step x += (sigma_next - sigma) v.
"""
import torch


def sample_t(batch: int, generator: torch.Generator) -> torch.Tensor:
    """Logit-normal t (SD3's choice: mean 0, std 1), [B] in (0, 1): concentrates training on the
    middle of the path, where the velocity is hardest to predict."""
    return torch.sigmoid(torch.randn(batch, generator=generator))


def noisy_pair(x0: torch.Tensor, t: torch.Tensor, generator: torch.Generator):
    """x0 [B, C, H, W], t [B] -> (x_t, v_target), both [B, C, H, W]."""
    noise = torch.randn(x0.shape, generator=generator)
    tt = t.view(-1, 1, 1, 1)
    return (1 - tt) * x0 + tt * noise, noise - x0


def scheduler_config(shift: float = 1.0) -> dict:
    return {"_class_name": "FlowMatchEulerDiscreteScheduler", "num_train_timesteps": 1000, "shift": shift,
            "use_dynamic_shifting": False}
