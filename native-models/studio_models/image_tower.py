"""Small CNN image encoder: the image side of the CLIP-style contrastive training that teaches
the text encoder (and the base of the emoji subgroup classifier).

forward(pixels [B, 3, 64, 64] in [-1, 1]) -> features [B, d_out]
The image is first average-pooled to 32 px (emoji stay recognisable, and it quarters the cost),
then three stride-2 stages (32 -> 4 px), global average pooling, linear head.
"""
import torch
from torch import nn


class ImageTower(nn.Module):
    def __init__(self, d_out: int, width: int = 32):
        super().__init__()
        chans = [3, width, 2 * width, 4 * width]
        layers: list[nn.Module] = []
        for c_in, c_out in zip(chans, chans[1:]):
            layers += [nn.Conv2d(c_in, c_out, 3, stride=2, padding=1), nn.BatchNorm2d(c_out), nn.SiLU(),
                       nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.SiLU()]
        self.features = nn.Sequential(nn.AvgPool2d(2), *layers)
        self.head = nn.Linear(chans[-1], d_out)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(pixels).mean(dim=(2, 3)))
