"""Top-1 / top-5 accuracy of class logits, the one measure every stage and report uses."""
import torch


def topk_accuracy(logits: torch.Tensor, labels: torch.Tensor) -> dict:
    """logits [N, classes], labels int64 [N] -> {"top1", "top5"}, fractions rounded to 4 places."""
    top5 = logits.topk(5, dim=1).indices
    return {"top1": round((top5[:, 0] == labels).float().mean().item(), 4),
            "top5": round((top5 == labels[:, None]).any(1).float().mean().item(), 4)}
